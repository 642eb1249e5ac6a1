import { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'winston';
import { PAYMENT_QUEUE_NAME } from '../queue/payment-queue';
import type { PaymentReceivedEvent } from '../snap/payment-event';

/** Consumes `snap-payments`. Delivery to order systems is a later step; for now it logs and completes. */
export function startPaymentWorker(connection: Redis, prefix: string, concurrency: number, logger: Logger): Worker<PaymentReceivedEvent> {
  const worker = new Worker<PaymentReceivedEvent>(
    PAYMENT_QUEUE_NAME,
    async (job) => {
      logger.info('payment event received by worker', {
        eventId: job.data.id,
        virtualAccountNo: job.data.virtualAccountNo.trim(),
        paidAmount: job.data.paidAmount,
        attempt: job.attemptsMade + 1,
      });
      return { handledAt: new Date().toISOString() };
    },
    { connection, prefix, concurrency },
  );
  worker.on('failed', (job, err) => logger.error('payment job failed', { eventId: job?.id, error: err.message }));
  worker.on('error', (err) => logger.error('payment worker error', { error: err.message }));
  return worker;
}
