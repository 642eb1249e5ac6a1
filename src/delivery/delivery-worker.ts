import { DelayedError, QueueEventsProducer, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { Logger } from 'winston';
import type { WebhookSubscriber } from '../config/load-subscribers';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { orderingOf } from '../queue/service-event';
import { DELIVERY_QUEUE_NAME, type DeliveryJobData, type DeliveryPolicy } from './delivery-queue';
import { postJson } from './http-post';
import type { OrderingGate } from './ordering-gate';
import { parseRetryAfter, retryDelayMs, verdictOf, type DeliveryVerdict } from './retry-policy';
import { webhookSignature } from './webhook-signature';

/** A failure worth retrying; carries the subscriber's Retry-After for the backoff strategy. */
export class RetryableDeliveryError extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

export interface DeliveryAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly status: number | null;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface DeliveryWorkerDeps {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly subscribers: readonly WebhookSubscriber[];
  readonly gate: OrderingGate;
  readonly policy: DeliveryPolicy;
  readonly concurrency: number;
  readonly orderingRetryDelayMs: number;
  readonly stalledIntervalMs: number;
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics | undefined;
}

/**
 * Delivers each (event, subscriber) job as a Standard Webhooks POST: `webhook-id` is the
 * event id (stable across retries and replays), `webhook-timestamp` and
 * `webhook-signature` are made per attempt. Every attempt is logged on the job
 * (status code, latency); a job that fails for good stays in the failed set (dead letter)
 * and a `dead-lettered` queue event is published.
 */
export function startDeliveryWorker(d: DeliveryWorkerDeps): { worker: Worker<DeliveryJobData>; close(graceMs?: number): Promise<void> } {
  const byName = new Map(d.subscribers.map((s) => [s.name, s]));
  const events = new QueueEventsProducer(DELIVERY_QUEUE_NAME, { connection: d.connection, prefix: d.prefix });

  const deadLetter = async (job: Job<DeliveryJobData>, reason: string): Promise<void> => {
    const { event, subscriber, replay } = job.data;
    const order = orderingOf(event);
    if (replay !== true && order !== undefined) await d.gate.finish(subscriber, order.lane, order.sequence);
    await events.publishEvent({ eventName: 'dead-lettered', jobId: job.id ?? '', eventId: event.id, subscriber, reason });
    d.logger.error('delivery dead-lettered', { eventId: event.id, subscriber, reason, attempts: job.attemptsMade + 1 });
  };

  const worker = new Worker<DeliveryJobData>(
    DELIVERY_QUEUE_NAME,
    async (job, token, shutdown) => {
      const { event, subscriber, replay } = job.data;
      const sub = byName.get(subscriber);
      if (sub === undefined) {
        await deadLetter(job, `subscriber ${subscriber} is no longer configured`);
        throw new UnrecoverableError(`subscriber ${subscriber} is no longer configured`);
      }
      const order = replay === true ? undefined : orderingOf(event);
      if (order !== undefined && !(await d.gate.mayDeliver(subscriber, order.lane, order.sequence))) {
        await job.moveToDelayed(Date.now() + d.orderingRetryDelayMs, token);
        throw new DelayedError(); // an earlier payment on this VA is still on its way
      }
      const body = JSON.stringify(event);
      const ts = Math.floor(Date.now() / 1000);
      const started = performance.now();
      let verdict: DeliveryVerdict;
      let status: number | null = null;
      let error: string | undefined;
      try {
        const r = await postJson(sub.url, body, {
          'webhook-id': event.id,
          'webhook-timestamp': String(ts),
          'webhook-signature': webhookSignature(sub.keys, event.id, ts, body),
        }, sub.timeoutMs, shutdown);
        status = r.status;
        verdict = verdictOf(r.status, parseRetryAfter(r.retryAfter, Date.now()));
      } catch (e) {
        if (shutdown?.aborted === true) {
          // the process is shutting down: hand the job back untouched (no attempt used) for
          // another worker; the subscriber may have seen this POST, so it sees the same
          // webhook-id again and deduplicates
          await job.moveToWait(token);
          d.logger.warn('delivery returned to the queue at shutdown', { eventId: event.id, subscriber });
          throw new WaitingError();
        }
        const err = e as Error;
        error = err.name === 'TimeoutError' || err.name === 'AbortError' ? `timeout after ${sub.timeoutMs} ms` : err.message;
        verdict = { kind: 'retry' };
      }
      const attempt: DeliveryAttempt = {
        attempt: job.attemptsMade + 1, at: new Date().toISOString(), status,
        latencyMs: Math.round(performance.now() - started), ...(error === undefined ? {} : { error }),
      };
      await job.log(JSON.stringify(attempt));
      d.metrics?.deliveries.inc({ subscriber, outcome: error !== undefined ? 'error' : verdict.kind });
      const what = status === null ? error! : `HTTP ${status}`;
      switch (verdict.kind) {
        case 'delivered':
          if (order !== undefined) await d.gate.finish(subscriber, order.lane, order.sequence);
          return attempt;
        case 'gone':
          await deadLetter(job, `subscriber gone (${what})`);
          throw new UnrecoverableError(`subscriber gone (${what})`);
        case 'permanent':
          await deadLetter(job, `permanent failure (${what})`);
          throw new UnrecoverableError(`permanent failure (${what})`);
        case 'retry':
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await deadLetter(job, `attempts exhausted (last: ${what})`);
          throw new RetryableDeliveryError(`delivery failed (${what})`, verdict.retryAfterMs);
      }
    },
    {
      connection: d.connection,
      prefix: d.prefix,
      concurrency: d.concurrency,
      stalledInterval: d.stalledIntervalMs,
      lockDuration: d.stalledIntervalMs,
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade, _type, err) =>
          retryDelayMs(attemptsMade, d.policy.backoffBaseMs, d.policy.backoffCapMs, Math.random(),
            err instanceof RetryableDeliveryError ? err.retryAfterMs : undefined),
      },
    },
  );
  worker.on('error', (err) => d.logger.error('delivery worker error', { error: err.message }));
  return {
    worker,
    close: async (graceMs = Infinity) => {
      // in-flight deliveries may finish within the grace period; what is left is cancelled and returned
      const timer = Number.isFinite(graceMs) ? setTimeout(() => worker.cancelAllJobs('shutdown'), graceMs) : undefined;
      await worker.close();
      clearTimeout(timer);
      await events.close();
    },
  };
}
