import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { ServiceEvent } from '../queue/service-event';

export const DELIVERY_QUEUE_NAME = 'snap-deliveries';
export const DELIVERY_JOB_NAME = 'deliver';

export interface DeliveryJobData {
  readonly event: ServiceEvent;
  readonly subscriber: string;
  /** An operator's replay: skips the per-VA ordering gate. */
  readonly replay?: boolean;
}

export interface DeliveryPolicy {
  readonly attempts: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly completedRetentionDays: number;
}

/** One delivery job per (event, subscriber); no `:` in ids (BullMQ). */
export const deliveryJobId = (eventId: string, subscriber: string): string => `${eventId}.${subscriber}`;

export function deliveryJobOptions(policy: DeliveryPolicy, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: { type: 'snap' },
    removeOnComplete: { age: policy.completedRetentionDays * 86_400 },
    removeOnFail: false, // the failed set is the dead-letter store
  };
}

export function createDeliveryQueue(connection: RedisClient, prefix: string): Queue<DeliveryJobData> {
  return new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, { connection, prefix });
}
