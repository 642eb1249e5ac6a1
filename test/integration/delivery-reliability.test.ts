import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeliveryQueue } from '../../src/delivery/delivery-queue';
import type { PaymentReceivedEvent } from '../../src/snap/payment-event';
import { bill, PAYMENT, paymentBody, REDIS_ENV, startHarness, type Harness } from '../helpers/harness';
import { ensureBuilt, spawnService, until, type Spawned } from '../helpers/spawned-service';
import { newSecret, SubscriberServer, waitFor, webhookSubscriber } from '../helpers/subscriber-server';

jest.setTimeout(120_000);

/** Registers open bills and pays `perVa` times on each, VAs in parallel, payments on one VA one after another. */
async function payMany(h: Harness, tag: string, vas: number, perVa: number): Promise<void> {
  await Promise.all(Array.from({ length: vas }, async (_, v) => {
    const customerNo = `${tag}${String(v).padStart(4, '0')}`;
    await h.registerBill(bill({ customerNo, amountType: 'open', amount: '0' })).expect(201);
    for (let i = 1; i <= perVa; i++) {
      const res = await h.post(PAYMENT, paymentBody(customerNo, { prid: `${customerNo}-${i}`, amount: String(i) }));
      if (res.body.responseCode !== '2002500') throw new Error(`payment ${customerNo}-${i}: ${res.text}`);
    }
  }));
}

const successes = (s: SubscriberServer): Map<string, number> => {
  const m = new Map<string, number>();
  s.received.forEach((r, i) => {
    if (s.statuses[i] === 200) m.set(String(r.headers['webhook-id']), (m.get(String(r.headers['webhook-id'])) ?? 0) + 1);
  });
  return m;
};

describe('delivery reliability against real Redis and a real local subscriber', () => {
  it('subscriber refusing connections, then answering 500, then recovering: every event delivered exactly once', async () => {
    const sub = await new SubscriberServer().start();
    const port = sub.port;
    await sub.stop(); // connections refused from here on
    const h = await startHarness({
      env: { ROLE: 'all', WORKER_CONCURRENCY: '20', DELIVERY_MAX_ATTEMPTS: '100', DELIVERY_BACKOFF_BASE_MS: '50', DELIVERY_BACKOFF_CAP_MS: '300', WORKER_STALLED_INTERVAL_MS: '2000' },
      subscribers: [webhookSubscriber('orders', `http://127.0.0.1:${port}/hook`, [newSecret()])],
    });
    try {
      await payMany(h, '14', 10, 3);
      await new Promise((r) => setTimeout(r, 1_000));
      let phase: 'errors' | 'ok' = 'errors';
      sub.respond = () => ({ status: phase === 'errors' ? 500 : 200 });
      await sub.start(port);
      await new Promise((r) => setTimeout(r, 1_000));
      phase = 'ok';
      await waitFor(() => successes(sub).size === 30, 30_000, '30 successful deliveries');
      await new Promise((r) => setTimeout(r, 500));
      expect([...successes(sub).values()].every((count) => count === 1)).toBe(true);
      expect(sub.statuses.filter((s) => s === 500).length).toBeGreaterThan(0);
    } finally {
      await h.close();
      await sub.stop();
    }
  });

  it('1,000 events for 50 VAs reach the subscriber with per-VA order preserved, despite failures', async () => {
    const sub = await new SubscriberServer().start();
    let calls = 0;
    sub.respond = () => (++calls % 7 === 0 ? { status: 503 } : { status: 200, delayMs: calls % 5 });
    const h = await startHarness({
      env: { ROLE: 'all', WORKER_CONCURRENCY: '50', DELIVERY_MAX_ATTEMPTS: '100', DELIVERY_BACKOFF_BASE_MS: '20', DELIVERY_BACKOFF_CAP_MS: '100', ORDERING_RETRY_DELAY_MS: '20' },
      subscribers: [webhookSubscriber('orders', sub.url, [newSecret()])],
    });
    try {
      await payMany(h, '15', 50, 20);
      await waitFor(() => successes(sub).size === 1_000, 90_000, '1,000 deliveries');
      const perVa = new Map<string, number[]>();
      sub.received.forEach((r, i) => {
        if (sub.statuses[i] !== 200) return;
        const e = JSON.parse(r.body) as PaymentReceivedEvent;
        perVa.set(e.customerNo, [...(perVa.get(e.customerNo) ?? []), e.vaSequence]);
      });
      expect(perVa.size).toBe(50);
      const inOrder = Array.from({ length: 20 }, (_, i) => i + 1);
      for (const [, seqs] of perVa) expect(seqs).toEqual(inOrder);
    } finally {
      await h.close();
      await sub.stop();
    }
  });

  it('a worker killed with SIGKILL mid-delivery: a new worker picks the stalled jobs up, nothing is lost', async () => {
    ensureBuilt();
    const sub = await new SubscriberServer().start();
    sub.respond = () => ({ status: 200, delayMs: 150 });
    const secret = newSecret();
    const h = await startHarness();
    const env = {
      ROLE: 'worker', ADMIN_PORT: '0', ...REDIS_ENV, REDIS_KEY_PREFIX: h.keyPrefix, QUEUE_PREFIX: h.queuePrefix,
      ORDER_WEBHOOK_URL: sub.url, ORDER_WEBHOOK_SECRET: secret, WORKER_CONCURRENCY: '5', WORKER_STALLED_INTERVAL_MS: '1000',
      VAR_DIR: mkdtempSync(join(tmpdir(), 'snap-worker-')), LOG_LEVEL: 'warn',
    };
    let second: Spawned | undefined;
    try {
      await payMany(h, '16', 10, 4);
      const first = spawnService(env);
      await waitFor(() => sub.received.length >= 8, 20_000, 'some deliveries in flight');
      first.child.kill('SIGKILL');
      await first.exited;
      const before = sub.received.length;
      expect(before).toBeLessThan(40);
      second = spawnService(env);
      await waitFor(() => successes(sub).size === 40, 60_000, 'all 40 events delivered');
      const events = (await h.svc.queue!.queue.getJobs(['completed', 'waiting', 'active'])).map((j) => j.data.id);
      expect(new Set(successes(sub).keys())).toEqual(new Set(events));
      const deliveries = createDeliveryQueue(h.redis, h.queuePrefix);
      await waitFor(async () => (await deliveries.getJobCounts('completed')).completed === 40, 10_000, 'jobs completed');
      expect((await deliveries.getJobCounts('failed')).failed).toBe(0);
      await deliveries.close();
      await until(() => (second!.stderr() === '' ? true : undefined), 100);
    } finally {
      second?.child.kill('SIGTERM');
      await second?.exited;
      await h.close();
      await sub.stop();
    }
  });
});
