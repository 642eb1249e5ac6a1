import type { Job, Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import { deliveryJobId, type DeliveryJobData, type DeliveryPolicy, deliveryJobOptions, DELIVERY_JOB_NAME } from '../delivery/delivery-queue';
import type { DeliveryAttempt } from '../delivery/delivery-worker';
import type { ServiceEvent } from '../queue/service-event';

export class UnknownEventError extends Error {
  constructor(eventId: string) {
    super(`unknown event id ${eventId}: no payment job and no delivery holds it (completed jobs are kept COMPLETED_JOB_RETENTION_DAYS)`);
    this.name = 'UnknownEventError';
  }
}

export interface DeliveryView {
  readonly jobId: string;
  readonly subscriber: string;
  readonly state: string;
  readonly attemptsMade: number;
  readonly failedReason?: string | undefined;
  readonly finishedOn?: number | undefined;
  readonly attempts: readonly DeliveryAttempt[];
}

/** Operator actions on payment events and their deliveries (the `snap-events` CLI). */
export class EventAdmin {
  constructor(
    private readonly payments: Queue<ServiceEvent>,
    private readonly deliveries: Queue<DeliveryJobData>,
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly subscribers: readonly string[],
    private readonly policy: DeliveryPolicy,
  ) {}

  private replaysKey(eventId: string): string {
    return `${this.keyPrefix}replays:${eventId}`;
  }

  async listFailed(limit: number): Promise<DeliveryView[]> {
    const jobs = await this.deliveries.getFailed(0, limit - 1);
    return Promise.all(jobs.map((j) => this.view(j)));
  }

  async show(eventId: string): Promise<{ event: ServiceEvent; deliveries: DeliveryView[] }> {
    const jobs = await this.deliveryJobs(eventId);
    const event = (await this.payments.getJob(eventId))?.data ?? jobs[0]?.data.event;
    if (event === undefined) throw new UnknownEventError(eventId);
    return { event, deliveries: await Promise.all(jobs.map((j) => this.view(j))) };
  }

  /**
   * Delivers an event again. A dead-lettered delivery is retried in place with fresh
   * attempts; a delivered one gets a new job id (BullMQ would ignore a re-add of the old
   * one). The body and webhook-id stay the same, so receivers can still deduplicate.
   */
  async replay(eventId: string, subscriber?: string): Promise<string[]> {
    const { event } = await this.show(eventId);
    const targets = subscriber === undefined ? this.subscribers : [subscriber];
    const done: string[] = [];
    for (const sub of targets) {
      const existing = await this.deliveries.getJob(deliveryJobId(eventId, sub));
      if (existing !== undefined && (await existing.getState()) === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        done.push(existing.id!);
        continue;
      }
      const jobId = `${deliveryJobId(eventId, sub)}.replay-${Date.now()}`;
      await this.deliveries.add(DELIVERY_JOB_NAME, { event, subscriber: sub, replay: true }, deliveryJobOptions(this.policy, jobId));
      await this.redis.sadd(this.replaysKey(eventId), jobId);
      await this.redis.expire(this.replaysKey(eventId), this.policy.completedRetentionDays * 86_400);
      done.push(jobId);
    }
    return done;
  }

  /** Retries every dead-lettered delivery that failed at or after `sinceMs`. */
  async replayFailed(sinceMs: number, subscriber: string | undefined, progress: (done: number, total: number) => void): Promise<{ replayed: number; errors: string[] }> {
    const failed = (await this.deliveries.getFailed(0, -1))
      .filter((j) => (j.finishedOn ?? 0) >= sinceMs && (subscriber === undefined || j.data.subscriber === subscriber));
    const errors: string[] = [];
    let replayed = 0;
    for (const [i, job] of failed.entries()) {
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        replayed++;
      } catch (e) {
        errors.push(`${job.id}: ${(e as Error).message}`);
      }
      progress(i + 1, failed.length);
    }
    return { replayed, errors };
  }

  /** Removes finished jobs older than `olderThanMs` (dead letters included). */
  async purge(olderThanMs: number): Promise<{ deliveries: number; payments: number }> {
    let deliveries = 0;
    let payments = 0;
    for (const state of ['completed', 'failed'] as const) {
      deliveries += (await this.deliveries.clean(olderThanMs, 0, state)).length;
      payments += (await this.payments.clean(olderThanMs, 0, state)).length;
    }
    return { deliveries, payments };
  }

  private async deliveryJobs(eventId: string): Promise<Array<Job<DeliveryJobData>>> {
    const ids = [...this.subscribers.map((s) => deliveryJobId(eventId, s)), ...(await this.redis.smembers(this.replaysKey(eventId)))];
    const jobs = await Promise.all(ids.map((id) => this.deliveries.getJob(id)));
    return jobs.filter((j): j is Job<DeliveryJobData> => j !== undefined);
  }

  private async view(job: Job<DeliveryJobData>): Promise<DeliveryView> {
    const logs = await this.deliveries.getJobLogs(job.id!);
    return {
      jobId: job.id!,
      subscriber: job.data.subscriber,
      state: await job.getState(),
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason,
      finishedOn: job.finishedOn,
      attempts: logs.logs.map((l) => JSON.parse(l) as DeliveryAttempt),
    };
  }
}

/** `30d`, `12h`, `15m`, `45s` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*(d|h|m|s)$/.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
}

/** An ISO-8601 instant, or a duration meaning "that long ago". */
export function parseSince(text: string, nowMs: number): number | undefined {
  const d = parseDuration(text);
  if (d !== undefined) return nowMs - d;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}
