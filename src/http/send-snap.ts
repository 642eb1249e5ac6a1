import type { Response } from 'express';
import type { Reply } from '../pipeline/incoming-request';
import { httpStatusOf, responseCodeOf } from '../snap/response-codes';
import { formatJakarta } from '../snap/timestamp';

/**
 * The only writer of answers on the public port: the status and body the pipeline chose, its
 * content type, extra headers, and X-TIMESTAMP in +07:00 (spec §2.4).
 */
export function sendReply(res: Response, reply: Pick<Reply, 'status' | 'body' | 'contentType' | 'headers'>, nowMs: number): void {
  res.status(reply.status);
  res.setHeader('Content-Type', reply.contentType);
  res.setHeader('X-TIMESTAMP', formatJakarta(nowMs));
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.end(reply.body);
}

/** A SNAP JSON answer written outside the pipeline (unknown route, body-parser errors): status from responseCode. */
export function sendSnap(res: Response, body: string, nowMs: number, status = httpStatusOf(responseCodeOf(body))): void {
  sendReply(res, { status, body, contentType: 'application/json', headers: {} }, nowMs);
}
