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

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ faults, env: { SNAP_INFLIGHT_WAIT_MS: '200', SNAP_INFLIGHT_LEASE_MS: '30000', SHUTDOWN_GRACE_MS: '500' } });
});
afterAll(async () => h.close());
afterEach(() => {
  h.clock.now = T0;
});

const billStatus = async (customerNo: string): Promise<string | null> => h.redis.hget(`${h.keyPrefix}bill:088899${customerNo}`, 'status');

describe('a crash at any step neither loses an acknowledged payment nor makes two events', () => {
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
