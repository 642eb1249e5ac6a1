import { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { Logger } from 'winston';
import type { Subscriber } from '../config/load-subscribers';
import { PAYMENT_QUEUE_NAME } from '../queue/payment-queue';
import { orderingOf, type ServiceEvent } from '../queue/service-event';
import { DELIVERY_JOB_NAME, deliveryJobId, deliveryJobOptions, type DeliveryJobData, type DeliveryPolicy } from './delivery-queue';
import type { OrderingGate } from './ordering-gate';
import { retryDelayMs } from './retry-policy';

export interface FanOutDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly subscribers: readonly Subscriber[];
  readonly deliveries: Queue<DeliveryJobData>;
  readonly gate: OrderingGate;
  readonly policy: DeliveryPolicy;
  readonly concurrency: number;
  readonly stalledIntervalMs: number;
  readonly logger: Logger;
}

/**
 * Consumes `snap-payments` and gives every subscriber its own job, so each is retried,
 * delayed and dead-lettered on its own: one slow subscriber never holds back another.
 * Job ids are deterministic, so a fan-out that runs twice adds nothing twice.
 */
export function startFanOutWorker(d: FanOutDeps): { worker: Worker<ServiceEvent>; close(): Promise<void> } {
  const copies = new Map<string, Queue>();
  for (const s of d.subscribers) {
    if (s.kind === 'queue') copies.set(s.name, new Queue(s.queue, { connection: d.connection, prefix: d.prefix }));
  }
  const webhooks = d.subscribers.filter((s) => s.kind === 'webhook');
  const worker = new Worker<ServiceEvent>(
    PAYMENT_QUEUE_NAME,
    async (job) => {
      const event = job.data;
      const order = orderingOf(event); // VA payments: the bill's digits, the key its vaSequence counts on
      if (order !== undefined) for (const s of webhooks) await d.gate.open(s.name, order.lane, order.sequence);
      if (webhooks.length > 0) {
        await d.deliveries.addBulk(webhooks.map((s) => ({
          name: DELIVERY_JOB_NAME,
          data: { event, subscriber: s.name },
          opts: deliveryJobOptions(d.policy, deliveryJobId(event.id, s.name)),
        })));
      }
      for (const [, q] of copies) {
        await q.add(event.type, event, { jobId: event.id, removeOnComplete: { age: d.policy.completedRetentionDays * 86_400 }, removeOnFail: false });
      }
      d.logger.info('event fanned out', { eventId: event.id, type: event.type, subscribers: d.subscribers.map((s) => s.name) });
      return { subscribers: d.subscribers.map((s) => s.name) };
    },
    {
      connection: d.connection, prefix: d.prefix, concurrency: d.concurrency, stalledInterval: d.stalledIntervalMs, lockDuration: d.stalledIntervalMs, maxStalledCount: 10,
      settings: { backoffStrategy: (attemptsMade) => retryDelayMs(attemptsMade, 500, 30_000, Math.random()) },
    },
  );
  worker.on('error', (err) => d.logger.error('fan-out worker error', { error: err.message }));
  worker.on('failed', (job, err) => d.logger.warn('fan-out failed; retried with backoff', { eventId: job?.id, attemptsMade: job?.attemptsMade, error: err.message }));
  return {
    worker,
    close: async () => {
      await worker.close();
      for (const [, q] of copies) await q.close();
    },
  };
}
