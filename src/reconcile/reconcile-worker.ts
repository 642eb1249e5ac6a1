import { Queue, Worker } from 'bullmq';
import type { Logger } from 'winston';
import type { RedisClient } from '../redis/redis-connections';
import { sweep, type SweepDeps } from './sweeper';

export const MAINTENANCE_QUEUE_NAME = 'snap-maintenance';

/**
 * The reconciliation sweep as a repeatable BullMQ job (ROLE=worker): one scheduler entry,
 * whatever the number of workers; the sweep's own Redis lock keeps runs from overlapping.
 */
export async function startReconcileWorker(o: {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly everyMs: number;
  readonly sweep: SweepDeps;
  readonly logger: Logger;
  readonly onRun?: (outcome: string) => void;
}): Promise<{ close(): Promise<void> }> {
  const queue = new Queue(MAINTENANCE_QUEUE_NAME, { connection: o.connection, prefix: o.prefix });
  await queue.upsertJobScheduler('reconcile', { every: o.everyMs }, { name: 'reconcile', opts: { removeOnComplete: 100, removeOnFail: 100 } });
  const worker = new Worker(MAINTENANCE_QUEUE_NAME, async (job) => {
    if (job.name !== 'reconcile') return undefined;
    try {
      const r = await sweep(o.sweep);
      o.onRun?.(r.outcome);
      if (r.checked > 0 || r.found.length > 0) o.logger.info('reconciliation sweep', { outcome: r.outcome, checked: r.checked, found: r.found.length, dropped: r.dropped });
      return { outcome: r.outcome, checked: r.checked, found: r.found.length };
    } catch (e) {
      o.onRun?.('failed');
      o.logger.error('reconciliation sweep failed; the next run resumes', { error: (e as Error).message });
      throw e;
    }
  }, { connection: o.connection, prefix: o.prefix, concurrency: 1 });
  worker.on('error', (err) => o.logger.error('maintenance worker error', { error: err.message }));
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
