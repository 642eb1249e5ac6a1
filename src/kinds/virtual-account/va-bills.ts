import type { LedgerContext, Outcome } from '../../pipeline/message-kind';
import { dedupOutcome, isDedupHit } from '../../pipeline/dedup-outcome';
import { SNAP_JSON } from '../../pipeline/answer-format';
import type { RedisKeys } from '../../redis/redis-keys';
import type { SnapService } from '../../snap/response-codes';
import { vaLookupCandidates, type VaIdentity } from '../../snap/va-number';
import type { VaDeps } from './va-deps';

/** The two keys a VA may be registered under: its digits, and psid + customerNo (spec §4.1). */
export function billKeys(keys: RedisKeys, id: VaIdentity, of: 'bill' | 'payments' = 'bill'): [string, string] {
  const c = vaLookupCandidates(id);
  const key = (va: string): string => (of === 'bill' ? keys.bill(va) : keys.billPayments(va));
  return [key(c[0]!), key(c[1] ?? c[0]!)];
}

/**
 * With an order-service bill source, takes the X-EXTERNAL-ID slot first (so a replay or a
 * conflict never calls the order service), then refreshes the bill; the business step
 * that follows passes the same claim again.
 */
export async function syncBill(deps: VaDeps, ctx: LedgerContext, request: VaIdentity, service: SnapService): Promise<Outcome | undefined> {
  const source = deps.billSource;
  if (source === undefined) return undefined;
  const r = await deps.ledger.claim(ctx.claim);
  if (isDedupHit(r)) return dedupOutcome(SNAP_JSON, service, r, ctx.nowMs);
  ctx.claimed();
  await source.sync(vaLookupCandidates(request)[0]!, ctx.claim.nowMs);
  return undefined;
}
