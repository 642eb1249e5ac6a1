import request from 'supertest';
import { crashPlan, type Step } from '../helpers/fault-plan';
import { MemberStore } from '../../src/redis/member-store';
import { RedisKeys } from '../../src/redis/redis-keys';
import { ccCallback, ccExpiredNotice, encodeLegacy, recurringPaymentNotification } from '../../src/sim/card-notifications';
import { INQUIRY, inquiryBody, startHarness, T0, type Harness } from '../helpers/harness';

const FASPAY = { userId: 'bot98765', password: 'recurring-password-0123', merchantId: '98765' };
const CARD = { ccMerchantId: 'TEST01', ccTxnPassword: 'cc-transaction-password-0123' };
const RECURRING = '/faspay/recurring/payment-notification';
const EXPIRED = '/faspay/recurring/cc-expired';
const CALLBACK = '/faspay/credit-card/notification';

const { plan, faults } = crashPlan();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    faults,
    faspay: { faspay: FASPAY, card: CARD, missing: [] },
    env: { FASPAY_MERCHANT_ID: '98765', FASPAY_NOTIFY_IPS: '127.0.0.1/32', SNAP_INFLIGHT_WAIT_MS: '200' },
  });
});
afterAll(async () => h.close());

const send = (path: string, fields: Record<string, string>, as: 'json' | 'form' = 'json', raw?: string) => {
  const { body, contentType } = encodeLegacy(fields, as);
  return request(h.api).post(path).set('Content-Type', contentType).send(raw ?? body);
};
const jobsOf = async (type: string) => (await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.name === type);

describe('recurring Payment Notification', () => {
  it('acknowledges with response_code 00 only after queueing one card.recurring.payment event', async () => {
    const res = await send(RECURRING, recurringPaymentNotification(FASPAY, { trxId: 'RP-1', memberId: 'M-1', nowMs: T0 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response: 'Payment Notification', trx_id: 'RP-1', merchant_id: '98765', member_id: 'M-1', response_code: '00', response_desc: 'Success' });
    expect(res.body.response_date).toBe('2026-11-22 10:00:00');
    const jobs = (await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === 'RP-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ type: 'card.recurring.payment', schemaVersion: 1, memberId: 'M-1', paymentStatus: 'success', paymentStatusCode: '2' });
    expect(jobs[0]!.data.raw).not.toHaveProperty('signature');
    expect(jobs[0]!.id).toBe(jobs[0]!.data.id);
  });

  it('answers a resend (Faspay sends up to 3 times) with 00 again and no second event', async () => {
    const n = recurringPaymentNotification(FASPAY, { trxId: 'RP-2', memberId: 'M-1', nowMs: T0 });
    const first = await send(RECURRING, n);
    const again = await send(RECURRING, n, 'form');
    expect(again.body).toEqual(first.body);
    expect((await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === 'RP-2')).toHaveLength(1);
    expect(h.logs.filter((l) => l.message === 'snap request' && l.snapService === 'recurring-payment').map((l) => l.dedup).slice(-2)).toEqual(['new', 'replay']);
  });

  it('makes a second event for a status change of the same trx_id', async () => {
    await send(RECURRING, recurringPaymentNotification(FASPAY, { trxId: 'RP-3', memberId: 'M-1', status: '3' }));
    await send(RECURRING, recurringPaymentNotification(FASPAY, { trxId: 'RP-3', memberId: 'M-1', status: '2' }));
    const jobs = (await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === 'RP-3');
    expect(jobs.map((j) => j.data.paymentStatus).sort()).toEqual(['failed', 'success']);
  });

  it('verifies a signature over txn_status too, and logs which one matched', async () => {
    const res = await send(RECURRING, recurringPaymentNotification(FASPAY, { trxId: 'RP-4', memberId: 'M-1', txnStatus: 'S', signOver: 'txn_status' }));
    expect(res.body.response_code).toBe('00');
    expect(h.logs.filter((l) => l.message === 'snap request').at(-1)!.signature).toEqual({ keyId: 'sha1md5:txn_status', path: 'body', body: 'raw' });
  });

  it('refuses a tampered notification with HTTP 401 and a non-00 code, writing nothing', async () => {
    const before = await h.keyCount();
    // the signature covers trx_id and the status (not member_id: the protocol signs no more)
    const n = { ...recurringPaymentNotification(FASPAY, { trxId: 'RP-5', memberId: 'M-1', status: '3' }), payment_status_code: '2' };
    const res = await send(RECURRING, n);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ response: 'Payment Notification', response_code: '01', response_desc: 'Unauthorized. [Signature]' });
    expect(await h.keyCount()).toBe(before);
  });

  it('answers malformed bodies clearly: not JSON, a missing field, another content type', async () => {
    const bad = await send(RECURRING, {}, 'json', '{"trx_id":');
    expect([bad.status, bad.body.response_code, bad.body.response_desc]).toEqual([400, '02', 'Bad Request']);
    const { trx_id: _dropped, ...missing } = recurringPaymentNotification(FASPAY, { trxId: 'RP-6', memberId: 'M-1' });
    const m = await send(RECURRING, missing);
    expect([m.status, m.body.response_desc]).toEqual([400, 'Invalid Mandatory Field {trx_id}']);
    const xml = await request(h.api).post(RECURRING).set('Content-Type', 'text/xml').send('<faspay/>');
    expect([xml.status, xml.body.response_code]).toEqual([400, '02']);
  });
});

describe('a crash at any step of a notification loses nothing and doubles nothing', () => {
  it.each<[Step, string]>([['afterRecord', 'RP-C1'], ['afterEnqueue', 'RP-C2'], ['afterComplete', 'RP-C3']])('crash %s, then Faspay resends: 00 and exactly one event', async (s, trxId) => {
    const n = recurringPaymentNotification(FASPAY, { trxId, memberId: 'M-1' });
    plan.crashAt = s;
    const crashed = await send(RECURRING, n);
    expect(crashed.status).toBe(500);
    expect(crashed.body.response_code).toBe('99');
    const resend = await send(RECURRING, n);
    expect(resend.body.response_code).toBe('00');
    expect((await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === trxId)).toHaveLength(1);
  });

  it('queues the event in the step that records it: a request that dies right after leaves nothing for the relay', async () => {
    plan.crashAt = 'afterRecord';
    expect((await send(RECURRING, recurringPaymentNotification(FASPAY, { trxId: 'RP-C4', memberId: 'M-1' }))).status).toBe(500);
    expect((await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === 'RP-C4')).toHaveLength(1);
    expect(await h.svc.relay!.runOnce(Date.now() + 60_000)).toBe(0);
    expect((await jobsOf('card.recurring.payment')).filter((j) => j.data.trxId === 'RP-C4')).toHaveLength(1);
  });

  it('with Queue.add after the ledger step (ENQUEUE_IN_SCRIPT=off), the outbox relay queues an event whose request died before queueing it, once', async () => {
    const twoStep = await startHarness({
      faults,
      faspay: { faspay: FASPAY, card: CARD, missing: [] },
      env: { FASPAY_MERCHANT_ID: '98765', FASPAY_NOTIFY_IPS: '127.0.0.1/32', ENQUEUE_IN_SCRIPT: 'off' },
    });
    try {
      const jobs = async () => (await twoStep.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.trxId === 'RP-C5');
      plan.crashAt = 'afterRecord';
      const { body, contentType } = encodeLegacy(recurringPaymentNotification(FASPAY, { trxId: 'RP-C5', memberId: 'M-1' }), 'json');
      expect((await request(twoStep.api).post(RECURRING).set('Content-Type', contentType).send(body)).status).toBe(500);
      expect(await jobs()).toHaveLength(0);
      expect(await twoStep.svc.relay!.runOnce(Date.now() + 60_000)).toBe(1);
      expect(await jobs()).toHaveLength(1);
      await twoStep.svc.relay!.runOnce(Date.now() + 60_000);
      expect(await jobs()).toHaveLength(1);
      const resend = await request(twoStep.api).post(RECURRING).set('Content-Type', contentType).send(body);
      expect(resend.body.response_code).toBe('00');
      expect(await jobs()).toHaveLength(1);
    } finally {
      await twoStep.close();
    }
  });
});

describe('credit-card server callback', () => {
  it('takes the V9-style signature, one card.payment.status per (transaction, status)', async () => {
    const a = await send(CALLBACK, ccCallback(CARD, { merchantTranId: 'OID-1', transactionId: '9001' }), 'form');
    expect(a.body).toMatchObject({ response: 'Credit Card Notification', merchant_tranid: 'OID-1', transactionid: '9001', response_code: '00' });
    await send(CALLBACK, ccCallback(CARD, { merchantTranId: 'OID-1', transactionId: '9001' }), 'json');
    await send(CALLBACK, ccCallback(CARD, { merchantTranId: 'OID-1', transactionId: '9001', txnStatus: 'S' }));
    const jobs = (await jobsOf('card.payment.status')).filter((j) => j.data.transactionId === '9001');
    expect(jobs.map((j) => j.data.txnStatus).sort()).toEqual(['authorized', 'sales']);
  });

  it('refuses a changed amount with 401 and nothing written', async () => {
    const before = await h.keyCount();
    const res = await send(CALLBACK, { ...ccCallback(CARD, { merchantTranId: 'OID-2', transactionId: '9002' }), AMOUNT: '1.00' });
    expect([res.status, res.body.response_code]).toEqual([401, '01']);
    expect(await h.keyCount()).toBe(before);
  });
});

describe('Notification CC Expired (no signature)', () => {
  it('refuses an unknown member with 404 and writes nothing', async () => {
    const before = await h.keyCount();
    const res = await send(EXPIRED, ccExpiredNotice({ memberId: 'NOBODY', expiredDate: '2027 - 01' }));
    expect([res.status, res.body.response_code]).toEqual([404, '03']);
    expect(res.body.response_desc).toContain('member NOBODY is not a recurring member of this service');
    expect(await h.keyCount()).toBe(before);
  });

  it('turns a known member\'s notice into one card.expiry.notice', async () => {
    await new MemberStore(h.redis, new RedisKeys(h.keyPrefix)).save({ memberId: 'M-EXP', schedule: {}, lastOperation: 'update-card', faspay: {}, updatedAt: '' }, 60);
    const n = ccExpiredNotice({ memberId: 'M-EXP', expiredDate: '2027-01' });
    expect((await send(EXPIRED, n)).body.response_code).toBe('00');
    expect((await send(EXPIRED, n, 'form')).body.response_code).toBe('00');
    const jobs = (await jobsOf('card.expiry.notice')).filter((j) => j.data.memberId === 'M-EXP');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ expiredDate: '2027-01', memberName: 'Card Member' });
  });
});

describe('without Faspay\'s card settings', () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness();
  });
  afterAll(async () => bare.close());

  it('answers the card routes with a clear "not configured" (503) and leaves the VA service alone', async () => {
    const res = await request(bare.api).post(RECURRING).set('Content-Type', 'application/json').send(JSON.stringify(recurringPaymentNotification(FASPAY, { trxId: 'X', memberId: 'M' })));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ response_code: '90' });
    expect(res.body.response_desc).toBe('Not Configured [recurring-payment notifications are not configured (set FASPAY_USER_ID, FASPAY_PASSWORD and FASPAY_MERCHANT_ID)]');
    expect((await bare.post(INQUIRY, inquiryBody('7100000001'))).body.responseCode).toBe('4042412');
  });

  it('refuses CC Expired from a partner without an IP allow list', async () => {
    const withId = await startHarness({ env: { FASPAY_MERCHANT_ID: '98765' } });
    try {
      const res = await request(withId.api).post(EXPIRED).set('Content-Type', 'application/json').send(JSON.stringify(ccExpiredNotice({ memberId: 'M', expiredDate: '2027-01' })));
      expect(res.status).toBe(503);
      expect(res.body.response_desc).toContain('card-cc-expired is accepted only from a partner with an IP allow list');
    } finally {
      await withId.close();
    }
  });
});

describe('card events reach the order system like VA payments', () => {
  it('delivers card.payment.status to a webhook subscriber with a Standard Webhooks signature', async () => {
    const { Webhook } = await import('standardwebhooks');
    const { newSecret, SubscriberServer, waitFor, webhookSubscriber } = await import('../helpers/subscriber-server');
    const orders = await new SubscriberServer().start();
    const secret = newSecret();
    const all = await startHarness({
      faspay: { faspay: FASPAY, card: CARD, missing: [] },
      env: { ROLE: 'all', FASPAY_MERCHANT_ID: '98765', WORKER_STALLED_INTERVAL_MS: '1000' },
      subscribers: [webhookSubscriber('orders', orders.url, [secret])],
    });
    try {
      const res = await request(all.api).post(CALLBACK).set('Content-Type', 'application/json')
        .send(JSON.stringify(ccCallback(CARD, { merchantTranId: 'OID-D1', transactionId: '9901', txnStatus: 'S' })));
      expect(res.body.response_code).toBe('00');
      await waitFor(() => orders.received.length >= 1);
      const got = orders.received[0]!;
      const event = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as Record<string, unknown>;
      expect(event).toMatchObject({ type: 'card.payment.status', schemaVersion: 1, transactionId: '9901', txnStatus: 'sales', merchantTranId: 'OID-D1' });
      expect(got.headers['webhook-id']).toBe(event.id);
    } finally {
      await all.close();
      await orders.stop();
    }
  });
});
