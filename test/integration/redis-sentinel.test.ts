import Redis from 'ioredis';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { SENTINEL_NAME, startLocalSentinel, viaSentinel, type LocalRedis } from '../helpers/local-redis';
import { waitFor } from '../helpers/subscriber-server';

jest.setTimeout(90_000);

describe('through Redis Sentinel (REDIS_WAIT_REPLICAS left at its Sentinel default, 1)', () => {
  let topology: LocalRedis;
  let sentinel: Redis;
  let h: Harness;
  const primaryPort = async (): Promise<number> =>
    Number(((await sentinel.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as string[])[1]);

  beforeAll(async () => {
    topology = await startLocalSentinel();
    sentinel = new Redis(topology.ports[2]!, '127.0.0.1');
    h = await startHarness({ redisEnv: viaSentinel(topology) });
  });
  afterAll(async () => {
    await h?.close();
    sentinel?.disconnect(); // a sentinel does not know QUIT
    topology?.stop();
  });

  /** Faspay's side: the same request again until it is answered with a final code. */
  async function payUntilAnswered(body: string, externalId: string): Promise<string[]> {
    const codes: string[] = [];
    for (;;) {
      const res = await h.post(PAYMENT, body, { externalId });
      codes.push(String(res.body.responseCode));
      if (!res.body.responseCode.startsWith('500')) return codes;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Answers before the last that were not "try again" (5002501, which Faspay retries). */
  const unexpectedEarlierAnswers = (codes: string[]): string[] => [...new Set(codes.slice(0, -1))].filter((c) => c !== '5002501');

  it('writes to the primary Sentinel names, and after a failover says "paid" only for payments the new primary holds: one event each', async () => {
    expect(h.logs.find((l) => l.message === 'snap-receiver started')?.waitReplicas).toBe(1);
    await h.registerBill(bill({ customerNo: '7200000001' })).expect(201);
    await h.registerBill(bill({ customerNo: '7200000002' })).expect(201);
    const before = paymentBody('7200000001', { prid: 'sentinel-1' });
    expect((await h.post(PAYMENT, before, { externalId: 'sentinel-x1' })).body.responseCode).toBe('2002500');
    expect(await primaryPort()).toBe(topology.ports[0]);
    // the replica must hold the ledger before it is promoted (replication is asynchronous)
    const [primary, replica] = [new Redis(topology.ports[0]!, '127.0.0.1'), new Redis(topology.ports[1]!, '127.0.0.1')];
    await waitFor(async () => (await replica.dbsize()) === (await primary.dbsize()), 10_000, 'replication');
    await Promise.all([primary.quit(), replica.quit()]);

    await sentinel.call('SENTINEL', 'FAILOVER', SENTINEL_NAME);
    await waitFor(async () => (await primaryPort()) === topology.ports[1], 20_000, 'the failover');

    // Until the client learns of the switch it still writes to the deposed primary, which Sentinel turns
    // into a replica later, dropping what it took meanwhile. With REDIS_WAIT_REPLICAS=0 a busy machine
    // (three busy loops beside the test) answered this payment "paid" there and lost its event in 6 runs
    // of 8. WAIT finds no replica behind the deposed primary, so the answer is "try again" until the
    // payment is written where it stays.
    const after = await payUntilAnswered(paymentBody('7200000002', { prid: 'sentinel-2' }), 'sentinel-x2');
    expect(after.at(-1)).toBe('2002500');
    expect(unexpectedEarlierAnswers(after)).toEqual([]);
    // Faspay's retry of the first payment after the failover: replayed, not paid twice
    const retry = await payUntilAnswered(before, 'sentinel-x1');
    expect(retry.at(-1)).toBe('2002500');
    expect(unexpectedEarlierAnswers(retry)).toEqual([]);
    expect(await h.jobCount()).toBe(2);
  });
});
