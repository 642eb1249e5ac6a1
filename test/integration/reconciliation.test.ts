import request from 'supertest';
import { FaspayApiStub } from '../../src/sim/faspay-api-stub';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';
import { makeKeyPair } from '../helpers/signer';

const merchant = makeKeyPair();
const AFTER = 15 * 60_000;
let stub: FaspayApiStub;
let h: Harness;
let url: string;
beforeAll(async () => {
  stub = new FaspayApiStub(merchant.publicKeyPem, 'off'); // the harness signs with its injected clock
  url = await stub.start();
  h = await startHarness({
    merchantKey: merchant.privateKey,
    env: { FASPAY_API_BASE_URL: url, FASPAY_PARTNER_ID: '82150', FASPAY_VA_CHANNEL_CODE: '402', RECONCILE_INTERVAL: 'off', RECONCILE_RATE: '1000', FASPAY_API_TIMEOUT_MS: '500' },
  });
});
afterAll(async () => {
  await h.close();
  await stub.stop();
});
afterEach(() => {
  h.clock.now = T0;
  stub.down = false;
});

const jobsFor = async (prid: string) => (await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.paymentRequestId === prid);
const inRecon = async (customerNo: string) => h.redis.zscore(`${h.keyPrefix}recon`, `${h.keyPrefix}bill:088899${customerNo}`);
/** A bill a customer inquired, then paid at the bank, whose payment notification never came. */
const lostPayment = async (customerNo: string, prid: string) => {
  await h.registerBill(bill({ customerNo })).expect(201);
  expect((await h.post(INQUIRY, inquiryBody(customerNo))).body.responseCode).toBe('2002400');
  stub.know(`088899${customerNo}`, '  088899', customerNo);
  stub.pay(`088899${customerNo}`, prid, '150000.00', '2026-11-22T10:05:00+07:00');
};

describe('reconciliation (Inquiry Status, service 26)', () => {
  it('finds a payment whose notification was lost: exactly one event, source reconciliation, through the ledger', async () => {
    await lostPayment('6200000001', 'FP-PAY-1');
    expect(await inRecon('6200000001')).toBe(String(T0));
    h.clock.now = T0 + AFTER - 1;
    expect((await h.svc.reconcile!()).checked).toBe(0); // not due yet
    h.clock.now = T0 + AFTER;
    const r = await h.svc.reconcile!();
    expect(r).toMatchObject({ outcome: 'done', found: [{ virtualAccountNo: '0888996200000001', paymentRequestId: 'FP-PAY-1', paidAmount: '15000000' }] });
    const jobs = await jobsFor('FP-PAY-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ source: 'reconciliation', paidAmount: { value: '150000.00', currency: 'IDR' }, trxDateTime: '2026-11-22T10:05:00+07:00', vaSequence: 1 });
    const stored = await request(h.admin).get('/internal/v1/bills/0888996200000001').set('Authorization', `Bearer ${h.token}`);
    expect(stored.body.status).toBe('paid');
    expect(await inRecon('6200000001')).toBeNull();
    expect((await request(h.admin).get('/metrics')).text).toMatch(/snap_reconciled_payments_total 1/);
  });

  it('signs every call with the merchant\'s key: the stand-in verifies it with the public half', async () => {
    const call = stub.calls.filter((c) => c.path === '/v1.0/transfer-va/status').at(-1)!;
    expect(call.verified).toBe(true);
    expect(call.headers).toMatchObject({ 'x-partner-id': '82150', 'channel-id': '77001' });
    expect(JSON.parse(call.body)).toEqual({ partnerServiceId: '  088899', customerNo: '6200000001', virtualAccountNo: '  0888996200000001', additionalInfo: { channelCode: '402', trxId: 'INV-6200000001' } });
  });

  it('takes the late notification afterwards as a retry: 2002500 and no second event', async () => {
    const late = await h.post(PAYMENT, paymentBody('6200000001', { prid: 'FP-PAY-1' }));
    expect(late.body.responseCode).toBe('2002500');
    expect(await jobsFor('FP-PAY-1')).toHaveLength(1);
  });

  it('asks again later about a bill still unpaid at Faspay, and gives up after RECONCILE_MAX_AGE', async () => {
    await h.registerBill(bill({ customerNo: '6200000002' })).expect(201);
    await h.post(INQUIRY, inquiryBody('6200000002'));
    stub.know('0888996200000002', '  088899', '6200000002');
    h.clock.now = T0 + AFTER;
    expect((await h.svc.reconcile!()).found).toEqual([]);
    expect(await inRecon('6200000002')).toBe(String(T0 + AFTER));
    h.clock.now = T0 + 73 * 3_600_000;
    const r = await h.svc.reconcile!();
    expect(r.dropped).toBeGreaterThanOrEqual(1);
    expect(await inRecon('6200000002')).toBeNull();
  });

  it('backs off when Faspay is down and marks nothing', async () => {
    await lostPayment('6200000003', 'FP-PAY-3');
    stub.down = true;
    h.clock.now = T0 + AFTER;
    const r = await h.svc.reconcile!();
    expect(r.outcome).toBe('faspay_unavailable');
    expect(await inRecon('6200000003')).toBe(String(T0));
    expect(await jobsFor('FP-PAY-3')).toHaveLength(0);
    stub.down = false;
    expect((await h.svc.reconcile!()).found.map((f) => f.paymentRequestId)).toContain('FP-PAY-3');
  });

  it('runs one sweep at a time: two at once give one sweep and one "locked"', async () => {
    await lostPayment('6200000004', 'FP-PAY-4');
    h.clock.now = T0 + AFTER;
    const [a, b] = await Promise.all([h.svc.reconcile!(), h.svc.reconcile!()]);
    expect([a.outcome, b.outcome].sort()).toEqual(['done', 'locked']);
    expect(await jobsFor('FP-PAY-4')).toHaveLength(1);
  });

  it('resumes after a sweeper died holding the lock: the next run after the lease finishes the work', async () => {
    await lostPayment('6200000005', 'FP-PAY-5');
    h.clock.now = T0 + AFTER;
    await h.redis.set(`${h.keyPrefix}recon:lock`, 'a-dead-sweeper', 'PX', 300);
    expect((await h.svc.reconcile!()).outcome).toBe('locked');
    await new Promise((r) => setTimeout(r, 350));
    expect((await h.svc.reconcile!()).found.map((f) => f.paymentRequestId)).toEqual(['FP-PAY-5']);
    expect(await jobsFor('FP-PAY-5')).toHaveLength(1);
  });

  it('a dry run asks and reports, and changes nothing', async () => {
    await lostPayment('6200000006', 'FP-PAY-6');
    const r = await h.svc.reconcile!({ sinceMs: T0 - 1, dryRun: true });
    expect(r.found.map((f) => f.paymentRequestId)).toContain('FP-PAY-6');
    expect(await jobsFor('FP-PAY-6')).toHaveLength(0);
    expect(await inRecon('6200000006')).toBe(String(T0));
  });
});

describe('dynamic VAs through the internal API (create-va 27, delete-va 31)', () => {
  const va = (o: Record<string, unknown> = {}) => JSON.stringify({
    partnerServiceId: '088899', customerNo: '6300000001', virtualAccountName: 'Jokul Doe', virtualAccountEmail: 'jokul@email.com', trxId: 'INV-63-1',
    totalAmount: { value: '250000.00', currency: 'IDR' }, expiredDate: '2026-11-23T10:00:00+07:00', billDescription: 'Order 63', channelCode: '402', ...o,
  });
  const api = (method: 'post' | 'delete', path: string, body?: string) => request(h.admin)[method](path).set('Authorization', `Bearer ${h.token}`).set('Content-Type', 'application/json').send(body ?? '');

  it('creates the VA at Faspay and registers its bill in the same step, due for reconciliation at its expiry', async () => {
    const res = await api('post', '/internal/v1/virtual-accounts', va());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ok: true, responseCode: '2002700', virtualAccountNo: '0888996300000001', bill: { status: 'open', bill: { totalAmount: { value: '250000.00' } } } });
    const sent = stub.calls.filter((c) => c.path === '/v1.0/transfer-va/create-va').at(-1)!;
    expect(sent.verified).toBe(true);
    expect(JSON.parse(sent.body)).toMatchObject({ partnerServiceId: '  088899', virtualAccountNo: '  0888996300000001', trxId: 'INV-63-1', additionalInfo: { channelCode: '402', billDescription: 'Order 63' } });
    expect(await inRecon('6300000001')).toBe(String(Date.parse('2026-11-23T10:00:00+07:00')));
  });

  it('deletes it at Faspay and cancels the bill', async () => {
    const res = await api('delete', '/internal/v1/virtual-accounts/0888996300000001', JSON.stringify({ reason: 'order cancelled' }));
    expect(res.body).toMatchObject({ ok: true, responseCode: '2003100' });
    expect(JSON.parse(stub.calls.at(-1)!.body)).toMatchObject({ reason: 'order cancelled', trxId: 'INV-63-1' });
    expect(stub.calls.at(-1)!.method).toBe('DELETE');
    expect((await request(h.admin).get('/internal/v1/bills/0888996300000001').set('Authorization', `Bearer ${h.token}`)).body.status).toBe('cancelled');
    expect(await inRecon('6300000001')).toBeNull();
  });

  it('refuses a VA without expiry or channel, and says 502 when Faspay is down, registering nothing', async () => {
    expect((await api('post', '/internal/v1/virtual-accounts', va({ expiredDate: undefined }))).body).toMatchObject({ field: 'expiredDate' });
    stub.down = true;
    const down = await api('post', '/internal/v1/virtual-accounts', va({ customerNo: '6300000002' }));
    expect(down.status).toBe(502);
    expect((await request(h.admin).get('/internal/v1/bills/0888996300000002').set('Authorization', `Bearer ${h.token}`)).status).toBe(404);
  });
});

describe('the scheduled sweep (ROLE=worker) and snap-events reconcile', () => {
  it('runs on the worker every RECONCILE_INTERVAL: with two workers the lost payment still makes one event', async () => {
    const env = { ROLE: 'all', FASPAY_API_BASE_URL: url, FASPAY_PARTNER_ID: '82150', RECONCILE_INTERVAL: '1s', RECONCILE_AFTER: '0s', RECONCILE_RATE: '1000', WORKER_STALLED_INTERVAL_MS: '1000' };
    const w1 = await startHarness({ merchantKey: merchant.privateKey, env });
    const w2 = await startHarness({ merchantKey: merchant.privateKey, env, namespace: w1.namespace });
    try {
      await w1.registerBill(bill({ customerNo: '6400000001' })).expect(201);
      await w1.post(INQUIRY, inquiryBody('6400000001'));
      stub.know('0888996400000001', '  088899', '6400000001');
      stub.pay('0888996400000001', 'FP-PAY-64', '150000.00');
      const jobs = async () => (await w1.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.data.paymentRequestId === 'FP-PAY-64');
      for (let i = 0; i < 100 && (await jobs()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1_500)); // another interval: both workers had their chance
      expect(await jobs()).toHaveLength(1);
      expect((await jobs())[0]!.data.source).toBe('reconciliation');
    } finally {
      await w2.close();
      await w1.close();
    }
  }, 30_000);

  it('snap-events reconcile --dry-run prints what it found and changes nothing', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { run } = await import('../../src/cli/events-cli');
    const { REDIS_ENV } = await import('../helpers/test-redis');
    await lostPayment('6200000009', 'FP-PAY-9');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'snap-merchant-')), 'merchant.pem');
    writeFileSync(keyFile, merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const saved = { ...process.env };
    Object.assign(process.env, { ...REDIS_ENV, REDIS_KEY_PREFIX: h.keyPrefix, QUEUE_PREFIX: h.queuePrefix, FASPAY_API_BASE_URL: url, MERCHANT_PRIVATE_KEY_FILE: keyFile, FASPAY_PARTNER_ID: '82150', FASPAY_VA_CHANNEL_CODE: '402' });
    try {
      const lines: string[] = [];
      const code = await run(['reconcile', '--since', '2026-11-01', '--dry-run'], (l) => lines.push(l));
      expect(code).toBe(0);
      expect(lines[0]).toMatch(/^dry run: done: asked Faspay about \d+ bills, \d+ payment\(s\) no notification told of/);
      expect(lines.join('\n')).toContain('VA 0888996200000009  paymentRequestId FP-PAY-9  paid 15000000 (minor units)');
      expect(await jobsFor('FP-PAY-9')).toHaveLength(0);
    } finally {
      process.env = saved;
    }
  });
});
