import type { Response } from 'express';
import { httpStatusOf, responseCodeOf } from '../snap/response-codes';
import { formatJakarta } from '../snap/timestamp';

/**
 * The only writer of SNAP responses: HTTP status = first three digits of responseCode,
 * JSON content type, and X-TIMESTAMP in +07:00 (spec §2.4).
 */
export function sendSnap(res: Response, body: string, nowMs: number, status = httpStatusOf(responseCodeOf(body))): void {
  res.status(status);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-TIMESTAMP', formatJakarta(nowMs));
  res.end(body);
}
