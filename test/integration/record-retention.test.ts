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
