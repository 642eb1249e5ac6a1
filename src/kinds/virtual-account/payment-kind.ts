import { SNAP_JSON } from '../../pipeline/answer-format';
import { dedupOutcome, isDedupHit } from '../../pipeline/dedup-outcome';
import type { LedgerKind, Outcome } from '../../pipeline/message-kind';
import { snapTransaction } from '../../pipeline/snap-transaction';
import { formatAmountValue } from '../../snap/amount';
import { PAYMENT_EVENT_TYPE, paymentEventHead, paymentEventId } from '../../snap/payment-event';
import { readPaymentRequest, type PaymentRequest } from '../../snap/payment-request';
import { parseBodyObject } from '../../snap/request-fields';
import { paymentAnswerParts, paymentResponse, type SnapResponseBody } from '../../snap/snap-responses';
import { digitsOf } from '../../snap/va-number';
import { billKeys, syncBill } from './va-bills';
import type { EventRecord } from '../../redis/request-ledger';
import type { VaDeps } from './va-deps';

/**
 * VA payment (service 25, spec §4.4–4.8): idempotent on paymentRequestId. The ledger script
 * records the payment, the bill change and the outbox entry atomically; the event is queued
 * before the answer is stored, so a stored "paid" always has its event queued.
 */
export function paymentKind(deps: VaDeps): LedgerKind<PaymentRequest> {
  return {
    name: 'va-payment',
    ...snapTransaction('payment'),
    read: (raw) => readPaymentRequest(parseBodyObject(raw)),
    acknowledgesWrite: (code) => code === '2002500',
    async business(ctx, request) {
      const { ledger, faults } = deps;
      const { claim, log } = ctx;
      const early = await syncBill(deps, ctx, request, 'payment');
      if (early !== undefined) return early;
      const nowIso = new Date(claim.nowMs).toISOString();
      const eventId = paymentEventId(request.paymentRequestId);
      const r = await ledger.payment(claim, {
        billKeys: billKeys(deps.keys, request),
        billPaymentKeys: billKeys(deps.keys, request, 'payments'),
        paymentRequestId: request.paymentRequestId,
        vaDigits: digitsOf(request.virtualAccountNo),
        paidMinor: request.paidAmount.minor,
        currency: request.paidAmount.currency,
        eventHead: paymentEventHead(request, {
          partnerId: ctx.headers.partnerId, externalId: ctx.externalId, channelId: ctx.headers.channelId, receivedAtMs: claim.nowMs, source: ctx.source,
          eventId, receivedAt: nowIso,
        }),
        nowIso,
        paymentRecordTtlSeconds: deps.paymentRecordTtlSeconds,
        paymentEntry: JSON.stringify({
          paymentRequestId: request.paymentRequestId,
          eventId,
          paidAmount: { value: formatAmountValue(request.paidAmount.minor), currency: request.paidAmount.currency },
          referenceNo: request.referenceNo ?? null,
          paidAt: nowIso,
        }),
        answerParts: paymentAnswerParts(request),
        job: { id: eventId, type: PAYMENT_EVENT_TYPE },
      });
      if (isDedupHit(r)) return dedupOutcome(SNAP_JSON, 'payment', r, ctx.nowMs);
      ctx.claimed();
      if (r.kind === 'claimed') throw new Error('unexpected ledger reply to a payment: claimed');
      log.paymentRequestId = request.paymentRequestId;
      if (r.answer !== undefined) return answered(r, r.answer);
      let enqueued: EventRecord | undefined;
      let body: SnapResponseBody;
      switch (r.kind) {
        case 'accepted':
        case 'duplicate': {
          await faults?.afterRecord?.();
          if (r.kind === 'accepted' && r.queued) {
            log.eventId = eventId;
            log.enqueued = 'script';
          } else if (r.kind === 'accepted' || !r.enqueued) {
            const t0 = performance.now();
            log.eventId = await deps.queue.enqueue(r.event);
            log.enqueued = 'add';
            log.enqueueMs = Math.round((performance.now() - t0) * 100) / 100;
            enqueued = ledger.paymentRecord(request.paymentRequestId);
            await faults?.afterEnqueue?.();
          }
          log.payment = r.kind === 'accepted' ? 'accepted' : 'retry';
          body = paymentResponse(request, 'success', r.name);
          break;
        }
        case 'inconsistent': body = paymentResponse(request, 'inconsistentRequest'); break;
        case 'notfound': body = paymentResponse(request, 'billNotFound'); break;
        case 'paid': body = paymentResponse(request, 'paidBill', r.name); break;
        case 'expired': body = paymentResponse(request, 'billExpired', r.name); break;
        case 'amount': body = paymentResponse(request, 'invalidAmount', r.name); break;
      }
      const text = JSON.stringify(body);
      await ledger.complete(claim.dedupKey, claim.token, text, claim.ttlSeconds, enqueued);
      await faults?.afterComplete?.();
      return { dedup: 'new', body: text };

      /**
       * The usual case: the script decided, recorded the payment, queued its event (folded: see
       * ScriptEnqueue) and stored the answer in its one round trip. Not folded, it leaves the
       * event in the outbox and the add is the second round trip; the mark that it is queued is
       * not waited for: until it lands, the relay or a retry finds the outbox entry, and BullMQ's
       * jobId keeps a second add a no-op.
       */
      async function answered(res: Extract<typeof r, { answer?: string | undefined }>, body: string): Promise<Outcome> {
        log.payment = res.kind === 'accepted' ? 'accepted' : res.kind === 'duplicate' ? 'retry' : res.kind;
        if (res.kind === 'accepted' && res.queued) {
          log.eventId = eventId;
          log.enqueued = 'script';
          await faults?.afterRecord?.();
          await faults?.afterEnqueue?.();
          await faults?.afterComplete?.();
        } else if (res.kind === 'accepted' || (res.kind === 'duplicate' && !res.enqueued)) {
          await faults?.afterRecord?.();
          const t0 = performance.now();
          log.eventId = await deps.queue.enqueue(res.event);
          log.enqueued = 'add';
          log.enqueueMs = Math.round((performance.now() - t0) * 100) / 100;
          await faults?.afterEnqueue?.();
          ledger.markEnqueued(ledger.paymentRecord(request.paymentRequestId)).catch(() => undefined);
          await faults?.afterComplete?.();
        }
        return { dedup: 'new', body };
      }
    },
  };
}
