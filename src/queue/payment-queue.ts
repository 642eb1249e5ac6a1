import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { ServiceEvent } from './service-event';

export const PAYMENT_QUEUE_NAME = 'snap-payments';

/**
 * Producer side of the `snap-payments` queue (VA payments and every other event). The job name
 * is the event type and the jobId the event id, so adding twice is a no-op.
 */
export class PaymentQueue {
  readonly queue: Queue;

  constructor(connection: RedisClient, prefix: string, private readonly completedRetentionDays: number) {
    this.queue = new Queue(PAYMENT_QUEUE_NAME, { connection, prefix });
  }

  /**
   * Completed jobs are kept for `completedRetentionDays`: while a job exists, BullMQ ignores
   * a second add with its id, which covers a crash between the add and the ledger update.
   */
  async enqueue(eventJson: string): Promise<string> {
    const event = JSON.parse(eventJson) as ServiceEvent;
    await this.queue.add(event.type, event, {
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
