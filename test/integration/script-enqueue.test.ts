import { Worker, type Job } from 'bullmq';
import { PaymentQueue } from '../../src/queue/payment-queue';
import { ScriptEnqueue } from '../../src/queue/script-enqueue';
import { scriptEnqueueFor } from '../../src/queue/script-enqueue-for';
import { defineScript } from '../../src/redis/define-script';
import { closeRedis, type RedisClient } from '../../src/redis/redis-connections';
import { connectTestRedis, deleteMatching, TEST_TARGET } from '../helpers/test-redis';

// The ledger scripts run BullMQ's own addStandardJob (src/queue/script-enqueue.ts). These tests
// fail when a BullMQ upgrade changes what its add sends or what a job looks like in Redis.
const prefix = `{se${process.pid}}`;
let redis: RedisClient;
let queue: PaymentQueue;
beforeAll(() => {
  redis = connectTestRedis();
  queue = new PaymentQueue(redis, prefix, 7);
});
afterAll(async () => {
  await queue.close();
  await deleteMatching(redis, `${prefix}:*`);
  await closeRedis(redis);
});

const fold = async (): Promise<ScriptEnqueue> => {
  const f = await ScriptEnqueue.create(queue.queue, queue.jobOptions);
  if ('refused' in f) throw new Error(f.refused);
  return f;
};

describe('ScriptEnqueue against the installed BullMQ', () => {
  it('finds that BullMQ\'s own add sends the keys and arguments it would', async () => {
    expect(await ScriptEnqueue.create(queue.queue, queue.jobOptions)).toBeInstanceOf(ScriptEnqueue);
  });

  it('refuses when BullMQ\'s add sends anything else (here: options that differ between two calls)', async () => {
    let n = 0;
    const drifting = (jobId: string) => ({ ...queue.jobOptions(jobId), attempts: ++n });
    expect(await ScriptEnqueue.create(queue.queue, drifting)).toEqual({ refused: 'bullmq packs the job options differently' });
  });

  it('queues from inside a Lua script the same job Queue.add makes, and a worker gets the event', async () => {
    const f = await fold();
    const add = defineScript(redis, 'scriptEnqueueProbe', f.keys.length, `${f.lua}if enqueueJob(KEYS, ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]) then return 'queued' end return 'failed'`);
    const event = (id: string) => ({ id, type: 'va.payment.received', schemaVersion: 1, paymentRequestId: `pr-${id}`, vaSequence: 1 });
    const addInScript = () => add(f.keys, ['pay_inscript', 'va.payment.received', Date.now(), JSON.stringify(event('pay_inscript'))]);
    expect(await addInScript()).toBe('queued');
    const viaAdd = await queue.queue.add('va.payment.received', event('pay_viaadd'), queue.jobOptions('pay_viaadd'));
    expect(viaAdd.id).toBe('pay_viaadd');

    const stored = async (id: string) => {
      const h = await redis.hgetall(`${prefix}:snap-payments:${id}`);
      delete h.timestamp;
      return { ...h, name: h.name, data: JSON.parse(h.data!) as Record<string, unknown>, opts: JSON.parse(h.opts!) as Record<string, unknown> };
    };
    const inScript = await stored('pay_inscript');
    const added = await stored('pay_viaadd');
    expect(Object.keys(inScript).sort()).toEqual(Object.keys(added).sort());
    expect(inScript.opts).toEqual({ ...added.opts, jobId: 'pay_inscript' });
    expect(inScript.name).toBe(added.name);
    expect(inScript.data).toEqual(event('pay_inscript'));
    expect(await redis.lrange(`${prefix}:snap-payments:wait`, 0, -1)).toEqual(['pay_viaadd', 'pay_inscript']);
    // the same events for QueueEvents listeners, in the same order, whichever way the job came
    const events = (await redis.xrange(`${prefix}:snap-payments:events`, '-', '+')).map(([, fields]) => fields);
    expect(events).toEqual(['pay_inscript', 'pay_viaadd'].flatMap((id) => [
      ['event', 'added', 'jobId', id, 'name', 'va.payment.received'],
      ['event', 'waiting', 'jobId', id],
    ]));

    // the same id again is BullMQ's duplicate, not a second job
    expect(await addInScript()).toBe('queued');
    expect(await redis.llen(`${prefix}:snap-payments:wait`)).toBe(2);

    const seen: Array<Record<string, unknown>> = [];
    const worker = new Worker('snap-payments', async (job: Job) => { seen.push(job.data as Record<string, unknown>); }, { connection: redis, prefix, concurrency: 1 });
    try {
      for (let i = 0; i < 200 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await worker.close();
    }
    expect(seen).toEqual([event('pay_inscript'), event('pay_viaadd')]); // FIFO, as added
  });
});

describe('whether the ledger scripts queue events themselves (ENQUEUE_IN_SCRIPT)', () => {
  const warnings: string[] = [];
  const warn = (m: string): void => { warnings.push(m); };
  beforeEach(() => { warnings.length = 0; });

  it('does by default where the queue shares the ledger\'s hash slot', async () => {
    expect(await scriptEnqueueFor({ enqueueInScript: 'auto', keyPrefix: '{snap}:', queuePrefix: '{snap}' }, TEST_TARGET, queue, warn)).toBeInstanceOf(ScriptEnqueue);
    expect(warnings).toEqual([]);
  });

  it('does not when turned off', async () => {
    expect(await scriptEnqueueFor({ enqueueInScript: 'off', keyPrefix: '{snap}:', queuePrefix: '{snap}' }, TEST_TARGET, queue, warn)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('does not on a Redis Cluster whose two prefixes carry different hash tags, and says why', async () => {
    const cluster = { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 7001 }], auth: {}, tls: false } as const;
    expect(await scriptEnqueueFor({ enqueueInScript: 'auto', keyPrefix: '{snap}:', queuePrefix: '{snapq}' }, cluster, queue, warn)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('different hash tags')]);
    expect(await scriptEnqueueFor({ enqueueInScript: 'auto', keyPrefix: '{snap}:', queuePrefix: 'q{snap}' }, cluster, queue, warn)).toBeInstanceOf(ScriptEnqueue);
  });
});
