import type { Enqueuer, FaultHooks } from '../virtual-account/va-deps';
import type { RequestLedger } from '../../redis/request-ledger';

/** What every legacy notification kind records its event with. */
export interface NotificationDeps {
  readonly ledger: RequestLedger;
  readonly queue: Enqueuer;
  readonly faults?: FaultHooks | undefined;
  /** How long an event record (and so "this notification was seen") lives. */
  readonly recordTtlSeconds: number;
}
