import Redis from 'ioredis';
import { SENTINEL_NAME, startLocalSentinel, type LocalRedis } from '../helpers/local-redis';
import { waitFor } from '../helpers/subscriber-server';
import { closeRedis, createQueueRedis, createRequestRedis, type RedisClient } from '../../src/redis/redis-connections';
import type { RedisTarget } from '../../src/redis/redis-target';

jest.setTimeout(30_000);

// README "Proof under faults" → Sentinel failover: ioredis's failover detector, still subscribed from
// the connection the primary's death closed, fires while the client is reconnecting. To make that
// moment last, the sentinel is paused (SIGSTOP) so the reconnect waits on its answer; the
// `+switch-master` message is delivered to the detector's own sentinel client as the sentinel would.
describe('a failover announced while a Sentinel client is reconnecting', () => {
  let topology: LocalRedis;
  let target: RedisTarget;
  beforeAll(async () => {
    topology = await startLocalSentinel();
    target = { kind: 'sentinel', sentinels: [{ host: '127.0.0.1', port: topology.ports[2]! }], name: SENTINEL_NAME, auth: {}, tls: false };
  });
  afterAll(() => topology?.stop());

  async function announceFailoverMidReconnect(client: RedisClient): Promise<void> {
    await waitFor(async () => client.status === 'ready', 10_000, 'the first connection');
    const detector = (client as unknown as { connector: { failoverDetector: { sentinels: Array<{ client: Redis }> } | null } }).connector.failoverDetector;
    await waitFor(async () => detector?.sentinels[0]?.client.status === 'ready', 5_000, 'the failover subscription');
    const sentinelPid = topology.pidOf(topology.ports[2]!);
    const admin = new Redis(topology.ports[0]!, '127.0.0.1');
    process.kill(sentinelPid, 'SIGSTOP');
    try {
      // the primary drops the client's socket (as when it dies); the client asks the paused sentinel again
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await waitFor(async () => client.status === 'connecting', 5_000, 'the reconnect');
      detector!.sentinels[0]!.client.emit('message', '+switch-master', `${SENTINEL_NAME} 127.0.0.1 ${topology.ports[0]} 127.0.0.1 ${topology.ports[0]}`);
    } finally {
      process.kill(sentinelPid, 'SIGCONT');
      admin.disconnect();
    }
  }

  it('ends a client with stock ioredis for good (the race FailoverSafeSentinelConnector closes; if this fails, ioredis fixed it)', async () => {
    const stock = new Redis({ sentinels: [{ host: '127.0.0.1', port: topology.ports[2]! }], name: SENTINEL_NAME, failoverDetector: true });
    stock.on('error', () => undefined);
    try {
      await announceFailoverMidReconnect(stock);
      await waitFor(async () => stock.status === 'end', 5_000, 'the stock client to end');
      await new Promise((r) => setTimeout(r, 500));
      expect(stock.status).toBe('end');
    } finally {
      stock.disconnect();
    }
  });

  it.each([['queue', createQueueRedis], ['request', createRequestRedis]] as const)('keeps the service’s %s connection alive: it reconnects and answers', async (_name, create) => {
    const client = create(target);
    client.on('error', () => undefined);
    try {
      await announceFailoverMidReconnect(client);
      await waitFor(async () => client.status === 'ready', 10_000, 'the reconnect to finish');
      expect(await client.set('race:probe', '1')).toBe('OK');
    } finally {
      await closeRedis(client);
    }
  });

  it('still closes an established connection when the failover is announced, and reconnects through Sentinel', async () => {
    const client = createQueueRedis(target);
    client.on('error', () => undefined);
    try {
      await waitFor(async () => client.status === 'ready', 10_000, 'the first connection');
      const detector = (client as unknown as { connector: { failoverDetector: { sentinels: Array<{ client: Redis }> } } }).connector.failoverDetector;
      await waitFor(async () => detector.sentinels[0]?.client.status === 'ready', 5_000, 'the failover subscription');
      const seen: string[] = [];
      client.on('close', () => seen.push('close'));
      detector.sentinels[0]!.client.emit('message', '+switch-master', SENTINEL_NAME);
      await waitFor(async () => seen.length > 0 && client.status === 'ready', 10_000, 'the reconnect');
      expect(await client.ping()).toBe('PONG');
    } finally {
      await closeRedis(client);
    }
  });
});
