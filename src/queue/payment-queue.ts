import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import { PAYMENT_EVENT_TYPE, type PaymentReceivedEvent } from '../snap/payment-event';

export const PAYMENT_QUEUE_NAME = 'snap-payments';

/** Producer side of the `snap-payments` queue. The jobId is the event id, so adding twice is a no-op. */
export class PaymentQueue {
  readonly queue: Queue<PaymentReceivedEvent>;

  constructor(connection: RedisClient, prefix: string, private readonly completedRetentionDays: number) {
    this.queue = new Queue<PaymentReceivedEvent>(PAYMENT_QUEUE_NAME, { connection, prefix });
  }

  /**
   * Completed jobs are kept for `completedRetentionDays`: while a job exists, BullMQ ignores
   * a second add with its id, which covers a crash between the add and the ledger update.
   */
  async enqueue(eventJson: string): Promise<string> {
    const event = JSON.parse(eventJson) as PaymentReceivedEvent;
    await this.queue.add(PAYMENT_EVENT_TYPE, event, {
      jobId: event.id,
      removeOnComplete: { age: this.completedRetentionDays * 86_400 },
      removeOnFail: false,
    });
    return event.id;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
