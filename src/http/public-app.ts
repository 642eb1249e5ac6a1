import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'winston';
import type { SnapReceiver } from '../receiver/snap-receiver';
import { CANONICAL_PATH, SERVICE_CODE, type SnapService } from '../snap/response-codes';
import { bareResponse } from '../snap/snap-responses';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { sendSnap } from './send-snap';

export interface PublicAppOptions {
  readonly receiver: SnapReceiver;
  readonly basePath: string;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly metrics?: ServiceMetrics | undefined;
}

const AUTH_FAILURES = new Set(['missing_header', 'bad_timestamp', 'stale', 'mismatch', 'unknown_client', 'key_config']);

function observe(m: ServiceMetrics | undefined, service: string, log: Record<string, unknown>, seconds: number): void {
  if (m === undefined) return;
  m.requests.inc({ service, response_code: String(log.responseCode) });
  m.latency.observe({ service }, seconds);
  if (typeof log.failure === 'string' && AUTH_FAILURES.has(log.failure)) m.authFailures.inc({ reason: log.failure });
  const sig = log.signature as { keyId: string; path: string; body: string } | undefined;
  if (sig !== undefined) m.signatureMatches.inc({ key_id: sig.keyId, path: sig.path, body: sig.body });
  if (typeof log.dedup === 'string') m.dedup.inc({ outcome: log.dedup });
  if (typeof log.enqueueMs === 'number') m.enqueueLatency.observe(log.enqueueMs / 1000);
  if (log.failure === 'replication') m.replicationShortfalls.inc();
}

const SERVICES: readonly SnapService[] = ['inquiry', 'payment'];

/** Faspay-facing app: the two SNAP endpoints and SNAP-coded answers for everything else. */
export function createPublicApp(opts: PublicAppOptions): express.Express {
  const { receiver, logger, clock } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', opts.trustProxy);
  // An API answers JSON only: the browser-page protections of helmet add bytes and nothing else.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false, crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false, originAgentCluster: false, xDnsPrefetchControl: false, xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false, referrerPolicy: false, xXssProtection: false }));

  const rawBody = express.raw({ type: () => true, limit: opts.bodyLimitBytes });
  const serviceByPath = new Map<string, SnapService>();
  for (const service of SERVICES) {
    const paths = [CANONICAL_PATH[service]];
    if (opts.basePath !== '') paths.push(opts.basePath + CANONICAL_PATH[service]);
    for (const path of paths) {
      serviceByPath.set(path, service);
      app.post(path, rawBody, async (req: Request, res: Response) => {
        const started = performance.now();
        const requestId = req.get('X-Request-Id') ?? randomUUID();
        const reply = await receiver.handle(service, {
          method: req.method,
          path: req.path,
          header: (name) => req.get(name),
          rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        res.setHeader('X-Request-Id', requestId);
        sendSnap(res, reply.body, clock(), reply.status);
        const latencyMs = performance.now() - started;
        logger.info('snap request', { requestId, ...reply.log, httpStatus: reply.status, latencyMs: Math.round(latencyMs * 100) / 100 });
        observe(opts.metrics, service, reply.log, latencyMs / 1000);
      });
      app.all(path, (req: Request, res: Response) => {
        const body = JSON.stringify({ responseCode: `405${SERVICE_CODE[service]}00`, responseMessage: 'Requested Function Is Not Supported' });
        sendSnap(res, body, clock());
      });
    }
  }

  app.use((req: Request, res: Response) => {
    sendSnap(res, JSON.stringify({ responseCode: '4040000', responseMessage: 'Not Found' }), clock());
    logger.info('snap request', { path: req.path, responseCode: '4040000', httpStatus: 404 });
  });

  app.use((err: Error & { type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const service = serviceByPath.get(req.path) ?? 'inquiry';
    const body = err.type === 'entity.too.large'
      ? bareResponse(service, 'badRequest', 'Payload Too Large')
      : err.type === 'request.aborted' || err.type === 'request.size.invalid'
        ? bareResponse(service, 'badRequest')
        : bareResponse(service, 'generalError');
    const text = JSON.stringify(body);
    if (!res.headersSent) sendSnap(res, text, clock());
    logger.warn('snap request rejected before the receiver', { path: req.path, responseCode: body.responseCode, error: err.type ?? err.message });
  });
  return app;
}
