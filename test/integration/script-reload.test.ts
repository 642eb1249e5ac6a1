import { defineScript } from '../../src/redis/define-script';
import { primaries, type RedisClient } from '../../src/redis/redis-connections';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { connectTestRedis } from '../helpers/test-redis';

// src/redis/define-script.ts (ioredis's defineCommand): EVALSHA first, the whole script only on
// NOSCRIPT (a Redis that restarted, a promoted replica, SCRIPT FLUSH), never a second run of one call.
const flushScripts = async (redis: RedisClient): Promise<void> => {
  for (const node of primaries(redis)) await node.script('FLUSH');
};

describe('a ledger script Redis has forgotten', () => {
  const redis = connectTestRedis();
  const key = `{script-reload-${process.pid}}:n`;
  const counter = defineScript(redis, 'reloadCounter', 1, "return redis.call('INCR', KEYS[1])");
  const failing = defineScript(redis, 'reloadFailing', 1, "redis.call('INCR', KEYS[1]); return redis.error_reply('ERR refused by the script')");
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('is sent again whole after SCRIPT FLUSH and runs exactly once per call', async () => {
    expect(await counter([key], [])).toBe(1);
    await flushScripts(redis);
    expect(await counter([key], [])).toBe(2);
    expect(await counter([key], [])).toBe(3);
    expect(await redis.get(key)).toBe('3');
  });

  it('passes a script error through without running the script again', async () => {
    await redis.set(key, '0');
    await flushScripts(redis);
    await expect(failing([key], [])).rejects.toThrow('refused by the script');
    await expect(failing([key], [])).rejects.toThrow('refused by the script');
    expect(await redis.get(key)).toBe('2');
  });
});

describe('the service after Redis forgot its scripts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('accepts the next payment with one event, and a retry of it replays the stored answer', async () => {
    await h.registerBill(bill({ customerNo: '7300000001' })).expect(201);
    await flushScripts(h.redis);
    const body = paymentBody('7300000001', { prid: 'reload-1' });
    const first = await h.post(PAYMENT, body);
    expect(first.body.responseCode).toBe('2002500');
    const retry = await h.post(PAYMENT, body);
    expect(retry.text).toBe(first.text);
    expect(await h.jobCount()).toBe(1);
  });
});
