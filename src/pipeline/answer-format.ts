import { httpStatusOf, responseCodeOf, type SnapService } from '../snap/response-codes';
import { bareResponse } from '../snap/snap-responses';
import type { Failure } from './failure-outcome';

/** How a message kind's answers are written: the one place a failure becomes a body in the caller's format. */
export interface AnswerFormat {
  readonly name: string;
  readonly contentType: string;
  failure(service: SnapService, failure: Failure): string;
  /** HTTP status of an answer body (a stored replay is kept as text). */
  status(body: string): number;
  /** The code the body carries, for logs and metrics. */
  responseCode(body: string): string;
}

/** SNAP JSON: HTTP status = first three digits of responseCode (spec §2.4). */
export const SNAP_JSON: AnswerFormat = Object.freeze({
  name: 'snap-json',
  contentType: 'application/json',
  failure: (service: SnapService, f: Failure) => JSON.stringify(bareResponse(service, f.outcome, f.detail)),
  status: (body: string) => httpStatusOf(responseCodeOf(body)),
  responseCode: responseCodeOf,
});
