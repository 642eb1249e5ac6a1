import request from 'supertest';
import { crashPlan, type Step } from '../helpers/fault-plan';
import { sha1OfMd5, xmlAck } from '../../src/legacy';
import { startHarness, T0, type Harness } from '../helpers/harness';
import { externalId } from '../helpers/signer';

const FASPAY = { userId: 'bot98765', password: 'debit-password-0123456', merchantId: '98765' };
const DD = '/v1.0/debit/notify';
const QR = '/v1.0/qr/qr-mpm-notify';
const LEGACY = '/faspay/debit/notification';
const VA_PAYMENT = '/v1.0/transfer-va/payment';

const { plan, faults } = crashPlan();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ faults, faspay: { faspay: FASPAY, missing: [] }, env: { FASPAY_MERCHANT_ID: '98765' } });
});
afterAll(async () => h.close());

const jobsOf = async (type: string) => (await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).filter((j) => j.name === type);
const notify = (ref: string, o: Record<string, unknown> = {}) => JSON.stringify({
  originalPartnerReferenceNo: ref, originalReferenceNo: `FP-${ref}`, originalExternalId: '123', merchantId: '98765', amount: { value: '25000.00', currency: 'IDR' },
  latestTransactionStatus: '00', transactionStatusDesc: 'Success', createdTime: '2026-11-22T09:59:00+07:00', finishedTime: '2026-11-22T10:00:00+07:00',
  additionalInfo: { paymentDate: '2026-11-22T10:00:00+07:00', channelCode: '812', vendorNote: 'kept' }, ...o,
});
const legacyFields = (billNo: string, o: Record<string, string> = {}) => {
  const status = o.payment_status_code ?? '2';
  return {
    request: 'Payment Notification', trx_id: `31835405${billNo}`, merchant_id: '98765', merchant: 'Shop', bill_no: billNo, payment_reff: 'R1',
    payment_date: '2026-11-22 10:00:00', payment_status_code: status, payment_status_desc: 'Payment Success', bill_total: '150000', payment_total: '150000',
    payment_channel_uid: '812', payment_channel: 'OVO', vendor_extra: 'kept', signature: sha1OfMd5(`${FASPAY.userId}${FASPAY.password}${billNo}${status}`), ...o,
  };
};
const asXml = (f: Record<string, string>) => xmlAck(f);
const postRaw = (path: string, body: string, type: string) => request(h.api).post(path).set('Content-Type', type).send(body);

describe('SNAP Direct Debit notify (56)', () => {
  it('acknowledges 2005600 after queueing one ewallet.payment.status event, unknown fields kept in raw', async () => {
    const res = await h.post(DD, notify('ORDER-1'));
    expect([res.status, res.body]).toEqual([200, { responseCode: '2005600', responseMessage: 'Successful' }]);
    const jobs = (await jobsOf('ewallet.payment.status')).filter((j) => j.data.merchantReference === 'ORDER-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ faspayReference: 'FP-ORDER-1', amount: { value: '25000.00', currency: 'IDR' }, amountMinor: '2500000', status: 'success', statusCode: '00', partnerId: '82150' });
    expect(jobs[0]!.data.raw.additionalInfo.vendorNote).toBe('kept');
  });

  it('answers a resend under a new X-EXTERNAL-ID with 2005600 and no second event; the same X-EXTERNAL-ID replays byte for byte', async () => {
    const xid = externalId();
    const first = await h.post(DD, notify('ORDER-2'), { externalId: xid });
    const replay = await h.post(DD, notify('ORDER-2'), { externalId: xid });
    const resend = await h.post(DD, notify('ORDER-2'));
    expect(replay.text).toBe(first.text);
    expect(resend.body.responseCode).toBe('2005600');
    expect((await jobsOf('ewallet.payment.status')).filter((j) => j.data.merchantReference === 'ORDER-2')).toHaveLength(1);
  });

  it('makes a second event for a later status (pending, then success)', async () => {
    await h.post(DD, notify('ORDER-3', { latestTransactionStatus: '03', transactionStatusDesc: 'Pending' }));
    await h.post(DD, notify('ORDER-3'));
    const jobs = (await jobsOf('ewallet.payment.status')).filter((j) => j.data.merchantReference === 'ORDER-3');
    expect(jobs.map((j) => j.data.status).sort()).toEqual(['pending', 'success']);
  });

  it('verifies pretty-printed and PHP-escaped bodies against their minified signature', async () => {
    const compact = notify('ORDER-4/PHP', { transactionStatusDesc: 'Sukses é' });
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    expect((await h.post(DD, pretty, { signedBody: compact })).body.responseCode).toBe('2005600');
    const php = compact.replace(/\//g, '\\/').replace(/é/g, '\\u00e9');
    expect((await h.post(DD, php)).body.responseCode).toBe('2005600');
  });

  it('refuses a bad signature with 4015600 and a missing status with 4005602, writing nothing for the first', async () => {
    const before = await h.keyCount();
    expect((await h.post(DD, notify('ORDER-5'), { signedBody: notify('ORDER-6') })).body).toEqual({ responseCode: '4015600', responseMessage: 'Unauthorized. [Signature]' });
    expect(await h.keyCount()).toBe(before);
    const missing = JSON.parse(notify('ORDER-5')) as Record<string, unknown>;
    delete missing.latestTransactionStatus;
    expect((await h.post(DD, JSON.stringify(missing))).body).toEqual({ responseCode: '4005602', responseMessage: 'Invalid Mandatory Field {latestTransactionStatus}' });
  });

  it.each<[Step, string]>([['afterRecord', 'ORDER-C1'], ['afterEnqueue', 'ORDER-C2'], ['afterComplete', 'ORDER-C3']])('crash %s, then Faspay resends: one event', async (s, ref) => {
    plan.crashAt = s;
    const crashed = await h.post(DD, notify(ref));
    expect(crashed.status).toBe(500);
    expect((await h.post(DD, notify(ref))).body.responseCode).toBe('2005600');
    expect((await jobsOf('ewallet.payment.status')).filter((j) => j.data.merchantReference === ref)).toHaveLength(1);
  });
});

describe('SNAP QRIS notify (52)', () => {
  it('acknowledges 2005200 with one qris.payment.status per (reference, status)', async () => {
    const body = notify('QR-1', { originalPartnerReferenceNo: undefined, customerNumber: '6281200000000', destinationNumber: 'ID1020' });
    expect((await h.post(QR, body)).body).toEqual({ responseCode: '2005200', responseMessage: 'Successful' });
    expect((await h.post(QR, body)).body.responseCode).toBe('2005200');
    const jobs = (await jobsOf('qris.payment.status')).filter((j) => j.data.faspayReference === 'FP-QR-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.merchantReference).toBeNull();
  });

  it('needs Faspay\'s reference (4005202) and a valid signature (4015200)', async () => {
    expect((await h.post(QR, notify('QR-2', { originalReferenceNo: undefined }))).body.responseCode).toBe('4005202');
    expect((await h.post(QR, notify('QR-2'), { signedPath: DD })).body.responseCode).toBe('4015200');
  });
});

describe('legacy Debit Payment Notification (spec §6.1)', () => {
  it('takes JSON and answers JSON with response_code 00 after queueing one debit.payment.notification', async () => {
    const res = await postRaw(LEGACY, JSON.stringify(legacyFields('B-1')), 'application/json');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ response: 'Payment Notification', trx_id: '31835405B-1', merchant_id: '98765', merchant: 'Shop', bill_no: 'B-1', response_code: '00', response_desc: 'Success' });
    const jobs = (await jobsOf('debit.payment.notification')).filter((j) => j.data.billNo === 'B-1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({ status: 'success', statusCode: '2', amountMinor: '15000000', format: 'json', raw: { vendor_extra: 'kept' } });
  });

  it('takes XML and answers XML; Faspay\'s three tries make one event, a reversal another', async () => {
    const xml = asXml(legacyFields('B-2'));
    for (let i = 0; i < 3; i++) {
      const res = await postRaw(LEGACY, xml, 'text/xml');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><faspay><response>Payment Notification<\/response><trx_id>31835405B-2<\/trx_id>.*<bill_no>B-2<\/bill_no><response_code>00<\/response_code>/);
    }
    await postRaw(LEGACY, asXml(legacyFields('B-2', { payment_status_code: '4' })), 'application/xml');
    const jobs = (await jobsOf('debit.payment.notification')).filter((j) => j.data.billNo === 'B-2');
    expect(jobs.map((j) => j.data.status).sort()).toEqual(['reversal', 'success']);
  });

  it('answers a bad signature with a non-00 code in the same format and writes nothing', async () => {
    const before = await h.keyCount();
    const res = await postRaw(LEGACY, asXml({ ...legacyFields('B-3'), payment_status_code: '3' }), 'text/xml');
    expect(res.status).toBe(401);
    expect(res.text).toContain('<response_code>01</response_code><response_desc>Unauthorized. [Signature]</response_desc>');
    expect(await h.keyCount()).toBe(before);
  });

  it('refuses an XML bomb and an external entity quickly, and keeps serving', async () => {
    const started = Date.now();
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "${'x'.repeat(100)}">${Array.from({ length: 9 }, (_, i) => `<!ENTITY e${i} "${`&${i === 0 ? 'a' : `e${i - 1}`};`.repeat(10)}">`).join('')}]><faspay><bill_no>&e8;</bill_no></faspay>`;
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><faspay><bill_no>&xxe;</bill_no></faspay>';
    for (const body of [bomb, xxe]) {
      const res = await postRaw(LEGACY, body, 'text/xml');
      expect([res.status, /<response_code>02<\/response_code>/.test(res.text)]).toEqual([400, true]);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await postRaw(LEGACY, JSON.stringify(legacyFields('B-4')), 'application/json')).body.response_code).toBe('00');
  });
});

describe('shape detection: the legacy notification sent to a SNAP URL', () => {
  it('routes a legacy JSON body on the VA payment URL to the legacy verifier and answers it the legacy way', async () => {
    const res = await postRaw(VA_PAYMENT, JSON.stringify(legacyFields('B-5')), 'application/json');
    expect(res.body).toMatchObject({ response: 'Payment Notification', bill_no: 'B-5', response_code: '00' });
    expect((await jobsOf('debit.payment.notification')).filter((j) => j.data.billNo === 'B-5')).toHaveLength(1);
    const line = h.logs.filter((l) => l.message === 'snap request').at(-1)!;
    expect(line).toMatchObject({ snapService: 'debit-notification', divertedFrom: 'va-payment' });
    expect((await request(h.admin).get('/metrics')).text).toMatch(/snap_legacy_shape_total\{kind="va-payment"\} 1/);
  });

  it('does the same for XML on the Direct Debit notify URL', async () => {
    const res = await postRaw(DD, asXml(legacyFields('B-6')), 'text/xml');
    expect(res.text).toContain('<bill_no>B-6</bill_no><response_code>00</response_code>');
  });
});

describe('without the legacy credentials', () => {
  it('answers the legacy route "not configured" while the SNAP notify routes work', async () => {
    const bare = await startHarness();
    try {
      const res = await request(bare.api).post(LEGACY).set('Content-Type', 'text/xml').send(asXml(legacyFields('B-7')));
      expect(res.status).toBe(503);
      expect(res.text).toContain('<response_code>90</response_code>');
      expect((await bare.post(DD, notify('ORDER-7'))).body.responseCode).toBe('2005600');
      void T0;
    } finally {
      await bare.close();
    }
  });
});
