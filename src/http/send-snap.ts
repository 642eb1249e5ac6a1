import type { ServerResponse } from 'node:http';
import type { Reply } from '../pipeline/incoming-request';
import { httpStatusOf, responseCodeOf } from '../snap/response-codes';
import { jakartaStamp } from '../snap/timestamp';
import { securityHeaders } from './security-headers';

const STATIC_HEADERS: readonly string[] = securityHeaders().flat();

/**
 * The only writer of answers on the public port: the status and body the pipeline chose, its
 * content type, extra headers, helmet's security headers, X-TIMESTAMP in +07:00 (spec §2.4) and
 * the request id. One `writeHead` with the headers as a flat list: Node then writes them as
 * given, where a `setHeader` per header validates, lowercases and stores each one (half the
 * CPU of writing an answer; README "Hot-path benchmark").
 */
export function sendReply(res: ServerResponse, reply: Pick<Reply, 'status' | 'body' | 'contentType' | 'headers'>, nowMs: number, requestId?: string): void {
  const head = STATIC_HEADERS.concat('Content-Type', reply.contentType, 'X-TIMESTAMP', jakartaStamp(nowMs));
  if (requestId !== undefined) head.push('X-Request-Id', requestId);
  for (const name in reply.headers) head.push(name, reply.headers[name]!);
  // given with the head, or Node would have to send the body chunked
  head.push('Content-Length', String(Buffer.byteLength(reply.body)));
  res.writeHead(reply.status, head);
  res.end(reply.body);
}

/** A SNAP JSON answer written outside the pipeline (unknown route, body-parser errors): status from responseCode. */
export function sendSnap(res: ServerResponse, body: string, nowMs: number, status = httpStatusOf(responseCodeOf(body))): void {
  sendReply(res, { status, body, contentType: 'application/json', headers: {} }, nowMs);
}
