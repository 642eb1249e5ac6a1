import { LEGACY_MEDIA_TYPES } from '../../legacy/legacy-body';
import { LEGACY_JSON } from '../../pipeline/answer-format';
import { dedupOutcome, isDedupHit } from '../../pipeline/dedup-outcome';
import type { KindHeaders, LedgerContext, Outcome } from '../../pipeline/message-kind';
import { NotConfiguredError } from '../../pipeline/pipeline-errors';
import type { LegacyService, ServiceName } from '../../pipeline/service-name';
import type { NotificationDeps } from './legacy-deps';

/**
 * What Faspay's legacy notifications share: a configurable path, JSON or form bodies, the
 * legacy JSON acknowledgement, dedup by what is notified (not by an X-EXTERNAL-ID they do not
 * have), and "00" as the answer that acknowledges a durable write. They carry no partner
 * header: they belong to the partner whose id is Faspay's merchant id (FASPAY_MERCHANT_ID).
 */
export function legacyNotification(service: LegacyService, path: string, merchantId: string | undefined, missing: string) {
  return {
    service,
    paths: [path],
    format: LEGACY_JSON,
    contentTypes: LEGACY_MEDIA_TYPES,
    dedup: 'notification',
    acknowledgesWrite: (code: string) => code === '00',
    readHeaders: (): KindHeaders => {
      if (merchantId === undefined) throw new NotConfiguredError(`${service} notifications are not configured (set ${missing})`);
      return { partnerId: merchantId };
    },
  } as const;
}

/**
 * The business step of a notification: its event recorded once per identity (with its outbox
 * entry) in the claim's round trip, queued, then the acknowledgement stored for replay. A
 * resend finds the record: no second event, and the event is queued again only if the first
 * attempt died before it was.
 */
export async function recordNotification(
  deps: NotificationDeps, ctx: LedgerContext, service: ServiceName, event: { readonly id: string; readonly type: string; readonly json: string }, ack: string,
): Promise<Outcome> {
  const { ledger, faults } = deps;
  const record = ledger.notificationRecord(event.id);
  const r = await ledger.notification(ctx.claim, record, event, deps.recordTtlSeconds, ack);
  if (isDedupHit(r)) return dedupOutcome(ctx.format, service, r, ctx.nowMs);
  ctx.claimed();
  if (r.kind === 'claimed') throw new Error('unexpected ledger reply to a notification: claimed');
  ctx.log.notification = r.kind === 'accepted' ? 'accepted' : 'resend';
  await faults?.afterRecord?.();
  if (r.answer !== undefined) {
    // folded: queued (now or by an earlier request) and acknowledged in the script's one round trip
    ctx.log.eventId = event.id;
    if (r.kind === 'accepted') ctx.log.enqueued = 'script';
    await faults?.afterEnqueue?.();
    await faults?.afterComplete?.();
    return { dedup: 'new', body: r.answer };
  }
  let enqueued;
  if ((r.kind === 'accepted' && !r.queued) || (r.kind === 'duplicate' && !r.enqueued)) {
    const t0 = performance.now();
    ctx.log.eventId = await deps.queue.enqueue(r.event);
    ctx.log.enqueued = 'add';
    ctx.log.enqueueMs = Math.round((performance.now() - t0) * 100) / 100;
    enqueued = record;
    await faults?.afterEnqueue?.();
  } else {
    ctx.log.eventId = event.id;
  }
  await ledger.complete(ctx.claim.dedupKey, ctx.claim.token, ack, ctx.claim.ttlSeconds, enqueued);
  await faults?.afterComplete?.();
  return { dedup: 'new', body: ack };
}
