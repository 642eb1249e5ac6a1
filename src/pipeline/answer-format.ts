import { legacyAck, legacyAckFields } from '../legacy/legacy-ack';
import { xmlAck } from '../legacy/xml-body';
import { httpStatusOf, OUTCOMES, responseCodeOf, responseMessage } from '../snap/response-codes';
import { bareResponse } from '../snap/snap-responses';
import type { Failure } from './failure-outcome';
import { isSnapService, type ServiceName } from './service-name';

/** How a message kind's answers are written: the one place a failure becomes a body in the caller's format. */
export interface AnswerFormat {
  readonly name: string;
  readonly contentType: string;
  failure(service: ServiceName, failure: Failure, nowMs: number): string;
  /** HTTP status of an answer body (a stored replay is kept as text). */
  status(body: string): number;
  /** The code the body carries, for logs and metrics. */
  responseCode(body: string): string;
}

/** SNAP JSON: HTTP status = first three digits of responseCode (spec §2.4). */
export const SNAP_JSON: AnswerFormat = Object.freeze({
  name: 'snap-json',
  contentType: 'application/json',
  failure: (service: ServiceName, f: Failure) => {
    if (!isSnapService(service)) throw new Error(`${service} has no SNAP service code`);
    return JSON.stringify(bareResponse(service, f.outcome, f.detail));
  },
  status: (body: string) => httpStatusOf(responseCodeOf(body)),
  responseCode: responseCodeOf,
});

/**
 * Legacy `response_code` by HTTP status. Faspay only reads "00" (acknowledged; anything else
 * makes it resend); the rest is this service's own, so an operator can tell failures apart.
 */
const LEGACY_CODE: Readonly<Record<number, string>> = Object.freeze({
  200: '00', 202: '08', 400: '02', 401: '01', 403: '04', 404: '03', 409: '06', 429: '05', 500: '99', 503: '90', 504: '98',
});
const LEGACY_STATUS: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(Object.entries(LEGACY_CODE).map(([s, c]) => [c, Number(s)])));

/** What each legacy notification's `response` field says (spec §6.1). */
const LEGACY_RESPONSE: Readonly<Partial<Record<ServiceName, string>>> = Object.freeze({
  'recurring-payment': 'Payment Notification',
  'cc-expired': 'Notification CC Expired',
  'cc-callback': 'Credit Card Notification',
  'debit-notification': 'Payment Notification',
});

export function legacyResponseName(service: ServiceName): string {
  return LEGACY_RESPONSE[service] ?? 'Notification';
}

const legacyCodeOf = (body: string): string => /"response_code":"(\d{2})"/.exec(body)?.[1] ?? '99';

/** Faspay's legacy JSON acknowledgement (spec §6.1), for the card and Debit notifications. */
export const LEGACY_JSON: AnswerFormat = Object.freeze({
  name: 'legacy-json',
  contentType: 'application/json',
  failure: (service: ServiceName, f: Failure, nowMs: number) =>
    legacyAck(legacyResponseName(service), {}, LEGACY_CODE[OUTCOMES[f.outcome].http] ?? '99', responseMessage(f.outcome, f.detail), nowMs),
  status: (body: string) => LEGACY_STATUS[legacyCodeOf(body)] ?? 500,
  responseCode: legacyCodeOf,
});

const xmlCodeOf = (body: string): string => /<response_code>(\d{2})<\/response_code>/.exec(body)?.[1] ?? '99';

/** The same acknowledgement as XML (`<faspay>…</faspay>`), for notifications that came as XML. */
export const LEGACY_XML: AnswerFormat = Object.freeze({
  name: 'legacy-xml',
  contentType: 'application/xml',
  failure: (service: ServiceName, f: Failure, nowMs: number) =>
    xmlAck(legacyAckFields(legacyResponseName(service), {}, LEGACY_CODE[OUTCOMES[f.outcome].http] ?? '99', responseMessage(f.outcome, f.detail), nowMs)),
  status: (body: string) => LEGACY_STATUS[xmlCodeOf(body)] ?? 500,
  responseCode: xmlCodeOf,
});

/** A legacy acknowledgement's fields in the format the request came in. */
export function renderLegacy(format: AnswerFormat, fields: Readonly<Record<string, string>>): string {
  return format === LEGACY_XML ? xmlAck(fields) : JSON.stringify(fields);
}
