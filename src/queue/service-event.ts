import { PAYMENT_EVENT_TYPE, type PaymentReceivedEvent } from '../snap/payment-event';

/**
 * What travels on `snap-payments`: every event has a deterministic `id` (the BullMQ jobId and
 * the webhook-id), a `type` (`va.payment.received`, `card.recurring.payment`, …) and a
 * `schemaVersion`; the rest is the type's own (README "Events").
 */
export interface ServiceEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly [field: string]: unknown;
}

/** The delivery lane an event must keep its order in, if any: VA payments in receipt order per VA. */
export function orderingOf(event: ServiceEvent): { readonly lane: string; readonly sequence: number } | undefined {
  if (event.type !== PAYMENT_EVENT_TYPE) return undefined;
  const payment = event as unknown as PaymentReceivedEvent;
  return { lane: payment.bill.virtualAccountNo, sequence: payment.vaSequence };
}
