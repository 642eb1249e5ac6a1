import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import type { MessageKind } from '../pipeline/message-kind';
import type { Pipeline } from '../pipeline/pipeline';
import { isSnapService } from '../pipeline/service-name';
import { SERVICE_CODE } from '../snap/response-codes';
import type { ServiceMetrics } from '../metrics/service-metrics';
import type { Failure } from '../pipeline/failure-outcome';
import { requestLine } from '../logging/request-line';
import { readBody } from './read-body';
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
  if (log.enqueued === 'script' || log.enqueued === 'add') m.eventsQueued.inc({ how: log.enqueued });
  if (log.failure === 'replication' || log.failure === 'record_elsewhere') m.replicationShortfalls.inc();
  if (typeof log.divertedFrom === 'string') m.legacyShape.inc({ kind: log.divertedFrom });
}

const BODY_FAILURE = {
  too_large: { outcome: 'badRequest', detail: 'Payload Too Large', reason: 'too_large' },
  bad_body: { outcome: 'badRequest', reason: 'bad_body' },
  encoding: { outcome: 'badRequest', detail: 'Content-Encoding', reason: 'encoding' },
} as const;

/** Route lookup as Express did it: case-insensitive, one trailing slash optional, query ignored. */
function routeKey(url: string): { path: string; key: string } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const key = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return { path, key: key.toLowerCase() };
}

function headerOf(req: IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    const v = req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  };
}

/**
 * Faspay-facing handler on plain `node:http`: one route per message kind path, answers in the
 * kind's format, SNAP codes for everything else. (It was an Express app; routing four fixed paths
 * and reading a body are all it needs, and Express's layers cost more CPU per request than the
 * rest of the edge together: README "Hot-path benchmark".)
 */
export function createPublicApp(opts: PublicAppOptions): RequestListener {
  const { pipeline, logger, clock } = opts;
  const kindByPath = new Map<string, MessageKind>();
  for (const kind of opts.kinds) {
    for (const path of kind.paths.flatMap((p) => (opts.basePath === '' ? [p] : [p, opts.basePath + p]))) kindByPath.set(routeKey(path).key, kind);
  }

  const notAllowed = (kind: MessageKind, res: ServerResponse): void => {
    if (!isSnapService(kind.service)) {
      const body = kind.format.failure(kind.service, { outcome: 'badRequest', detail: 'POST only', reason: 'method' }, clock());
      sendReply(res, { status: 405, body, contentType: kind.format.contentType, headers: { Allow: 'POST' } }, clock());
      return;
    }
    sendSnap(res, JSON.stringify({ responseCode: `405${SERVICE_CODE[kind.service]}00`, responseMessage: 'Requested Function Is Not Supported' }), clock());
  };

  const refuse = (kind: MessageKind, res: ServerResponse, path: string, failure: Failure, error: string): void => {
    const body = kind.format.failure(kind.service, failure, clock());
    if (!res.headersSent) sendReply(res, { status: kind.format.status(body), body, contentType: kind.format.contentType, headers: {} }, clock());
    logger.warn('snap request rejected before the receiver', { path, responseCode: kind.format.responseCode(body), error });
  };

  const serve = async (kind: MessageKind, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const started = performance.now();
    const header = headerOf(req);
    const body = await readBody(req, opts.bodyLimitBytes);
    if (!body.ok) {
      refuse(kind, res, path, BODY_FAILURE[body.reason], body.reason);
      return;
    }
    const requestId = header('X-Request-Id') ?? randomUUID();
    // the one request line: started here, filled by the pipeline, written once (winston's one-argument form takes it as is)
    const line = requestLine(requestId, kind.name);
    const reply = await pipeline.handle(kind, { method: 'POST', path, header, rawBody: body.body, peerAddress: req.socket.remoteAddress, log: line });
    sendReply(res, reply, clock(), requestId);
    const latencyMs = performance.now() - started;
    line.httpStatus = reply.status;
    line.latencyMs = Math.round(latencyMs * 100) / 100;
    logger.log(line as { level: string; message: string });
    observe(opts.metrics, kind.service, reply.log, latencyMs / 1000);
  };

  return (req, res) => {
    const { path, key } = routeKey(req.url ?? '/');
    const kind = kindByPath.get(key);
    if (kind === undefined) {
      sendSnap(res, JSON.stringify({ responseCode: '4040000', responseMessage: 'Not Found' }), clock());
      logger.info('snap request', { path, responseCode: '4040000', httpStatus: 404 });
      return;
    }
    if (req.method !== 'POST') {
      notAllowed(kind, res);
      return;
    }
    serve(kind, req, res, path).catch((err: unknown) => {
      refuse(kind, res, path, { outcome: 'generalError', reason: 'internal' }, err instanceof Error ? err.message : String(err));
    });
  };
}
