import { createHash } from 'node:crypto';
import { SignatureError } from '../snap/signature-error';
import type { FaspayCredentials } from './faspay-credentials';
import { legacyField, type LegacyFields } from './legacy-body';
import { hexEquals, sha1OfMd5 } from './legacy-signatures';

/** Faspay Debit "Payment Notification" (spec §6.1), XML or JSON. */
export interface DebitNotification {
  readonly trxId: string;
  readonly merchantId: string;
  readonly merchant?: string | undefined;
  readonly billNo: string;
  readonly paymentReff?: string | undefined;
  readonly paymentDate: string;
  readonly paymentStatusCode: string;
  readonly paymentStatusDesc?: string | undefined;
  readonly billTotal: string;
  readonly paymentTotal: string;
  readonly paymentChannelUid?: string | undefined;
  readonly paymentChannel?: string | undefined;
  readonly signature: string;
}

/** payment_status_code in words (spec §6.1): 2 is the only success. */
const STATUS: Readonly<Record<string, string>> = Object.freeze({
  0: 'unprocessed', 1: 'in-process', 2: 'success', 3: 'failed', 4: 'reversal', 5: 'no-bills-found', 7: 'expired', 8: 'cancelled', 9: 'unknown',
});

export function debitStatusWord(code: string): string {
  return STATUS[code] ?? 'unknown';
}

export function readDebitNotification(f: LegacyFields): DebitNotification {
  return {
    trxId: legacyField(f, ['trx_id'], { required: true, max: 32 })!,
    merchantId: legacyField(f, ['merchant_id'], { required: true, max: 10, pattern: /^\d+$/ })!,
    merchant: legacyField(f, ['merchant'], { max: 64 }),
    billNo: legacyField(f, ['bill_no'], { required: true, max: 32 })!,
    paymentReff: legacyField(f, ['payment_reff'], { max: 64 }),
    paymentDate: legacyField(f, ['payment_date'], { required: true, max: 19, pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ })!,
    paymentStatusCode: legacyField(f, ['payment_status_code'], { required: true, max: 1, pattern: /^\d$/ })!,
    paymentStatusDesc: legacyField(f, ['payment_status_desc'], { max: 64 }),
    billTotal: legacyField(f, ['bill_total'], { required: true, max: 18, pattern: /^\d{1,18}$/ })!,
    paymentTotal: legacyField(f, ['payment_total'], { required: true, max: 18, pattern: /^\d{1,18}$/ })!,
    paymentChannelUid: legacyField(f, ['payment_channel_uid'], { max: 8 }),
    paymentChannel: legacyField(f, ['payment_channel'], { max: 64 }),
    signature: legacyField(f, ['signature'], { required: true, max: 64, pattern: /^[0-9a-fA-F]{40}$/ })!,
  };
}

/** `sha1(md5(user_id + password + bill_no + payment_status_code))` (spec §6.1, V7). */
export function verifyDebitNotification(n: DebitNotification, c: FaspayCredentials): void {
  if (n.merchantId !== c.merchantId) throw new SignatureError('mismatch', 'merchant_id is not this merchant\'s');
  if (!hexEquals(sha1OfMd5(`${c.userId}${c.password}${n.billNo}${n.paymentStatusCode}`), n.signature)) {
    throw new SignatureError('mismatch', 'signature does not match the Debit payment notification');
  }
}

/**
 * The legacy totals are whole numbers (spec §6.1). Whether their last two digits are sen is
 * not written down: FASPAY_LEGACY_AMOUNT_UNIT says ('sen': as given; 'rupiah': × 100).
 */
export function legacyAmountMinor(total: string, unit: 'sen' | 'rupiah'): string {
  return (BigInt(total) * (unit === 'rupiah' ? 100n : 1n)).toString();
}

export const DEBIT_EVENT = 'debit.payment.notification';

/** `debit.payment.notification` v1: one per (bill_no, trx_id, payment_status_code). */
export function debitEvent(n: DebitNotification, raw: Readonly<Record<string, string>>, o: { receivedAtMs: number; unit: 'sen' | 'rupiah'; format: string }): Record<string, unknown> & { id: string; type: string } {
  return {
    id: `dbn_${createHash('sha256').update(`${n.billNo.length}:${n.billNo}|${n.trxId.length}:${n.trxId}|${n.paymentStatusCode}`).digest('hex').slice(0, 40)}`,
    type: DEBIT_EVENT,
    schemaVersion: 1,
    receivedAt: new Date(o.receivedAtMs).toISOString(),
    billNo: n.billNo,
    trxId: n.trxId,
    merchantId: n.merchantId,
    paymentReff: n.paymentReff ?? null,
    paymentDate: n.paymentDate,
    status: debitStatusWord(n.paymentStatusCode),
    statusCode: n.paymentStatusCode,
    statusDesc: n.paymentStatusDesc ?? null,
    billTotal: n.billTotal,
    paymentTotal: n.paymentTotal,
    amountMinor: legacyAmountMinor(n.paymentTotal, o.unit),
    currency: 'IDR',
    channel: { uid: n.paymentChannelUid ?? null, name: n.paymentChannel ?? null },
    format: o.format,
    raw,
  };
}
