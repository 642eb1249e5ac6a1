import { formatMoney } from './amount';
import { createHash } from 'node:crypto';
import type { BillView } from './bill';
import type { PaymentRequest } from './payment-request';
import { toPlain } from './parse-json';

export const PAYMENT_EVENT_TYPE = 'va.payment.received';
export const PAYMENT_EVENT_SCHEMA_VERSION = 1;

/**
 * `va.payment.received`, schema version 1: what the BullMQ job carries as `data`.
 * Additive changes keep the version; a breaking change bumps `schemaVersion`.
 */
export interface PaymentReceivedEvent {
  /** Deterministic from paymentRequestId: a Faspay retry can never mint a second id. Also the BullMQ jobId. */
  readonly id: string;
  readonly type: typeof PAYMENT_EVENT_TYPE;
  readonly schemaVersion: typeof PAYMENT_EVENT_SCHEMA_VERSION;
  /** When the receiver first accepted the payment, RFC 3339 UTC. */
  readonly receivedAt: string;
  /** X-PARTNER-ID of the request (Faspay merchant code). */
  readonly partnerId: string;
  /** X-EXTERNAL-ID of the request that was accepted first. */
  readonly externalId: string;
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly virtualAccountNo: string;
  readonly paymentRequestId: string;
  /** Two-decimal string plus currency, exactly as SNAP writes money. */
  readonly paidAmount: { readonly value: string; readonly currency: string };
  readonly trxId: string | null;
  readonly referenceNo: string | null;
  readonly trxDateTime: string | null;
  readonly channel: { readonly channelId: string | null; readonly channelCode: string | null };
  readonly flagAdvise: string | null;
  readonly additionalInfo: unknown;
  /** How the receiver learned of it: Faspay's notification, or its own reconciliation (Inquiry Status, service 26). */
  readonly source: 'notification' | 'reconciliation';
  /** The bill as it was registered, before this payment. */
  readonly bill: BillView;
  /** Receipt order of payments on this virtual account: 1 for the first. Deliveries keep this order. */
  readonly vaSequence: number;
}

export function paymentEventId(paymentRequestId: string): string {
  return `pay_${createHash('sha256').update(paymentRequestId, 'utf8').digest('hex').slice(0, 40)}`;
}

export interface EventContext {
  readonly receivedAtMs: number;
  /** paymentEventId(paymentRequestId) and receivedAtMs as RFC 3339, when the caller has them already. */
  readonly eventId?: string | undefined;
  readonly receivedAt?: string | undefined;
  readonly partnerId: string;
  readonly externalId: string;
  readonly channelId?: string | undefined;
  readonly source?: 'notification' | 'reconciliation' | undefined;
}

/**
 * The event's JSON up to `"bill":`; the atomic Redis step appends the bill, which only it
 * sees, and `"vaSequence":n}` without re-encoding anything.
 */
export function paymentEventHead(req: PaymentRequest, ctx: EventContext): string {
  const head: Omit<PaymentReceivedEvent, 'bill' | 'vaSequence'> = {
    id: ctx.eventId ?? paymentEventId(req.paymentRequestId),
    type: PAYMENT_EVENT_TYPE,
    schemaVersion: PAYMENT_EVENT_SCHEMA_VERSION,
    receivedAt: ctx.receivedAt ?? new Date(ctx.receivedAtMs).toISOString(),
    partnerId: ctx.partnerId,
    externalId: ctx.externalId,
    partnerServiceId: req.partnerServiceId,
    customerNo: req.customerNo,
    virtualAccountNo: req.virtualAccountNo,
    paymentRequestId: req.paymentRequestId,
    paidAmount: formatMoney(req.paidAmount),
    trxId: req.trxId ?? null,
    referenceNo: req.referenceNo ?? null,
    trxDateTime: req.trxDateTime ?? null,
    channel: { channelId: ctx.channelId ?? null, channelCode: req.channelCode ?? null },
    flagAdvise: req.flagAdvise ?? null,
    additionalInfo: req.additionalInfo === undefined ? null : toPlain(req.additionalInfo),
    source: ctx.source ?? 'notification',
  };
  return `${JSON.stringify(head).slice(0, -1)},"bill":`;
}
