import type { FaultHooks } from '../../src/kinds/virtual-account/va-deps';
import { bill, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';
import { externalId } from '../helpers/signer';

type Step = 'afterRecord' | 'afterEnqueue' | 'afterComplete';
const plan: { crashAt?: Step; hangAt?: Step; release?: () => void } = {};
const step = async (s: Step): Promise<void> => {
  if (plan.crashAt === s) {
    plan.crashAt = undefined;
    throw new Error(`injected crash ${s}`);
  }
  if (plan.hangAt === s) {
    plan.hangAt = undefined;
    await new Promise<void>((resolve) => { plan.release = resolve; });
  }
};
const faults: FaultHooks = { afterRecord: () => step('afterRecord'), afterEnqueue: () => step('afterEnqueue'), afterComplete: () => step('afterComplete') };

const CRASH_ENV = { SNAP_INFLIGHT_WAIT_MS: '200', SNAP_INFLIGHT_LEASE_MS: '30000', SHUTDOWN_GRACE_MS: '500' };
let h: Harness;
let folded: Harness;
beforeAll(async () => {
  // the two-step path: a Redis Cluster whose REDIS_KEY_PREFIX and QUEUE_PREFIX hash tags differ
  h = await startHarness({ faults, env: { ...CRASH_ENV, ENQUEUE_IN_SCRIPT: 'off' } });
  folded = await startHarness({ faults, env: CRASH_ENV });
});
afterAll(async () => {
  await h.close();
  await folded.close();
});
afterEach(() => {
  h.clock.now = T0;
  folded.clock.now = T0;
});

const billStatus = async (customerNo: string): Promise<string | null> => h.redis.hget(`${h.keyPrefix}bill:088899${customerNo}`, 'status');

describe('a crash at any step neither loses an acknowledged payment nor makes two events (event queued with Queue.add after the ledger step)', () => {
  it('runs the two-step path', async () => {
    expect(h.svc.ledger?.folded).toBe(false);
    expect(h.logs.find((l) => l.message === 'snap-receiver started')).toMatchObject({ enqueue: 'add' });
    await h.registerBill(bill({ customerNo: '5000000009' })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('5000000009'))).body.responseCode).toBe('2002500');
    expect(h.logs.at(-1)).toMatchObject({ payment: 'accepted', enqueued: 'add', enqueueMs: expect.any(Number) });
  });

  // The payment script records the payment, its outbox entry and the answer in one atomic step;
  // the event is queued in the next. A crash after the record leaves the event in the outbox
  // (durable in Redis): a retry under the same X-EXTERNAL-ID gets the stored answer, and the
  // relay (or a retry under a new X-EXTERNAL-ID) queues the event, once.
  it.each<[Step, string]>([
    ['afterRecord', '5000000001'],
    ['afterEnqueue', '5000000002'],
    ['afterComplete', '5000000003'],
  ])('crash %s, then Faspay retries with the same X-EXTERNAL-ID: the stored 2002500, and exactly one event', async (s, customerNo) => {
    await h.registerBill(bill({ customerNo })).expect(201);
    const count = await h.jobCount();
    const xid = externalId();
    const body = paymentBody(customerNo);
    plan.crashAt = s;
    const crashed = await h.post(PAYMENT, body, { externalId: xid });
    expect(crashed.body).toEqual({ responseCode: '5002501', responseMessage: 'Internal Server Error' });
    expect(await billStatus(customerNo)).toBe('paid');
    const retry = await h.post(PAYMENT, body, { externalId: xid });
    expect(retry.body.responseCode).toBe('2002500');
    expect(h.logs.filter((l) => l.externalId === xid).map((l) => l.dedup)).toEqual(['new', 'replay']);
    await h.svc.relay!.runOnce(Date.now() + 60_000);
    await h.svc.relay!.runOnce(Date.now() + 60_000);
    expect(await h.jobCount()).toBe(count + 1);
    expect((await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.paymentRequestId === `pay-${customerNo}`)).toHaveLength(1);
  });

  it.each<[Step, string]>([
    ['afterRecord', '5000000004'],
    ['afterEnqueue', '5000000005'],
  ])('crash %s, then Faspay retries under a new X-EXTERNAL-ID: 2002500 and exactly one event', async (s, customerNo) => {
    await h.registerBill(bill({ customerNo })).expect(201);
    const count = await h.jobCount();
    plan.crashAt = s;
    expect((await h.post(PAYMENT, paymentBody(customerNo))).status).toBe(500);
    expect((await h.post(PAYMENT, paymentBody(customerNo))).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
  });

  it('queues the event through the outbox relay when Faspay never retries, once', async () => {
    await h.svc.relay!.runOnce(Date.now() + 60_000); // what earlier tests left behind
    await h.registerBill(bill({ customerNo: '5000000006' })).expect(201);
    const count = await h.jobCount();
    plan.crashAt = 'afterRecord';
    await h.post(PAYMENT, paymentBody('5000000006'));
    expect(await h.jobCount()).toBe(count);
    expect(await h.svc.relay!.runOnce(T0 + 5_000)).toBe(0); // still within the grace of the request in flight
    const record = `${h.keyPrefix}payreq:pay-5000000006`;
    expect(await h.redis.hget(record, 'event')).toContain('"paymentRequestId":"pay-5000000006"'); // what the relay queues
    expect(await h.svc.relay!.runOnce(T0 + 11_000)).toBe(1);
    expect(await h.redis.hmget(record, 'enq', 'event')).toEqual(['1', null]); // queued: the job holds the event now
    expect(await h.svc.relay!.runOnce(T0 + 12_000)).toBe(0);
    expect(await h.jobCount()).toBe(count + 1);
    expect((await h.post(PAYMENT, paymentBody('5000000006'))).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
  });

  it('a process that stalls after the record: a retry gets the stored 2002500, the stalled request queues the event, once', async () => {
    await h.registerBill(bill({ customerNo: '5000000007' })).expect(201);
    const count = await h.jobCount();
    const xid = externalId();
    const body = paymentBody('5000000007');
    plan.hangAt = 'afterRecord';
    const zombie = h.post(PAYMENT, body, { externalId: xid });
    while (plan.release === undefined) await new Promise((r) => setTimeout(r, 5));
    const during = await h.post(PAYMENT, body, { externalId: xid });
    expect(during.body.responseCode).toBe('2002500');
    // not yet in BullMQ: in the outbox, from where the stalled request or the relay takes it
    expect(await h.jobCount()).toBe(count);
    expect(await h.redis.zscore(`${h.keyPrefix}outbox`, 'pay-5000000007')).not.toBeNull();
    plan.release!();
    plan.release = undefined;
    expect((await zombie).text).toBe(during.text);
    expect(await h.jobCount()).toBe(count + 1);
    expect((await h.post(PAYMENT, body, { externalId: xid })).text).toBe(during.text);
    await h.svc.relay!.runOnce(Date.now() + 60_000);
    expect(await h.jobCount()).toBe(count + 1);
  });

  it('a payment on a bill registered before bills kept their answer parts still answers and queues once (the two-step path)', async () => {
    await h.registerBill(bill({ customerNo: '5000000008' })).expect(201);
    await h.redis.hdel(`${h.keyPrefix}bill:0888995000000008`, 'nm', 'who', 'what');
    const count = await h.jobCount();
    const xid = externalId();
    const first = await h.post(PAYMENT, paymentBody('5000000008'), { externalId: xid });
    expect(first.body.responseCode).toBe('2002500');
    expect(first.body.virtualAccountData.virtualAccountName).toBe('Jokul Doe');
    expect((await h.post(PAYMENT, paymentBody('5000000008'), { externalId: xid })).text).toBe(first.text);
    expect((await h.post(PAYMENT, paymentBody('5000000008'))).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
  });
});

describe('a crash at any step neither loses an acknowledged payment nor makes two events (event queued inside the ledger script)', () => {
  // One atomic script records the payment, queues its BullMQ job and stores the answer: a crash
  // after it finds the job queued already, and before it nothing was written.
  const record = (customerNo: string): string => `${folded.keyPrefix}payreq:pay-${customerNo}`;
  const jobsOf = async (customerNo: string): Promise<number> =>
    (await folded.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.paymentRequestId === `pay-${customerNo}`).length;

  it('runs the folded path', async () => {
    expect(folded.svc.ledger?.folded).toBe(true);
    expect(folded.logs.find((l) => l.message === 'snap-receiver started')).toMatchObject({ enqueue: 'script' });
    await folded.registerBill(bill({ customerNo: '5100000009' })).expect(201);
    expect((await folded.post(PAYMENT, paymentBody('5100000009'))).body.responseCode).toBe('2002500');
    expect(folded.logs.at(-1)).toMatchObject({ payment: 'accepted', enqueued: 'script' });
    expect(await jobsOf('5100000009')).toBe(1);
  });

  it.each<[Step, string]>([
    ['afterRecord', '5100000001'],
    ['afterEnqueue', '5100000002'],
    ['afterComplete', '5100000003'],
  ])('crash %s, then Faspay retries with the same X-EXTERNAL-ID: the stored 2002500, and exactly one event', async (s, customerNo) => {
    await folded.registerBill(bill({ customerNo })).expect(201);
    const xid = externalId();
    const body = paymentBody(customerNo);
    plan.crashAt = s;
    const crashed = await folded.post(PAYMENT, body, { externalId: xid });
    expect(crashed.body).toEqual({ responseCode: '5002501', responseMessage: 'Internal Server Error' });
    expect(await jobsOf(customerNo)).toBe(1); // queued in the step that recorded it
    expect(await folded.redis.hmget(record(customerNo), 'enq', 'event')).toEqual(['1', null]);
    expect(await folded.redis.zscore(`${folded.keyPrefix}outbox`, `pay-${customerNo}`)).toBeNull();
    const retry = await folded.post(PAYMENT, body, { externalId: xid });
    expect(retry.body.responseCode).toBe('2002500');
    expect(folded.logs.filter((l) => l.externalId === xid).map((l) => l.dedup)).toEqual(['new', 'replay']);
    expect(await folded.svc.relay!.runOnce(Date.now() + 60_000)).toBe(0);
    expect(await jobsOf(customerNo)).toBe(1);
  });

  it('crash after the script, then Faspay retries under a new X-EXTERNAL-ID: 2002500 and no second add', async () => {
    await folded.registerBill(bill({ customerNo: '5100000004' })).expect(201);
    plan.crashAt = 'afterRecord';
    expect((await folded.post(PAYMENT, paymentBody('5100000004'))).status).toBe(500);
    const retry = await folded.post(PAYMENT, paymentBody('5100000004'));
    expect(retry.body.responseCode).toBe('2002500');
    expect(folded.logs.at(-1)).toMatchObject({ payment: 'retry', dedup: 'new' });
    expect(folded.logs.at(-1)?.enqueueMs).toBeUndefined();
    expect(await jobsOf('5100000004')).toBe(1);
  });

  it('a process that stalls after the script: the retry gets the stored 2002500 and the event is already queued', async () => {
    await folded.registerBill(bill({ customerNo: '5100000005' })).expect(201);
    const xid = externalId();
    const body = paymentBody('5100000005');
    plan.hangAt = 'afterRecord';
    const zombie = folded.post(PAYMENT, body, { externalId: xid });
    while (plan.release === undefined) await new Promise((r) => setTimeout(r, 5));
    const during = await folded.post(PAYMENT, body, { externalId: xid });
    expect(during.body.responseCode).toBe('2002500');
    expect(await jobsOf('5100000005')).toBe(1);
    plan.release!();
    plan.release = undefined;
    expect((await zombie).text).toBe(during.text);
    expect(await jobsOf('5100000005')).toBe(1);
  });

  it('when BullMQ\'s add fails inside the script, the payment keeps its event in the outbox and the relay queues it once', async () => {
    await folded.registerBill(bill({ customerNo: '5100000006' })).expect(201);
    // a queue key of the wrong type makes addStandardJob raise (pcall catches it in the script)
    const meta = `${folded.queuePrefix}:snap-payments:meta`;
    const saved = await folded.redis.hgetall(meta);
    await folded.redis.del(meta);
    await folded.redis.set(meta, 'not a hash');
    try {
      const res = await folded.post(PAYMENT, paymentBody('5100000006'));
      // the script stored 2002500 with the record; the Queue.add that follows fails the same way
      expect(res.body).toEqual({ responseCode: '5002501', responseMessage: 'Internal Server Error' });
      expect(await folded.redis.hget(record('5100000006'), 'enq')).toBe('0');
      expect(await folded.redis.hget(record('5100000006'), 'event')).toContain('"paymentRequestId":"pay-5100000006"');
      expect(await folded.redis.zscore(`${folded.keyPrefix}outbox`, 'pay-5100000006')).not.toBeNull();
      expect(await folded.redis.hget(`${folded.keyPrefix}bill:0888995100000006`, 'status')).toBe('paid');
    } finally {
      await folded.redis.del(meta);
      if (Object.keys(saved).length > 0) await folded.redis.hset(meta, saved);
    }
    expect(await folded.svc.relay!.runOnce(Date.now() + 60_000)).toBe(1);
    expect(await jobsOf('5100000006')).toBe(1);
    expect((await folded.post(PAYMENT, paymentBody('5100000006'))).body.responseCode).toBe('2002500');
    expect(await jobsOf('5100000006')).toBe(1);
  });

  it('a payment on a bill registered before bills kept their answer parts still answers and queues once', async () => {
    await folded.registerBill(bill({ customerNo: '5100000008' })).expect(201);
    await folded.redis.hdel(`${folded.keyPrefix}bill:0888995100000008`, 'nm', 'who', 'what');
    const xid = externalId();
    const first = await folded.post(PAYMENT, paymentBody('5100000008'), { externalId: xid });
    expect(first.body.responseCode).toBe('2002500');
    expect(first.body.virtualAccountData.virtualAccountName).toBe('Jokul Doe');
    expect((await folded.post(PAYMENT, paymentBody('5100000008'), { externalId: xid })).text).toBe(first.text);
    expect((await folded.post(PAYMENT, paymentBody('5100000008'))).body.responseCode).toBe('2002500');
    expect(await jobsOf('5100000008')).toBe(1);
  });
});
