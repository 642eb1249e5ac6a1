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
  it.each<[Step, string]>([
    ['afterRecord', '5000000001'],
    ['afterEnqueue', '5000000002'],
    ['afterComplete', '5000000003'],
  ])('crash %s, then Faspay retries with the same X-EXTERNAL-ID: 2002500 and exactly one event', async (s, customerNo) => {
    await h.registerBill(bill({ customerNo })).expect(201);
    const count = await h.jobCount();
    const xid = externalId();
    const body = paymentBody(customerNo);
    plan.crashAt = s;
    const crashed = await h.post(PAYMENT, body, { externalId: xid });
    expect(await billStatus(customerNo)).toBe('paid');
    const retry = await h.post(PAYMENT, body, { externalId: xid });
    expect(retry.body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
    if (s === 'afterComplete') {
      // the answer was stored before the crash: the retry is its replay
      expect(crashed.status).toBe(500);
      expect(h.logs.filter((l) => l.externalId === xid).map((l) => l.dedup)).toEqual(['new', 'replay']);
    } else {
      expect(crashed.body).toEqual({ responseCode: '5002501', responseMessage: 'Internal Server Error' });
    }
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
    await h.registerBill(bill({ customerNo: '5000000006' })).expect(201);
    const count = await h.jobCount();
    plan.crashAt = 'afterRecord';
    await h.post(PAYMENT, paymentBody('5000000006'));
    expect(await h.jobCount()).toBe(count);
    expect(await h.svc.relay!.runOnce(T0 + 5_000)).toBe(0); // still within the grace of the request in flight
    expect(await h.svc.relay!.runOnce(T0 + 11_000)).toBe(1);
    expect(await h.svc.relay!.runOnce(T0 + 12_000)).toBe(0);
    expect(await h.jobCount()).toBe(count + 1);
    expect((await h.post(PAYMENT, paymentBody('5000000006'))).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
  });

  it('a process that dies holding the claim: a retry inside the lease gets 2022500 In Progress, after it 2002500, one event', async () => {
    await h.registerBill(bill({ customerNo: '5000000007' })).expect(201);
    const count = await h.jobCount();
    const xid = externalId();
    const body = paymentBody('5000000007');
    plan.hangAt = 'afterRecord';
    const zombie = h.post(PAYMENT, body, { externalId: xid });
    while (plan.release === undefined) await new Promise((r) => setTimeout(r, 5));
    const during = await h.post(PAYMENT, body, { externalId: xid });
    expect(during.status).toBe(202);
    expect(during.body).toEqual({ responseCode: '2022500', responseMessage: 'Request In Progress' });
    h.clock.now = T0 + 30_001;
    const after = await h.post(PAYMENT, body, { externalId: xid, timestamp: '2026-11-22T10:00:00+07:00' });
    expect(after.body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
    // the stuck request finally runs on: it neither adds an event nor overwrites the stored answer
    plan.release!();
    plan.release = undefined;
    expect((await zombie).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
    expect((await h.post(PAYMENT, body, { externalId: xid, timestamp: '2026-11-22T10:00:00+07:00' })).text).toBe(after.text);
  });
});
