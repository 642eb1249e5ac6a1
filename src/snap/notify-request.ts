import { formatMoney, type Money } from './amount';
import { createHash } from 'node:crypto';
import { toPlain, type JsonObject } from './parse-json';
import { readAdditionalInfo, readDateTime, readMoney, readString, SnapFieldError } from './request-fields';

/**
 * SNAP Direct Debit notify (56) and QRIS MPM notify (52), spec §7: Faspay tells the merchant
 * the latest status of a payment it initiated. The body shapes are second-hand (§12 #6):
 * fields are read liberally, the unknown ones kept in `raw`.
 */
export interface NotifyRequest {
  /** The merchant's own reference (partnerReferenceNo of the payment it created). */
  readonly originalPartnerReferenceNo?: string | undefined;
  /** Faspay's reference. */
  readonly originalReferenceNo?: string | undefined;
  readonly originalExternalId?: string | undefined;
  readonly merchantId?: string | undefined;
  readonly subMerchantId?: string | undefined;
  readonly amount: Money;
  readonly latestTransactionStatus: string;
  readonly transactionStatusDesc?: string | undefined;
  readonly createdTime?: string | undefined;
  readonly finishedTime?: string | undefined;
  readonly customerNumber?: string | undefined;
  readonly destinationNumber?: string | undefined;
  readonly additionalInfo?: JsonObject | undefined;
  /** The whole body, unknown fields included. */
  readonly raw: unknown;
}

export function readNotifyRequest(body: JsonObject, service: 'debit-notify' | 'qr-notify'): NotifyRequest {
  const ref = (name: string, required: boolean) => readString(body, name, { required, max: 64 });
  const originalPartnerReferenceNo = ref('originalPartnerReferenceNo', false);
  // QRIS identifies by Faspay's reference (M); Direct Debit by the merchant's (spec §7)
  const originalReferenceNo = ref('originalReferenceNo', service === 'qr-notify');
  if (originalPartnerReferenceNo === undefined && originalReferenceNo === undefined) throw new SnapFieldError('invalidMandatoryField', 'originalPartnerReferenceNo');
  return {
    originalPartnerReferenceNo,
    originalReferenceNo,
    originalExternalId: readString(body, 'originalExternalId', { max: 36 }),
    merchantId: readString(body, 'merchantId', { max: 64, allowNumber: true }),
    subMerchantId: readString(body, 'subMerchantId', { max: 64, allowNumber: true }),
    amount: readMoney(body, 'amount', true)!,
    latestTransactionStatus: readString(body, 'latestTransactionStatus', { required: true, max: 2, pattern: /^\d{2}$/ })!,
    transactionStatusDesc: readString(body, 'transactionStatusDesc', { max: 150 }),
    createdTime: readDateTime(body, 'createdTime'),
    finishedTime: readDateTime(body, 'finishedTime'),
    customerNumber: readString(body, 'customerNumber', { max: 64, allowNumber: true }),
    destinationNumber: readString(body, 'destinationNumber', { max: 64, allowNumber: true }),
    additionalInfo: readAdditionalInfo(body),
    raw: toPlain(body),
  };
}

/** BI latestTransactionStatus (spec §4.6). */
const STATUS: Readonly<Record<string, string>> = Object.freeze({
  '00': 'success', '01': 'initiated', '02': 'paying', '03': 'pending', '04': 'refunded', '05': 'cancelled', '06': 'failed', '07': 'not-found',
});

export function notifyStatusWord(code: string): string {
  return STATUS[code] ?? 'unknown';
}

export const EWALLET_EVENT = 'ewallet.payment.status';
export const QRIS_EVENT = 'qris.payment.status';

/** One event per (merchant reference, Faspay reference, status): a resend never mints a second, a new status does. */
export function notifyEvent(
  n: NotifyRequest, service: 'debit-notify' | 'qr-notify',
  ctx: { readonly receivedAtMs: number; readonly partnerId: string; readonly externalId: string; readonly channelId?: string | undefined },
): Record<string, unknown> & { id: string; type: string } {
  const parts = [n.originalPartnerReferenceNo ?? '', n.originalReferenceNo ?? '', n.latestTransactionStatus];
  return {
    id: `${service === 'debit-notify' ? 'ddn' : 'qrn'}_${createHash('sha256').update(parts.map((p) => `${p.length}:${p}`).join('|')).digest('hex').slice(0, 40)}`,
    type: service === 'debit-notify' ? EWALLET_EVENT : QRIS_EVENT,
    schemaVersion: 1,
    receivedAt: new Date(ctx.receivedAtMs).toISOString(),
    partnerId: ctx.partnerId,
    externalId: ctx.externalId,
    merchantReference: n.originalPartnerReferenceNo ?? null,
    faspayReference: n.originalReferenceNo ?? null,
    amount: formatMoney(n.amount),
    amountMinor: n.amount.minor.toString(),
    status: notifyStatusWord(n.latestTransactionStatus),
    statusCode: n.latestTransactionStatus,
    statusDesc: n.transactionStatusDesc ?? null,
    channel: { channelId: ctx.channelId ?? null },
    raw: n.raw,
  };
}
