import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import type { MessageKind } from '../pipeline/message-kind';
import type { Pipeline } from '../pipeline/pipeline';
import { isSnapService } from '../pipeline/service-name';
import { SERVICE_CODE } from '../snap/response-codes';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { sendReply, sendSnap } from './send-snap';

export interface PublicAppOptions {
  readonly pipeline: Pipeline;
  readonly kinds: readonly MessageKind[];
  readonly basePath: string;
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly metrics?: ServiceMetrics | undefined;
}

const AUTH_FAILURES = new Set(['missing_header', 'bad_timestamp', 'stale', 'mismatch', 'unknown_client', 'key_config', 'key_window', 'token_missing', 'token_invalid']);
const ACCESS_RULES = new Set(['ip-list', 'hour-list', 'service-list', 'rate-limit']);

function observe(m: ServiceMetrics | undefined, service: string, log: Record<string, unknown>, seconds: number): void {
  if (m === undefined) return;
  m.requests.inc({ service, response_code: String(log.responseCode) });
  m.latency.observe({ service }, seconds);
  if (typeof log.failure === 'string') {
    if (AUTH_FAILURES.has(log.failure)) m.authFailures.inc({ reason: log.failure });
    if (ACCESS_RULES.has(log.failure)) m.accessDenied.inc({ partner: String(log.partner), rule: log.failure });
  }
  const sig = log.signature as { keyId: string; path: string; body: string } | undefined;
  if (sig !== undefined) m.signatureMatches.inc({ key_id: sig.keyId, path: sig.path, body: sig.body });
  if (typeof log.dedup === 'string') m.dedup.inc({ outcome: log.dedup });
  if (typeof log.enqueueMs === 'number') m.enqueueLatency.observe(log.enqueueMs / 1000);
  if (log.failure === 'replication') m.replicationShortfalls.inc();
  if (typeof log.divertedFrom === 'string') m.legacyShape.inc({ kind: log.divertedFrom });
}

/** Faspay-facing app: one route per message kind path, answers in the kind's format, SNAP codes for everything else. */
export function createPublicApp(opts: PublicAppOptions): express.Express {
  const { pipeline, logger, clock } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // helmet's headers are set by sendReply as a precomputed block (security-headers.ts)

  // every body is read as bytes (signatures cover the bytes); the pipeline refuses content types its kind does not take
  const rawBody = express.raw({ type: () => true, limit: opts.bodyLimitBytes });
  const kindByPath = new Map<string, MessageKind>();
  for (const kind of opts.kinds) {
    const paths = kind.paths.flatMap((p) => (opts.basePath === '' ? [p] : [p, opts.basePath + p]));
    for (const path of paths) {
      kindByPath.set(path, kind);
      app.post(path, rawBody, async (req: Request, res: Response) => {
        const started = performance.now();
        const requestId = req.get('X-Request-Id') ?? randomUUID();
        const reply = await pipeline.handle(kind, {
          method: req.method,
          path: req.path,
          header: (name) => req.get(name),
          rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          peerAddress: req.socket.remoteAddress,
        });
        res.setHeader('X-Request-Id', requestId);
        sendReply(res, reply, clock());
        const latencyMs = performance.now() - started;
        logger.info('snap request', { requestId, kind: kind.name, ...reply.log, httpStatus: reply.status, latencyMs: Math.round(latencyMs * 100) / 100 });
        observe(opts.metrics, kind.service, reply.log, latencyMs / 1000);
      });
      app.all(path, (req: Request, res: Response) => {
        if (!isSnapService(kind.service)) {
          const body = kind.format.failure(kind.service, { outcome: 'badRequest', detail: 'POST only', reason: 'method' }, clock());
          res.setHeader('Allow', 'POST');
          sendReply(res, { status: 405, body, contentType: kind.format.contentType, headers: {} }, clock());
          return;
        }
        const body = JSON.stringify({ responseCode: `405${SERVICE_CODE[kind.service]}00`, responseMessage: 'Requested Function Is Not Supported' });
        sendSnap(res, body, clock());
      });
    }
  }

  app.use((req: Request, res: Response) => {
    sendSnap(res, JSON.stringify({ responseCode: '4040000', responseMessage: 'Not Found' }), clock());
    logger.info('snap request', { path: req.path, responseCode: '4040000', httpStatus: 404 });
  });

  app.use((err: Error & { type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const kind = kindByPath.get(req.path) ?? opts.kinds[0]!;
    const failure = err.type === 'entity.too.large'
      ? { outcome: 'badRequest' as const, detail: 'Payload Too Large', reason: 'too_large' }
      : err.type === 'request.aborted' || err.type === 'request.size.invalid'
        ? { outcome: 'badRequest' as const, reason: 'bad_body' }
        : { outcome: 'generalError' as const, reason: 'internal' };
    const body = kind.format.failure(kind.service, failure, clock());
    if (!res.headersSent) sendReply(res, { status: kind.format.status(body), body, contentType: kind.format.contentType, headers: {} }, clock());
    logger.warn('snap request rejected before the receiver', { path: req.path, responseCode: kind.format.responseCode(body), error: err.type ?? err.message });
  });
  return app;
}
