/**
 * SNAP response codes for the services a partner calls on the merchant (spec §3).
 * responseCode = HTTP status (3) + service code (2) + case code (2), spec §3.2.
 * The names are also what a partner's service list (`services:`) writes.
 */
export type SnapService = 'inquiry' | 'payment' | 'access-token' | 'debit-notify' | 'qr-notify';

export const SNAP_SERVICES: readonly SnapService[] = Object.freeze(['inquiry', 'payment', 'access-token', 'debit-notify', 'qr-notify']);

export const SERVICE_CODE: Readonly<Record<SnapService, string>> = Object.freeze({
  inquiry: '24',
  payment: '25',
  'access-token': '73',
  'debit-notify': '56',
  'qr-notify': '52',
});

export const CANONICAL_PATH: Readonly<Record<SnapService, string>> = Object.freeze({
  inquiry: '/v1.0/transfer-va/inquiry',
  payment: '/v1.0/transfer-va/payment',
  'access-token': '/v1.0/access-token/b2b',
  'debit-notify': '/v1.0/debit/notify',
  'qr-notify': '/v1.0/qr/qr-mpm-notify',
});

interface Outcome {
  readonly http: number;
  readonly caseCode: string;
  readonly message: string;
}

/** Every outcome the receiver can answer with, in BI wording (spec §3.3). */
export const OUTCOMES = Object.freeze({
  success: { http: 200, caseCode: '00', message: 'Successful' },
  inProgress: { http: 202, caseCode: '00', message: 'Request In Progress' },
  badRequest: { http: 400, caseCode: '00', message: 'Bad Request' },
  invalidFieldFormat: { http: 400, caseCode: '01', message: 'Invalid Field Format' },
  invalidMandatoryField: { http: 400, caseCode: '02', message: 'Invalid Mandatory Field' },
  unauthorized: { http: 401, caseCode: '00', message: 'Unauthorized.' },
  invalidToken: { http: 401, caseCode: '01', message: 'Invalid Token (B2B)' },
  tokenNotFound: { http: 401, caseCode: '03', message: 'Token Not Found (B2B)' },
  featureNotAllowed: { http: 403, caseCode: '01', message: 'Feature Not Allowed' },
  featureNotAllowedAtThisTime: { http: 403, caseCode: '06', message: 'Feature Not Allowed At This Time' },
  invalidVirtualAccount: { http: 404, caseCode: '11', message: 'Invalid Card/Account/Customer [info]/Virtual Account' },
  billNotFound: { http: 404, caseCode: '12', message: 'Invalid Bill/Virtual Account [Not Found]' },
  invalidAmount: { http: 404, caseCode: '13', message: 'Invalid Amount' },
  paidBill: { http: 404, caseCode: '14', message: 'Paid Bill' },
  inconsistentRequest: { http: 404, caseCode: '18', message: 'Inconsistent Request' },
  billExpired: { http: 404, caseCode: '19', message: 'Invalid Bill/Virtual Account' },
  notFound: { http: 404, caseCode: '00', message: 'Not Found' },
  conflict: { http: 409, caseCode: '00', message: 'Conflict' },
  tooManyRequests: { http: 429, caseCode: '00', message: 'Too Many Requests' },
  generalError: { http: 500, caseCode: '00', message: 'General Error' },
  internalServerError: { http: 500, caseCode: '01', message: 'Internal Server Error' },
  externalServerError: { http: 500, caseCode: '02', message: 'External Server Error' },
  timeout: { http: 504, caseCode: '00', message: 'Timeout' },
  notConfigured: { http: 503, caseCode: '00', message: 'Not Configured' },
} satisfies Record<string, Outcome>);

export type OutcomeName = keyof typeof OUTCOMES;

export function responseCode(service: SnapService, outcome: OutcomeName): string {
  const o = OUTCOMES[outcome];
  return `${o.http}${SERVICE_CODE[service]}${o.caseCode}`;
}

/** HTTP status is the first three digits of responseCode (spec §2.4). */
export function httpStatusOf(code: string): number {
  if (!/^[1-5]\d{6}$/.test(code)) throw new RangeError(`not a SNAP responseCode: ${code}`);
  return Number(code.slice(0, 3));
}

/** responseCode of a serialised SNAP answer (a stored replay is kept as text). */
export function responseCodeOf(body: string): string {
  const m = /"responseCode":"(\d{7})"/.exec(body);
  if (m === null) throw new RangeError('not a SNAP answer: no responseCode');
  return m[1]!;
}

/** responseMessage for an outcome, with BI's `{field}` / `[reason]` suffix when given. */
export function responseMessage(outcome: OutcomeName, detail?: string): string {
  const base = OUTCOMES[outcome].message;
  if (detail === undefined) return base;
  if (outcome === 'invalidFieldFormat' || outcome === 'invalidMandatoryField') return `${base} {${detail}}`;
  return `${base} [${detail}]`;
}

/** Bilingual reasons for inquiryReason / paymentFlagReason (spec §4.3, §4.5). */
export const REASONS: Readonly<Partial<Record<OutcomeName, { english: string; indonesia: string }>>> = Object.freeze({
  success: { english: 'Success', indonesia: 'Sukses' },
  billNotFound: { english: 'Bill not found', indonesia: 'Tagihan tidak ditemukan' },
  paidBill: { english: 'Bill has been paid', indonesia: 'Tagihan sudah dibayar' },
  billExpired: { english: 'Bill has expired', indonesia: 'Tagihan sudah kedaluwarsa' },
  invalidAmount: { english: 'Invalid amount', indonesia: 'Jumlah pembayaran tidak sesuai' },
  inconsistentRequest: { english: 'Inconsistent request', indonesia: 'Permintaan tidak konsisten' },
  invalidVirtualAccount: { english: 'Invalid virtual account', indonesia: 'Virtual account tidak valid' },
});

export function reasonOf(outcome: OutcomeName): { english: string; indonesia: string } {
  return REASONS[outcome] ?? { english: 'Failed', indonesia: 'Gagal' };
}
