import type { RedisClient } from '../redis/redis-connections';
import type { Logger } from 'winston';
import type { RedisKeys } from '../redis/redis-keys';
import type { PaymentQueue } from './payment-queue';

/**
 * Second half of the transactional outbox: the payment script records the event in the
 * outbox in the same atomic step that marks the bill paid. If the process dies before the
 * BullMQ add (or before noting it), this relay finds the entry and enqueues it; the jobId
 * makes that idempotent. Entries younger than `graceMs` are left to the request in flight.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly queue: PaymentQueue,
    private readonly logger: Logger,
    private readonly graceMs = 10_000,
    private readonly batch = 100,
  ) {}

  async runOnce(nowMs: number): Promise<number> {
    const outbox = this.keys.outbox();
    const ids = await this.redis.zrangebyscore(outbox, '-inf', nowMs - this.graceMs, 'LIMIT', 0, this.batch);
    let relayed = 0;
    for (const id of ids) {
      // `@key` names a notification's event record; a bare id is a payment request
      const prKey = id.startsWith('@') ? `${this.keys.prefix}${id.slice(1)}` : this.keys.paymentRequest(id);
      const [event, enq] = await this.redis.hmget(prKey, 'event', 'enq');
      if (event !== null && event !== undefined && enq !== '1') {
        const eventId = await this.queue.enqueue(event);
        await this.redis.multi().hset(prKey, 'enq', '1').hdel(prKey, 'event').zrem(outbox, id).exec();
        this.logger.warn('outbox relay enqueued an event left behind by an interrupted request', { eventId });
        relayed++;
      } else {
        await this.redis.zrem(outbox, id);
      }
    }
    return relayed;
  }

  start(intervalMs: number, clock: () => number): void {
    const tick = (): void => {
      this.running = this.runOnce(clock()).catch((err: Error) => {
        this.logger.error('outbox relay failed; will retry', { error: err.message });
        return 0;
      });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }
}
