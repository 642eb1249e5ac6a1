import type { KeyObject } from 'node:crypto';
import type { Logger } from 'winston';
import type { Config } from '../config/load-config';
import type { FaultHooks } from '../kinds/virtual-account/va-deps';
import { FaspaySnapClient } from '../outbound/faspay-snap-client';
import type { PartnerRegistry } from '../partners/partner';
import type { PaymentQueue } from '../queue/payment-queue';
import type { RedisClient } from '../redis/redis-connections';
import type { RedisKeys } from '../redis/redis-keys';
import { RequestLedger } from '../redis/request-ledger';
import type { SweepDeps } from './sweeper';

/** Faspay's SNAP API client for the merchant's calls, when it is configured (base URL, key, partner id). */
export function faspaySnapClient(config: Config, key: KeyObject | undefined, logger: Logger, clock: () => number, onAnswer?: (service: string, code: string) => void): FaspaySnapClient | undefined {
  const api = config.faspayApi;
  if (key === undefined || api.baseUrl === '' || api.partnerId === undefined) return undefined;
  return new FaspaySnapClient({
    baseUrl: api.baseUrl, privateKey: key, partnerId: api.partnerId, channelId: api.channelId, timeoutMs: api.timeoutMs, attempts: 3, backoffMs: 200, logger, clock, onAnswer,
  });
}

/** What a sweep needs, for the worker's scheduled runs and for `snap-events reconcile`. */
export function sweepDeps(o: {
  readonly config: Config; readonly redis: RedisClient; readonly keys: RedisKeys; readonly client: FaspaySnapClient; readonly queue: PaymentQueue;
  readonly registry: () => PartnerRegistry; readonly logger: Logger; readonly clock: () => number; readonly faults?: FaultHooks | undefined; readonly onFound?: () => void;
}): SweepDeps {
  const { config } = o;
  return {
    redis: o.redis, keys: o.keys, client: o.client, partnerId: config.faspayApi.partnerId!, registry: o.registry, logger: o.logger, clock: o.clock,
    va: { ledger: new RequestLedger(o.redis, o.keys), keys: o.keys, queue: o.queue, faults: o.faults, paymentRecordTtlSeconds: config.paymentRecordTtlDays * 86_400 },
    settings: {
      afterMs: config.reconcile.afterMs, maxAgeMs: config.reconcile.maxAgeMs, batch: config.reconcile.batch, ratePerSecond: config.reconcile.ratePerSecond,
      channelCode: config.faspayApi.vaChannelCode ?? '402', lockLeaseMs: 60_000,
    },
    onFound: o.onFound,
  };
}
