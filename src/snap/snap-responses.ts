import { formatAmountValue, formatMoney, type Money } from './amount';
import type { BillView } from './bill';
import type { InquiryRequest } from './inquiry-request';
import type { PaymentRequest } from './payment-request';
import { reasonOf, responseCode, responseMessage, type OutcomeName, type SnapService } from './response-codes';
import type { VaIdentity } from './va-number';

export interface SnapResponseBody {
  readonly responseCode: string;
  readonly responseMessage: string;
  readonly [key: string]: unknown;
}

/** Response without virtualAccountData: auth failures, bad requests, server errors. */
export function bareResponse(service: SnapService, outcome: OutcomeName, detail?: string): SnapResponseBody {
  return { responseCode: responseCode(service, outcome), responseMessage: responseMessage(outcome, detail) };
}

/** Access-token answer (service 73, spec §1.6): `expiresIn` is a string of seconds. */
export function tokenResponse(accessToken: string, expiresInSeconds: number): SnapResponseBody {
  return { ...bareResponse('access-token', 'success'), accessToken, tokenType: 'Bearer', expiresIn: String(expiresInSeconds) };
}

const echo = (id: VaIdentity): VaIdentity => ({
  partnerServiceId: id.partnerServiceId,
  customerNo: id.customerNo,
  virtualAccountNo: id.virtualAccountNo,
});

// Faspay's VA page limits virtualAccountName to 50 characters (spec §4.3, §9 #10).
const NAME_MAX = 50;

/** What an inquiry success takes from the bill (spec §4.3, §10): who (before inquiryRequestId) and what (after). */
function billWho(bill: BillView): Record<string, unknown> {
  const data: Record<string, unknown> = { virtualAccountName: bill.virtualAccountName.slice(0, NAME_MAX) };
  if (bill.virtualAccountEmail !== undefined) data.virtualAccountEmail = bill.virtualAccountEmail;
  if (bill.virtualAccountPhone !== undefined) data.virtualAccountPhone = bill.virtualAccountPhone;
  return data;
}

function billWhat(bill: BillView): Record<string, unknown> {
  const data: Record<string, unknown> = { totalAmount: bill.totalAmount, virtualAccountTrxType: bill.amountType === 'closed' ? 'C' : 'O' };
  if (bill.trxId !== undefined) data.trxId = bill.trxId;
  return data;
}

/** Inquiry answer (spec §4.3, §10, in §10's field order). `bill` is given for success only. */
export function inquiryResponse(req: InquiryRequest, outcome: OutcomeName, bill?: BillView): SnapResponseBody {
  const data: Record<string, unknown> = {
    inquiryStatus: outcome === 'success' ? '00' : '01',
    inquiryReason: reasonOf(outcome),
    ...echo(req),
    ...(bill === undefined ? {} : billWho(bill)),
    inquiryRequestId: req.inquiryRequestId,
    ...(bill === undefined ? {} : billWhat(bill)),
  };
  return { ...bareResponse('inquiry', outcome), virtualAccountData: data };
}

const inner = (o: Record<string, unknown>): string => `,${JSON.stringify(o).slice(1, -1)}`;

/** `,"partnerServiceId":…,"customerNo":…,"virtualAccountNo":…`: the echo as echo() writes it inside an answer. */
function echoText(id: VaIdentity): string {
  return `,"partnerServiceId":${JSON.stringify(id.partnerServiceId)},"customerNo":${JSON.stringify(id.customerNo)},"virtualAccountNo":${JSON.stringify(id.virtualAccountNo)}`;
}

/** The inquiry outcomes the inquiry script decides from the bill. */
export const INQUIRY_SCRIPT_OUTCOMES = Object.freeze({
  success: 'success', notfound: 'billNotFound', paid: 'paidBill', expired: 'billExpired',
} as const satisfies Record<string, OutcomeName>);

/**
 * The start of each inquiry answer, up to the echoed ids: the same for every request, so the
 * inquiry script carries them as constants (see inquiryAnswers).
 */
export function inquiryAnswerPrefix(outcome: OutcomeName): string {
  const text = JSON.stringify({ ...bareResponse('inquiry', outcome), virtualAccountData: { inquiryStatus: outcome === 'success' ? '00' : '01', inquiryReason: reasonOf(outcome) } });
  return text.slice(0, -2);
}

/**
 * The bill's two parts of an inquiry success as JSON text, kept with the bill at registration
 * so the inquiry script can answer (and store the answer) in one step:
 * success = head + who + `,"inquiryRequestId":…` + what + `}}`, byte for byte inquiryResponse's.
 */
export function inquiryBillFragments(bill: BillView): { readonly who: string; readonly what: string } {
  return { who: inner(billWho(bill)), what: inner(billWhat(bill)) };
}

/**
 * The request's parts of every answer an inquiry can get from the bill store, for the one Redis
 * step that picks one: answer = prefix(outcome) + echo + [the bill's who] + id + [the bill's
 * what] + `}}` (who and what for a success only), byte for byte what inquiryResponse writes.
 */
export interface InquiryAnswers {
  /** `,"partnerServiceId":…,"customerNo":…,"virtualAccountNo":…`. */
  readonly echo: string;
  /** `,"inquiryRequestId":"…"`. */
  readonly id: string;
}

export function inquiryAnswers(req: InquiryRequest): InquiryAnswers {
  return { echo: echoText(req), id: `,"inquiryRequestId":${JSON.stringify(req.inquiryRequestId)}` };
}

/** Payment answer (spec §4.5, §10). `name` comes from the bill: the request does not carry it. */
export function paymentResponse(req: PaymentRequest, outcome: OutcomeName, name?: string): SnapResponseBody {
  const ok = outcome === 'success';
  const data: Record<string, unknown> = {
    paymentFlagStatus: ok ? '00' : '01',
    paymentFlagReason: reasonOf(outcome),
    ...echo(req),
  };
  if (name !== undefined) data.virtualAccountName = name.slice(0, NAME_MAX);
  data.paymentRequestId = req.paymentRequestId;
  data.paidAmount = formatMoney(req.paidAmount as Money);
  if (req.trxId !== undefined) data.trxId = req.trxId;
  if (req.trxDateTime !== undefined) data.trxDateTime = req.trxDateTime;
  if (req.referenceNo !== undefined) data.referenceNo = req.referenceNo;
  return { ...bareResponse('payment', outcome), virtualAccountData: data };
}

/** The payment outcomes the payment script decides, and whether their answer names the bill. */
export const PAYMENT_SCRIPT_OUTCOMES = Object.freeze({
  accepted: { outcome: 'success', named: true },
  duplicate: { outcome: 'success', named: true },
  paid: { outcome: 'paidBill', named: true },
  expired: { outcome: 'billExpired', named: true },
  amount: { outcome: 'invalidAmount', named: true },
  inconsistent: { outcome: 'inconsistentRequest', named: false },
  notfound: { outcome: 'billNotFound', named: false },
} as const satisfies Record<string, { outcome: OutcomeName; named: boolean }>);

export type PaymentScriptOutcome = keyof typeof PAYMENT_SCRIPT_OUTCOMES;

/**
 * The start of each payment answer, up to the echoed ids: the same for every request, so the
 * payment script carries them as constants.
 */
export function paymentAnswerPrefix(outcome: OutcomeName): string {
  const ok = outcome === 'success';
  const text = JSON.stringify({ ...bareResponse('payment', outcome), virtualAccountData: { paymentFlagStatus: ok ? '00' : '01', paymentFlagReason: reasonOf(outcome) } });
  return text.slice(0, -2);
}

/**
 * The request's parts of a payment answer, so the payment script writes (and stores) it in the
 * step that decides it: answer = prefix + echo + [`,"virtualAccountName":` + the bill's name] +
 * tail, byte for byte what paymentResponse writes.
 */
export function paymentAnswerParts(req: PaymentRequest): { readonly echo: string; readonly tail: string } {
  let tail = `,"paymentRequestId":${JSON.stringify(req.paymentRequestId)},"paidAmount":{"value":"${formatAmountValue(req.paidAmount.minor)}","currency":${JSON.stringify(req.paidAmount.currency)}}`;
  if (req.trxId !== undefined) tail += `,"trxId":${JSON.stringify(req.trxId)}`;
  if (req.trxDateTime !== undefined) tail += `,"trxDateTime":${JSON.stringify(req.trxDateTime)}`;
  if (req.referenceNo !== undefined) tail += `,"referenceNo":${JSON.stringify(req.referenceNo)}`;
  return { echo: echoText(req), tail: `${tail}}}` };
}

/** A bill's name as the payment answer writes it (≤ 50 characters), kept with the bill as JSON text. */
export function paymentAnswerName(name: string): string {
  return JSON.stringify(name.slice(0, NAME_MAX));
}
