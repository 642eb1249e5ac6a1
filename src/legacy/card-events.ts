import { createHash } from 'node:crypto';
import type { CcCallback } from './cc-callback';
import type { CcExpiredNotice } from './cc-expired';
import { txnStatusWord } from './txn-status';
import type { RecurringPaymentNotification } from './recurring-notification';

export const RECURRING_PAYMENT_EVENT = 'card.recurring.payment';
export const CARD_EXPIRY_EVENT = 'card.expiry.notice';
export const CARD_STATUS_EVENT = 'card.payment.status';

/**
 * Deterministic from what identifies the notification, so a resend can never mint a
 * second event (and the id is also the BullMQ jobId and the webhook-id). No `:` (BullMQ).
 */
export function notificationEventId(prefix: string, ...identity: readonly string[]): string {
  return `${prefix}_${createHash('sha256').update(identity.map((p) => `${p.length}:${p}`).join('|'), 'utf8').digest('hex').slice(0, 40)}`;
}

interface EventBase {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: 1;
  /** When the receiver first accepted the notification, RFC 3339 UTC. */
  readonly receivedAt: string;
}

/** `card.recurring.payment` v1: Faspay charged (or failed to charge) a recurring member's card. */
export interface RecurringPaymentEvent extends EventBase {
  readonly type: typeof RECURRING_PAYMENT_EVENT;
  readonly memberId: string;
  readonly merchantMemberId: string | null;
  readonly trxId: string;
  readonly paymentReff: string | null;
  readonly paymentDate: string;
  readonly paymentStatus: 'success' | 'failed';
  readonly paymentStatusCode: string;
  readonly paymentStatusDesc: string | null;
  readonly txnStatus: string | null;
  /** The notification as received, without its signature. */
  readonly raw: Readonly<Record<string, string>>;
}

export function recurringPaymentEvent(n: RecurringPaymentNotification, raw: Readonly<Record<string, string>>, receivedAtMs: number): RecurringPaymentEvent {
  return {
    id: notificationEventId('crp', n.trxId, n.paymentStatusCode),
    type: RECURRING_PAYMENT_EVENT,
    schemaVersion: 1,
    receivedAt: new Date(receivedAtMs).toISOString(),
    memberId: n.memberId,
    merchantMemberId: n.merchantMemberId ?? null,
    trxId: n.trxId,
    paymentReff: n.paymentReff ?? null,
    paymentDate: n.paymentDate,
    paymentStatus: n.paymentStatusCode === '2' ? 'success' : 'failed',
    paymentStatusCode: n.paymentStatusCode,
    paymentStatusDesc: n.paymentStatusDesc ?? null,
    txnStatus: txnStatusWord(n.txnStatus) ?? null,
    raw,
  };
}

/** `card.expiry.notice` v1: a member's card expires soon; ask the customer for a new one (Update Card). */
export interface CardExpiryEvent extends EventBase {
  readonly type: typeof CARD_EXPIRY_EVENT;
  readonly memberId: string;
  readonly memberName: string | null;
  readonly memberEmail: string | null;
  readonly amount: string | null;
  readonly expiredDate: string;
}

export function cardExpiryEvent(n: CcExpiredNotice, receivedAtMs: number): CardExpiryEvent {
  return {
    id: notificationEventId('cex', n.memberId, n.expiredDate),
    type: CARD_EXPIRY_EVENT,
    schemaVersion: 1,
    receivedAt: new Date(receivedAtMs).toISOString(),
    memberId: n.memberId,
    memberName: n.memberName ?? null,
    memberEmail: n.memberEmail ?? null,
    amount: n.amount ?? null,
    expiredDate: n.expiredDate,
  };
}

/** `card.payment.status` v1: a credit-card transaction's status, one event per (transaction, status). */
export interface CardStatusEvent extends EventBase {
  readonly type: typeof CARD_STATUS_EVENT;
  readonly merchantTranId: string;
  readonly transactionId: string;
  readonly txnStatus: string;
  readonly txnStatusCode: string;
  readonly amount: { readonly value: string; readonly currency: string | null };
  readonly errCode: string | null;
  readonly errDesc: string | null;
  readonly raw: Readonly<Record<string, string>>;
}

export function cardStatusEvent(cb: CcCallback, raw: Readonly<Record<string, string>>, receivedAtMs: number): CardStatusEvent {
  return {
    id: notificationEventId('ccs', cb.transactionId, cb.txnStatus.toUpperCase()),
    type: CARD_STATUS_EVENT,
    schemaVersion: 1,
    receivedAt: new Date(receivedAtMs).toISOString(),
    merchantTranId: cb.merchantTranId,
    transactionId: cb.transactionId,
    txnStatus: txnStatusWord(cb.txnStatus)!,
    txnStatusCode: cb.txnStatus.toUpperCase(),
    amount: { value: cb.amount, currency: cb.currency ?? null },
    errCode: cb.errCode ?? null,
    errDesc: cb.errDesc ?? null,
    raw,
  };
}
