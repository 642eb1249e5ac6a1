import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeliveryQueue } from '../../src/delivery/delivery-queue';
import { bill, PAYMENT, paymentBody, REDIS_ENV, startHarness, type Harness } from '../helpers/harness';
import { ensureBuilt, spawnService, until } from '../helpers/spawned-service';
import { newSecret, SubscriberServer, waitFor } from '../helpers/subscriber-server';

jest.setTimeout(60_000);

/** A `ROLE=worker` process (node dist/main.js) delivering to `sub`, stopped with a real SIGTERM. */
function worker(h: Harness, sub: SubscriberServer, graceMs: number): ReturnType<typeof spawnService> {
  return spawnService({
    ROLE: 'worker', ADMIN_PORT: '0', ...REDIS_ENV, REDIS_KEY_PREFIX: h.keyPrefix, QUEUE_PREFIX: h.queuePrefix,
    ORDER_WEBHOOK_URL: sub.url, ORDER_WEBHOOK_SECRET: newSecret(), DELIVERY_TIMEOUT_MS: '30000',
    SHUTDOWN_GRACE_MS: String(graceMs), VAR_DIR: mkdtempSync(join(tmpdir(), 'snap-worker-')), LOG_LEVEL: 'warn',
  });
}

async function pay(h: Harness, customerNos: string[]): Promise<void> {
  for (const customerNo of customerNos) {
    await h.registerBill(bill({ customerNo })).expect(201);
    expect((await h.post(PAYMENT, paymentBody(customerNo, { prid: `sd-${customerNo}` }))).body.responseCode).toBe('2002500');
  }
}

describe('a worker process receiving SIGTERM', () => {
  let h: Harness;
  let sub: SubscriberServer;
  let deliveries: ReturnType<typeof createDeliveryQueue>;
  beforeAll(ensureBuilt);
  beforeEach(async () => {
    sub = await new SubscriberServer().start();
    h = await startHarness();
    deliveries = createDeliveryQueue(h.redis, h.queuePrefix);
  });
  afterEach(async () => {
    await deliveries.close();
    await h.close();
    await sub.stop();
  });

  it('finishes the deliveries it has in flight when they end within the grace period, then exits 0', async () => {
    sub.respond = () => ({ status: 200, delayMs: 700 });
    await pay(h, ['7300000001', '7300000002', '7300000003']);
    const w = worker(h, sub, 5_000);
    await waitFor(() => sub.received.length === 3, 20_000, 'three deliveries in flight');
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(await deliveries.getJobCounts('completed', 'active', 'waiting', 'failed', 'delayed'))
      .toEqual({ completed: 3, active: 0, waiting: 0, failed: 0, delayed: 0 });
    expect(sub.statuses).toEqual([200, 200, 200]);
  });

  it('hands back, unspent, the deliveries that outlast the grace period, exits in time, and another worker delivers them', async () => {
    let stuck = true;
    sub.respond = () => (stuck ? { status: 200, delayMs: 25_000 } : { status: 200 });
    await pay(h, ['7300000011', '7300000012']);
    const first = worker(h, sub, 1_000);
    await waitFor(() => sub.received.length === 2, 20_000, 'two deliveries in flight');
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    const returned = await deliveries.getJobs(['waiting']);
    expect(returned).toHaveLength(2);
    expect(returned.map((j) => j.attemptsMade)).toEqual([0, 0]);
    expect(await deliveries.getJobCounts('active', 'failed')).toEqual({ active: 0, failed: 0 });
    expect(first.lines.filter((l) => l.message === 'delivery returned to the queue at shutdown')).toHaveLength(2);

    stuck = false;
    const second = worker(h, sub, 1_000);
    try {
      await waitFor(async () => (await deliveries.getJobCounts('completed')).completed === 2, 20_000, 'both delivered');
      // the subscriber saw each event twice (the first POST was cut off) under the same webhook-id
      const ids = sub.received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(2);
      expect(ids).toHaveLength(4);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    await until(() => (second.stderr() === '' ? true : undefined), 100);
  });
});
