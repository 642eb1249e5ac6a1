import request from 'supertest';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { keysMatching } from '../helpers/test-redis';

// README "Soak" → Redis memory: what a payment leaves in Redis, and for how long.
const TTL_DAYS = 31;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { PAYMENT_RECORD_TTL_DAYS: String(TTL_DAYS) } });
});
afterAll(async () => h.close());

const recordKey = (prid: string) => `${h.keyPrefix}payreq:${prid}`;
const billKey = (digits: string) => `${h.keyPrefix}bill:${digits}`;
const billPayKey = (digits: string) => `${h.keyPrefix}billpay:${digits}`;
const vaDigits = (customerNo: string) => `088899${customerNo}`;

async function untilQueuedMark(prid: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await h.redis.hget(recordKey(prid), 'enq')) === '1') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`record ${prid} was never marked queued`);
}

const DD = '/v1.0/debit/notify';
const notify = (ref: string) => JSON.stringify({
  originalPartnerReferenceNo: ref, originalReferenceNo: `FP-${ref}`, originalExternalId: '123', merchantId: '98765', amount: { value: '25000.00', currency: 'IDR' },
  latestTransactionStatus: '00', transactionStatusDesc: 'Success', createdTime: '2026-11-22T09:59:00+07:00', finishedTime: '2026-11-22T10:00:00+07:00',
});

describe('what a payment leaves in Redis', () => {
  it('drops the event JSON from the payment record once it is queued, and a retry still answers paid without a second event', async () => {
    await h.registerBill(bill({ customerNo: '7200000001' })).expect(201);
    const body = paymentBody('7200000001', { prid: 'ret-1' });
    expect((await h.post(PAYMENT, body)).body.responseCode).toBe('2002500');
    await untilQueuedMark('ret-1');
    const record = await h.redis.hgetall(recordKey('ret-1'));
    expect(record.event).toBeUndefined();
    expect(record).toMatchObject({ enq: '1', minor: '15000000', cur: 'IDR' });
    const jobs = await h.jobCount();
    const retry = await h.post(PAYMENT, body);
    expect(retry.body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(jobs);
  });

  it('lets a paid closed bill and its payment list expire with the payment record, and keeps an open bill', async () => {
    await h.registerBill(bill({ customerNo: '7200000003' })).expect(201);
    await h.registerBill(bill({ customerNo: '7200000004', amountType: 'open' })).expect(201);
    expect(await h.redis.ttl(billKey(vaDigits('7200000003')))).toBe(-1);
    expect((await h.post(PAYMENT, paymentBody('7200000003', { prid: 'ret-3' }))).body.responseCode).toBe('2002500');
    expect((await h.post(PAYMENT, paymentBody('7200000004', { prid: 'ret-4' }))).body.responseCode).toBe('2002500');
    const ttl = TTL_DAYS * 86_400;
    for (const key of [billKey(vaDigits('7200000003')), billPayKey(vaDigits('7200000003')), recordKey('ret-3')]) {
      expect(await h.redis.ttl(key)).toBeGreaterThan(ttl - 60);
      expect(await h.redis.ttl(key)).toBeLessThanOrEqual(ttl);
    }
    expect(await h.redis.ttl(billKey(vaDigits('7200000004')))).toBe(-1);
  });

  /** Seconds until `ms` (Redis expires by its own clock, the real one; the service's clock is the harness's). */
  const secondsUntil = (ms: number): number => Math.round((ms - Date.now()) / 1000);
  const DAY_MS = 86_400_000;

  it('keeps a bill with an expiry (a dynamic VA) until its expiry plus the retention, and one without it (static) for good', async () => {
    const expiredDate = '2026-11-23T10:00:00+07:00';
    await h.registerBill(bill({ customerNo: '7200000005', expiredDate })).expect(201);
    const until = Date.parse(expiredDate) + TTL_DAYS * DAY_MS;
    const ttl = await h.redis.ttl(billKey(vaDigits('7200000005')));
    expect(Math.abs(ttl - secondsUntil(until))).toBeLessThanOrEqual(5);
    // registered again without an expiry, it becomes a static VA: no TTL any more
    await h.registerBill(bill({ customerNo: '7200000005' })).expect(200);
    expect(await h.redis.ttl(billKey(vaDigits('7200000005')))).toBe(-1);
  });

  it('lets an open bill with an expiry take its payment list along when it expires, and keeps a static open bill\'s list', async () => {
    const expiredDate = '2026-11-30T10:00:00+07:00';
    await h.registerBill(bill({ customerNo: '7200000006', amountType: 'open', expiredDate })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('7200000006', { prid: 'ret-6' }))).body.responseCode).toBe('2002500');
    const until = Date.parse(expiredDate) + TTL_DAYS * DAY_MS;
    expect(Math.abs((await h.redis.ttl(billPayKey(vaDigits('7200000006')))) - secondsUntil(until))).toBeLessThanOrEqual(5);
    expect(Math.abs((await h.redis.ttl(billKey(vaDigits('7200000006')))) - secondsUntil(until))).toBeLessThanOrEqual(5);
    expect((await h.post(PAYMENT, paymentBody('7200000004', { prid: 'ret-4b' }))).body.responseCode).toBe('2002500');
    expect(await h.redis.ttl(billPayKey(vaDigits('7200000004')))).toBe(-1);
  });

  it('keeps a cancelled bill for the retention, and a bill registered again after it for good', async () => {
    await h.registerBill(bill({ customerNo: '7200000007', amountType: 'open' })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('7200000007', { prid: 'ret-7' }))).body.responseCode).toBe('2002500');
    await request(h.admin).delete(`/internal/v1/bills/${vaDigits('7200000007')}`).set('Authorization', `Bearer ${h.token}`).expect(200);
    for (const key of [billKey(vaDigits('7200000007')), billPayKey(vaDigits('7200000007'))]) {
      expect(await h.redis.ttl(key)).toBeGreaterThan(TTL_DAYS * 86_400 - 60);
      expect(await h.redis.ttl(key)).toBeLessThanOrEqual(TTL_DAYS * 86_400);
    }
    await h.registerBill(bill({ customerNo: '7200000007', amountType: 'open' })).expect(200);
    expect(await h.redis.ttl(billKey(vaDigits('7200000007')))).toBe(-1);
    expect(await h.redis.ttl(billPayKey(vaDigits('7200000007')))).toBe(-1);
  });

  it('still refuses a resent notification after its record dropped the event', async () => {
    const first = await h.post(DD, notify('RET-N1'));
    expect(first.body.responseCode).toBe('2005600');
    const jobs = await h.jobCount();
    const keys = await keysMatching(h.redis, `${h.keyPrefix}evt:*`);
    expect(keys).toHaveLength(1);
    for (let i = 0; i < 100 && (await h.redis.hget(keys[0]!, 'enq')) !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await h.redis.hget(keys[0]!, 'event')).toBeNull();
    const resend = await h.post(DD, notify('RET-N1'));
    expect(resend.body.responseCode).toBe('2005600');
    expect(await h.jobCount()).toBe(jobs);
  });
});
