import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import { paymentKind } from '../kinds/virtual-account/payment-kind';
import type { VaDeps } from '../kinds/virtual-account/va-deps';
import type { LedgerContext } from '../pipeline/message-kind';
import { SNAP_JSON } from '../pipeline/answer-format';
import type { Partner, PartnerRegistry } from '../partners/partner';
import type { RedisClient } from '../redis/redis-connections';
import type { RedisKeys } from '../redis/redis-keys';
import type { BillView } from '../snap/bill';
import { readStatusAnswer, statusRequestBody } from '../snap/merchant-requests';
import type { PaymentRequest } from '../snap/payment-request';
import { jakartaDay } from '../snap/timestamp';
import { FaspayApiUnavailableError, type FaspaySnapClient } from '../outbound/faspay-snap-client';
import { ReconcileLock } from './reconcile-lock';

export interface SweepSettings {
  /** A bill is due this long after its first inquiry (or its expiry, for a dynamic VA). */
  readonly afterMs: number;
  /** A bill nobody paid is given up after this long. */
  readonly maxAgeMs: number;
  /** Bills asked per run, at most. */
  readonly batch: number;
  /** Calls to Faspay per second, at most. */
  readonly ratePerSecond: number;
  readonly channelCode: string;
  readonly lockLeaseMs: number;
}

export interface SweepDeps {
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly client: FaspaySnapClient;
  readonly va: VaDeps;
  readonly partnerId: string;
  readonly registry: () => PartnerRegistry;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly settings: SweepSettings;
  readonly onFound?: () => void;
}

export interface SweepFound {
  readonly virtualAccountNo: string;
  readonly paymentRequestId: string;
  readonly paidAmount: string;
  readonly eventId?: string | undefined;
}

export interface SweepResult {
  readonly outcome: 'done' | 'locked' | 'faspay_unavailable';
  readonly checked: number;
  readonly found: readonly SweepFound[];
  readonly dropped: number;
}

export interface SweepOptions {
  /** Ask about bills inquired since this instant (a manual sweep); default: the due ones. */
  readonly sinceMs?: number | undefined;
  /** Ask Faspay, report, change nothing. */
  readonly dryRun?: boolean | undefined;
  readonly onProgress?: (done: number, total: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reconciliation: asks Faspay's Inquiry Status (26) about bills a customer inquired but that
 * were never paid here, and dynamic VAs past expiry. A payment Faspay knows and this service
 * does not goes through the payment kind's own business step (the same ledger script as a
 * notification), so a late notification afterwards is a retry, not a second event. Each
 * bill's progress is its score in the index: a crashed sweep resumes where it stopped.
 */
export async function sweep(d: SweepDeps, o: SweepOptions = {}): Promise<SweepResult> {
  const s = d.settings;
  const lock = new ReconcileLock(d.redis, d.keys.reconLock(), s.lockLeaseMs);
  if (!(await lock.acquire())) return { outcome: 'locked', checked: 0, found: [], dropped: 0 };
  const found: SweepFound[] = [];
  let checked = 0;
  let dropped = 0;
  try {
    const now = d.clock();
    const index = d.keys.recon();
    const due = o.sinceMs === undefined
      ? await d.redis.zrangebyscore(index, '-inf', now - s.afterMs, 'LIMIT', 0, s.batch)
      : await d.redis.zrangebyscore(index, o.sinceMs, '+inf', 'LIMIT', 0, s.batch);
    const partner = d.registry().find(d.partnerId);
    const gap = 1000 / s.ratePerSecond;
    for (const billKey of due) {
      o.onProgress?.(checked, due.length);
      const [status, viewText, exp] = await d.redis.hmget(billKey, 'status', 'view', 'exp');
      const since = Number(await d.redis.zscore(index, billKey));
      if (status !== 'open' || viewText === null || viewText === undefined) {
        if (o.dryRun !== true) await d.redis.zrem(index, billKey);
        continue;
      }
      const view = JSON.parse(viewText) as BillView;
      let answer;
      try {
        answer = await d.client.call('status', statusRequestBody(view, s.channelCode));
      } catch (e) {
        if (e instanceof FaspayApiUnavailableError) {
          // Faspay away: stop here, mark nothing; the next run starts from the same bills
          d.logger.warn('reconciliation stopped: Faspay\'s status API is unavailable', { error: e.message, checked });
          return { outcome: 'faspay_unavailable', checked, found, dropped };
        }
        throw e;
      }
      checked++;
      const vaStatus = answer.ok ? readStatusAnswer(answer) : undefined;
      if (vaStatus?.paid === true) {
        const f: SweepFound = { virtualAccountNo: view.virtualAccountNo, paymentRequestId: vaStatus.paymentRequestId!, paidAmount: String(vaStatus.paidAmount!.minor) };
        if (o.dryRun !== true) {
          const eventId = await recordPayment(d, view, vaStatus.paymentRequestId!, vaStatus.paidAmount!, vaStatus.transactionDate, partner);
          found.push({ ...f, eventId });
          d.onFound?.();
          d.logger.warn('reconciliation found a payment no notification told of', { virtualAccountNo: view.virtualAccountNo, paymentRequestId: f.paymentRequestId, eventId });
        } else {
          found.push(f);
        }
      } else if (o.dryRun !== true) {
        const expired = exp !== null && exp !== '' && Number(exp) + s.afterMs < now;
        if (now - since > s.maxAgeMs || expired) {
          await d.redis.zrem(index, billKey);
          dropped++;
        } else {
          await d.redis.zadd(index, 'XX', now, billKey); // ask again after RECONCILE_AFTER
        }
      }
      await lock.renew();
      await sleep(gap);
    }
    o.onProgress?.(checked, due.length);
    return { outcome: 'done', checked, found, dropped };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Through the payment kind's business step, with a claim of its own (no X-EXTERNAL-ID: reconciliation made it). */
async function recordPayment(
  d: SweepDeps, view: BillView, paymentRequestId: string, paidAmount: PaymentRequest['paidAmount'], transactionDate: string | undefined, partner: Partner | undefined,
): Promise<string | undefined> {
  const now = d.clock();
  const psid = view.partnerServiceId.trim().padStart(8, ' ');
  const request: PaymentRequest = {
    partnerServiceId: psid,
    customerNo: view.customerNo,
    virtualAccountNo: `${psid}${view.customerNo}`,
    paymentRequestId,
    paidAmount,
    trxDateTime: transactionDate,
    trxId: view.trxId,
  };
  const runId = `reconciliation-${randomUUID()}`;
  const log: Record<string, unknown> = {};
  const ctx: LedgerContext = {
    nowMs: now,
    format: SNAP_JSON,
    registry: d.registry(),
    partner: partner ?? { name: 'reconciliation', partnerIds: [], auth: 'faspay-rsa', publicKeys: [], clockSkewSeconds: 'off', access: {} },
    headers: { partnerId: d.partnerId },
    source: 'reconciliation',
    log,
    externalId: runId,
    claim: {
      dedupKey: d.keys.dedup('payment', 'reconciliation', paymentRequestId.slice(0, 36), jakartaDay(now)),
      bodyDigest: paymentRequestId,
      nowMs: now,
      leaseMs: 30_000,
      ttlSeconds: 86_400,
      token: randomUUID(),
    },
    claimed: () => undefined,
  };
  await paymentKind(d.va).business(ctx, request);
  return log.eventId as string | undefined;
}
