import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { BillStore } from '../../src/redis/bill-store';
import { closeRedis, createRequestRedis, waitReady } from '../../src/redis/redis-connections';
import { RedisKeys } from '../../src/redis/redis-keys';
import { readBillRegistration } from '../../src/snap/bill';
import { parseBodyObject } from '../../src/snap/request-fields';
import { deleteMatching, ON_CLUSTER, REDIS_URL, TEST_TARGET } from '../helpers/test-redis';

const NS = `{bill-store-${process.pid}}:`;
const NOW = Date.parse('2026-12-07T10:00:00Z');
const keys = new RedisKeys(NS);
const payment = (n: number) => JSON.stringify({ paymentRequestId: `p${n}`, eventId: `e${n}`, paidAmount: { value: '1.00', currency: 'IDR' }, referenceNo: null, paidAt: 'x' });
const registration = (customerNo: string) => readBillRegistration(parseBodyObject(Buffer.from(JSON.stringify({
  partnerServiceId: '  088899', customerNo, virtualAccountName: 'Jokul Doe', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed',
}))), new Date(NOW).toISOString());

// test/bench/HISTORY.md, 2026-12-07: a bill read was a MULTI, and each ioredis MULTI builds a
// Pipeline object that copies every script defined on the client; at bill-API load those objects
// were promoted to the old space by the megabyte. A read is one script call now, and a registration
// answers with the record, so the bill API's PUT needs no read after it.
(ON_CLUSTER ? describe.skip : describe)('the bill store', () => {
  let client: Redis;
  let admin: Redis;
  let store: BillStore;
  beforeAll(async () => {
    client = createRequestRedis(TEST_TARGET) as Redis;
    admin = new Redis(REDIS_URL);
    await waitReady(client, 5_000);
    store = new BillStore(client, keys, 3600);
  });
  afterAll(async () => {
    await deleteMatching(admin, `${NS}*`);
    admin.disconnect();
    await closeRedis(client);
  });

  /** The commands our client put on the wire while `fn` ran, as Redis's MONITOR saw them. */
  async function commandsOf<T>(fn: () => Promise<T>): Promise<{ commands: string[]; result: T }> {
    const monitor = await admin.monitor();
    const commands: string[] = [];
    const ours = `127.0.0.1:${client.stream.localPort}`;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === ours) commands.push(String(args[0]).toLowerCase());
    });
    const result = await fn();
    await admin.ping();
    await sleep(50);
    monitor.disconnect();
    return { commands, result };
  }

  it('takes one command on the wire, not a MULTI, and returns the record', async () => {
    await store.register(registration('7100000001'), new Date(NOW).toISOString());
    const { commands, result: record } = await commandsOf(() => store.get('0888997100000001', NOW));
    expect(commands).toHaveLength(1);
    expect(['eval', 'evalsha']).toContain(commands[0]);
    expect(record).toEqual({
      status: 'open',
      bill: expect.objectContaining({ virtualAccountNo: '0888997100000001', virtualAccountName: 'Jokul Doe', totalAmount: { value: '150000.00', currency: 'IDR' } }),
      paymentCount: 0,
      payments: [],
      updatedAt: new Date(NOW).toISOString(),
    });
  });

  it('returns nothing for a VA without a bill, and for a bill whose hash lost its view', async () => {
    expect(await store.get('0888997100000099', NOW)).toBeUndefined();
    await client.hset(keys.bill('0888997100000098'), 'status', 'open');
    expect(await store.get('0888997100000098', NOW)).toBeUndefined();
  });

  it('reads the stored payments and their count, oldest first', async () => {
    await store.register(registration('7100000002'), new Date(NOW).toISOString());
    await client.rpush(keys.billPayments('0888997100000002'), payment(1), payment(2));
    await client.hset(keys.bill('0888997100000002'), 'paymentCount', '2');
    const record = await store.get('0888997100000002', NOW);
    expect(record?.paymentCount).toBe(2);
    expect(record?.payments.map((x) => x.paymentRequestId)).toEqual(['p1', 'p2']);
  });

  it('registers in one command and answers with the record a read returns next, payments kept on a replace', async () => {
    await store.register(registration('7100000003'), new Date(NOW).toISOString());
    await client.rpush(keys.billPayments('0888997100000003'), payment(1));
    await client.hset(keys.bill('0888997100000003'), 'paymentCount', '1');
    const seen = await commandsOf(() => store.register(registration('7100000003'), new Date(NOW + 1000).toISOString()));
    expect(seen.commands).toHaveLength(1);
    expect(seen.result).toEqual({ result: 'replaced', record: await store.get('0888997100000003', NOW + 1000) });
    expect(seen.result).toMatchObject({ record: { status: 'open', paymentCount: 1, payments: [{ paymentRequestId: 'p1' }], updatedAt: new Date(NOW + 1000).toISOString() } });
  });

  it('leaves a paid bill as it was and says so', async () => {
    await store.register(registration('7100000004'), new Date(NOW).toISOString(), 'paid');
    const before = await store.get('0888997100000004', NOW);
    expect(await store.register(registration('7100000004'), new Date(NOW + 1000).toISOString())).toEqual({ result: 'paid' });
    expect(await store.get('0888997100000004', NOW)).toEqual(before);
  });
});
