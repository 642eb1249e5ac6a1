import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { closeRedis, createRequestRedis, waitReady } from '../../src/redis/redis-connections';
import { ON_CLUSTER, REDIS_URL, TEST_TARGET } from '../helpers/test-redis';

// test/bench/HISTORY.md, 2026-12-07: with ioredis autopipelining a call waited behind the
// previous batch's round trip (one batch in flight per node); without it payments cost 8–22 % less CPU on Node 20 (about even on Node 24, with more throughput).
(ON_CLUSTER ? describe.skip : describe)('the request path’s Redis connection', () => {
  it('puts a second call on the wire while the first still waits for Redis', async () => {
    const client = createRequestRedis(TEST_TARGET) as Redis;
    const admin = new Redis(REDIS_URL);
    try {
      await waitReady(client, 5_000);
      // Redis holds writes (not the UNPAUSE below) until told otherwise, below the client's 2 s command timeout
      await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
      const first = client.set('{request-connection}:a', '1');
      await sleep(30);
      const second = client.set('{request-connection}:b', '1');
      await sleep(30);
      const waitingForReplies = (client as unknown as { commandQueue: { length: number } }).commandQueue.length;
      await admin.call('CLIENT', 'UNPAUSE');
      expect(await Promise.all([first, second])).toEqual(['OK', 'OK']);
      expect(waitingForReplies).toBe(2);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      await admin.del('{request-connection}:a', '{request-connection}:b');
      admin.disconnect();
      await closeRedis(client);
    }
  });
});
