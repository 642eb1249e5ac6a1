import type { Config } from '../config/load-config';
import { hashTag } from '../redis/hash-tag';
import type { RedisTarget } from '../redis/redis-target';
import type { PaymentQueue } from './payment-queue';
import { ScriptEnqueue } from './script-enqueue';

/**
 * Whether the ledger's scripts queue events themselves (ENQUEUE_IN_SCRIPT=auto): only where the
 * queue's keys share the ledger's hash slot (always on one server or behind Sentinel; on a
 * Cluster when both prefixes carry the same hash tag, as the defaults `{snap}:` and `{snap}` do),
 * and only if BullMQ's own add sends what ScriptEnqueue would. Otherwise `warn` says why.
 */
export async function scriptEnqueueFor(
  config: Pick<Config, 'enqueueInScript' | 'keyPrefix' | 'queuePrefix'>,
  target: RedisTarget,
  queue: PaymentQueue,
  warn: (message: string, meta: Record<string, unknown>) => void,
): Promise<ScriptEnqueue | undefined> {
  if (config.enqueueInScript === 'off') return undefined;
  if (target.kind === 'cluster' && hashTag(`${config.keyPrefix}x`) !== hashTag(`${config.queuePrefix}:x`)) {
    warn('events are queued with Queue.add after the ledger step (one round trip more): REDIS_KEY_PREFIX and QUEUE_PREFIX have different hash tags', { keyPrefix: config.keyPrefix, queuePrefix: config.queuePrefix });
    return undefined;
  }
  const fold = await ScriptEnqueue.create(queue.queue, queue.jobOptions);
  if ('refused' in fold) {
    warn('events are queued with Queue.add after the ledger step (one round trip more): this BullMQ version cannot run inside the ledger script', { reason: fold.refused });
    return undefined;
  }
  return fold;
}
