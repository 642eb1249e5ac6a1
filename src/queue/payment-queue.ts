import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { ServiceEvent } from './service-event';

export const PAYMENT_QUEUE_NAME = 'snap-payments';

/**
 * A fan-out that fails (Redis away, a connection cut: found by test/faults/lossy-link) is tried
 * again with backoff (½–1 × min(30 s, 0.5 s·2ⁿ⁻¹), the worker's 'snap' strategy), some 18 hours in
 * all, before the event lands in snap-payments' failed set (alert SnapDeliveriesDeadLettered).
 */
export const FAN_OUT_ATTEMPTS = 3_000;

/** The add did not finish within its budget: the event stays in the outbox, the caller answers 5xx. */
export class EnqueueTimeoutError extends Error {
  readonly reason = 'enqueue_timeout';
  constructor(budgetMs: number) {
    super(`BullMQ add did not finish within ${budgetMs} ms`);
    this.name = 'EnqueueTimeoutError';
  }
}

/**
 * Producer side of the `snap-payments` queue (VA payments and every other event). The job name
 * is the event type and the jobId the event id, so adding twice is a no-op.
 */
export class PaymentQueue {
  readonly queue: Queue;

  /**
   * `budgetMs`: how long a request waits for the add. BullMQ's connection queues commands while
   * Redis is away (it must, for the workers); without a budget a request would hang until Redis
   * returns. Past it the add may still land later; its jobId keeps the relay's re-add a no-op.
   */
  constructor(connection: RedisClient, prefix: string, private readonly completedRetentionDays: number, private readonly budgetMs?: number) {
    this.queue = new Queue(PAYMENT_QUEUE_NAME, { connection, prefix });
  }

  /**
   * Completed jobs are kept for `completedRetentionDays`: while a job exists, BullMQ ignores
   * a second add with its id, which covers a crash between the add and the ledger update.
   */
  async enqueue(eventJson: string): Promise<string> {
    const event = JSON.parse(eventJson) as ServiceEvent;
    const add = this.queue.add(event.type, event, this.jobOptions(event.id));
    if (this.budgetMs === undefined) {
      await add;
      return event.id;
    }
    let timer: NodeJS.Timeout | undefined;
    add.catch(() => undefined); // a late failure after the budget is the relay's to repair
    try {
      await Promise.race([add, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new EnqueueTimeoutError(this.budgetMs!)), this.budgetMs); })]);
    } finally {
      clearTimeout(timer);
    }
    return event.id;
  }

  /** Every event's job: its id the event id, fan-out retried with the 'snap' backoff, kept once done (see enqueue). */
  readonly jobOptions = (jobId: string): JobsOptions => ({
    jobId,
    attempts: FAN_OUT_ATTEMPTS,
    backoff: { type: 'snap' },
    removeOnComplete: { age: this.completedRetentionDays * 86_400 },
    removeOnFail: false,
  });

  async close(): Promise<void> {
    await this.queue.close();
  }
}
