import type { RedisKeys } from '../../redis/redis-keys';
import type { RequestLedger } from '../../redis/request-ledger';

export interface Enqueuer {
  enqueue(eventJson: string): Promise<string>;
}

/** Test seams that simulate a crash between the steps of an accepted payment. */
export interface FaultHooks {
  afterRecord?(): void | Promise<void>;
  afterEnqueue?(): void | Promise<void>;
  afterComplete?(): void | Promise<void>;
}

/** BILL_SOURCE=http: refreshes the bill store from the order service before the business step. */
export interface BillSource {
  sync(vaDigits: string, nowMs: number): Promise<void>;
}

/** What the VA kinds (inquiry 24, payment 25) work with. */
export interface VaDeps {
  readonly ledger: RequestLedger;
  readonly keys: RedisKeys;
  readonly queue: Enqueuer;
  readonly billSource?: BillSource | undefined;
  readonly faults?: FaultHooks | undefined;
  readonly paymentRecordTtlSeconds: number;
}
