import net from 'node:net';
import Redis from 'ioredis';
import { EnqueueTimeoutError, FAN_OUT_ATTEMPTS, PaymentQueue } from '../../src/queue/payment-queue';
import { connectTestRedis, deleteMatching } from '../helpers/test-redis';

// A "Redis" that accepts connections and never answers: a paused or partitioned server.
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const event = JSON.stringify({ id: 'pay_budget', type: 'va.payment.received' });

describe('the enqueue budget of a request', () => {
  it('gives up after the budget when Redis does not answer, with a typed error', async () => {
    const silent = await silentServer();
    const conn = new Redis(silent.port, '127.0.0.1', { maxRetriesPerRequest: null, lazyConnect: false });
    const queue = new PaymentQueue(conn, 'budget', 1, 150);
    try {
      const t0 = Date.now();
      await expect(queue.enqueue(event)).rejects.toBeInstanceOf(EnqueueTimeoutError);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      conn.disconnect();
      await silent.close();
    }
  });

  it('without a budget (workers, the relay) the add waits for Redis', async () => {
    const silent = await silentServer();
    const conn = new Redis(silent.port, '127.0.0.1', { maxRetriesPerRequest: null });
    const queue = new PaymentQueue(conn, 'budget', 1);
    try {
      const settled = await Promise.race([queue.enqueue(event).then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 400))]);
      expect(settled).toBe('pending');
    } finally {
      conn.disconnect();
      await silent.close();
    }
  });
});

describe('a payment event job', () => {
  it('is retried with backoff when its fan-out fails (a cut connection must not dead-letter it at once)', async () => {
    const redis = connectTestRedis();
    const prefix = `{budget-${process.pid}}`;
    const queue = new PaymentQueue(redis, prefix, 1, 3_000);
    try {
      await queue.enqueue(event);
      const job = await queue.queue.getJob('pay_budget');
      expect(job!.opts).toMatchObject({ attempts: FAN_OUT_ATTEMPTS, backoff: { type: 'snap' }, removeOnFail: false });
      expect(FAN_OUT_ATTEMPTS).toBeGreaterThan(1);
    } finally {
      await queue.close();
      await deleteMatching(redis, `${prefix}*`);
      redis.disconnect();
    }
  });
});
