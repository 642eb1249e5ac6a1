import type { ServerResponse } from 'node:http';
import type { Reply } from '../pipeline/incoming-request';
import { httpStatusOf, responseCodeOf } from '../snap/response-codes';
import { jakartaStamp } from '../snap/timestamp';
import { securityHeaders } from './security-headers';

const STATIC_HEADERS = securityHeaders();

/**
 * The only writer of answers on the public port: the status and body the pipeline chose, its
 * content type, extra headers, helmet's security headers, and X-TIMESTAMP in +07:00 (spec §2.4).
 */
export function sendReply(res: ServerResponse, reply: Pick<Reply, 'status' | 'body' | 'contentType' | 'headers'>, nowMs: number): void {
  res.statusCode = reply.status;
  for (const [name, value] of STATIC_HEADERS) res.setHeader(name, value);
  res.setHeader('Content-Type', reply.contentType);
  res.setHeader('X-TIMESTAMP', jakartaStamp(nowMs));
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  res.end(reply.body);
}

/** A SNAP JSON answer written outside the pipeline (unknown route, body-parser errors): status from responseCode. */
export function sendSnap(res: ServerResponse, body: string, nowMs: number, status = httpStatusOf(responseCodeOf(body))): void {
  sendReply(res, { status, body, contentType: 'application/json', headers: {} }, nowMs);
}
