import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logging/create-logger';
import { startService } from '../../src/service';
import { parsePublicKeys } from '../../src/snap/public-keys';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { startLocalCluster, type LocalRedis } from '../helpers/local-redis';
import { makeKeyPair } from '../helpers/signer';
import { newSecret, SubscriberServer, waitFor, webhookSubscriber } from '../helpers/subscriber-server';
import { keysMatching } from '../helpers/test-redis';

jest.setTimeout(60_000);

describe('on a Redis Cluster of three primaries', () => {
  let cluster: LocalRedis;
  let h: Harness;
  const orders = new SubscriberServer();

  beforeAll(async () => {
    cluster = await startLocalCluster();
    await orders.start();
    h = await startHarness({
      redisEnv: { REDIS_CLUSTER_NODES: cluster.address },
      env: { ROLE: 'all', WORKER_STALLED_INTERVAL_MS: '1000', DELIVERY_BACKOFF_BASE_MS: '20', DELIVERY_BACKOFF_CAP_MS: '50' },
      subscribers: [webhookSubscriber('orders', orders.url, [newSecret()])],
    });
  });
  afterAll(async () => {
    await h?.close();
    await orders.stop();
    cluster?.stop();
  });

  it('takes a payment, replays its retry, and delivers exactly one event to the order system', async () => {
    await h.registerBill(bill({ customerNo: '7100000001' })).expect(201);
    const body = paymentBody('7100000001');
    const first = await h.post(PAYMENT, body, { externalId: 'cluster-1' });
    const retry = await h.post(PAYMENT, body, { externalId: 'cluster-1' });
    expect(first.body.responseCode).toBe('2002500');
    expect(retry.text).toBe(first.text);
    await waitFor(() => orders.received.length === 1, 15_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 300));
    expect(orders.received).toHaveLength(1);
    expect(await h.jobCount()).toBe(1);
  });

  it('keeps every key of the ledger in one hash slot, and every key of the queues in one slot', async () => {
    const slotsOf = async (pattern: string): Promise<Set<number>> => {
      const keys = await keysMatching(h.redis, pattern);
      expect(keys.length).toBeGreaterThan(2);
      return new Set(await Promise.all(keys.map(async (k) => Number(await (h.redis as unknown as Redis).cluster('KEYSLOT', k)))));
    };
    expect((await slotsOf(`${h.keyPrefix}*`)).size).toBe(1);
    expect((await slotsOf(`${h.queuePrefix}:*`)).size).toBe(1);
  });

  it('refuses to start in production when any one primary may evict keys', async () => {
    const node = new Redis(cluster.ports[2]!, '127.0.0.1');
    await node.config('SET', 'maxmemory-policy', 'volatile-lru');
    const key = makeKeyPair();
    try {
      const config = loadConfig({
        NODE_ENV: 'production', ROLE: 'api', HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', REDIS_CLUSTER_NODES: cluster.address,
        FASPAY_PUBLIC_KEY: key.publicKeyPem, INTERNAL_API_TOKEN: randomBytes(24).toString('hex'),
      });
      await expect(startService({ config, publicKeys: parsePublicKeys(key.publicKeyPem), internalApiToken: 'x'.repeat(32), logger: createLogger('error', true) }))
        .rejects.toThrow('Redis maxmemory-policy is volatile-lru');
    } finally {
      await node.config('SET', 'maxmemory-policy', 'noeviction');
      await node.quit();
    }
  });

  it('asks each slot owner for replica acknowledgements (REDIS_WAIT_REPLICAS), and holds "paid" back when a primary has none', async () => {
    const waiting = await startHarness({ redisEnv: { REDIS_CLUSTER_NODES: cluster.address }, env: { REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '50' } });
    try {
      await waiting.registerBill(bill({ customerNo: '7100000002' })).expect(201);
      const res = await waiting.post(PAYMENT, paymentBody('7100000002'), { externalId: 'cluster-wait' });
      expect(res.body.responseCode).toBe('5002501');
      // a shortfall, not a CROSSSLOT or other error: the probes reached their slots' primaries
      expect(waiting.logs.find((l) => l.externalId === 'cluster-wait')).toMatchObject({ failure: 'replication' });
      expect(await waiting.jobCount()).toBe(1);
    } finally {
      await waiting.close();
    }
  });
});
