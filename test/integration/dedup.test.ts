import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';
import { externalId, signedHeaders } from '../helpers/signer';
import { keysMatching } from '../helpers/test-redis';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('X-EXTERNAL-ID dedup (spec §2.3)', () => {
  it('replays the stored first response byte for byte for the same key and body, with no second event', async () => {
    await h.registerBill(bill({ customerNo: '4000000001' })).expect(201);
    const xid = externalId();
    const body = paymentBody('4000000001');
    const first = await h.post(PAYMENT, body, { externalId: xid });
    const count = await h.jobCount();
    h.clock.now = T0 + 5_000;
    const again = await h.post(PAYMENT, body, { externalId: xid });
    h.clock.now = T0;
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(await h.jobCount()).toBe(count);
  });

  it('replays even after the bill changed, because the first answer is what Faspay must see again', async () => {
    const xid = externalId();
    const first = await h.post(INQUIRY, inquiryBody('4000000002'), { externalId: xid });
    expect(first.body.responseCode).toBe('4042412');
    await h.registerBill(bill({ customerNo: '4000000002' })).expect(201);
    expect((await h.post(INQUIRY, inquiryBody('4000000002'), { externalId: xid })).text).toBe(first.text);
  });

  it('answers 4092500 Conflict to the same key with a different body', async () => {
    await h.registerBill(bill({ customerNo: '4000000003', amountType: 'open', amount: '0' })).expect(201);
    const xid = externalId();
    await h.post(PAYMENT, paymentBody('4000000003', { prid: 'd3a', amount: '10' }), { externalId: xid });
    const count = await h.jobCount();
    const res = await h.post(PAYMENT, paymentBody('4000000003', { prid: 'd3b', amount: '10' }), { externalId: xid });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ responseCode: '4092500', responseMessage: 'Conflict' });
    expect(await h.jobCount()).toBe(count);
  });

  it('scopes the key by service: an inquiry and its payment may share one X-EXTERNAL-ID', async () => {
    await h.registerBill(bill({ customerNo: '4000000004' })).expect(201);
    const xid = externalId();
    expect((await h.post(INQUIRY, inquiryBody('4000000004'), { externalId: xid })).body.responseCode).toBe('2002400');
    expect((await h.post(PAYMENT, paymentBody('4000000004'), { externalId: xid })).body.responseCode).toBe('2002500');
  });

  it('scopes the key by partner', async () => {
    const xid = externalId();
    const a = await h.post(INQUIRY, inquiryBody('4000000005'), { externalId: xid, partnerId: '11111' });
    const b = await h.post(INQUIRY, inquiryBody('4000000005', { inquiryRequestId: 'other' }), { externalId: xid, partnerId: '22222' });
    expect(a.body.responseCode).toBe('4042412');
    expect(b.body.responseCode).toBe('4042412');
  });

  it('treats the same key on the next Asia/Jakarta day as a new request', async () => {
    const xid = externalId();
    h.clock.now = Date.parse('2026-11-22T23:59:59+07:00');
    await h.post(INQUIRY, inquiryBody('4000000006'), { externalId: xid });
    h.clock.now = Date.parse('2026-11-23T00:00:00+07:00');
    const nextDay = await h.post(INQUIRY, inquiryBody('4000000006', { inquiryRequestId: 'new-day' }), { externalId: xid });
    h.clock.now = T0;
    expect(nextDay.body.responseCode).toBe('4042412');
  });

  it('keeps the record for at least 48 hours', async () => {
    const xid = externalId();
    await h.post(INQUIRY, inquiryBody('4000000007'), { externalId: xid });
    const keys = await keysMatching(h.redis, `${h.keyPrefix}xid:inquiry:*:${xid}`);
    expect(keys).toHaveLength(1);
    expect(await h.redis.ttl(keys[0]!)).toBeGreaterThanOrEqual(48 * 3600 - 5);
  });

  it('lets nothing unauthenticated write to Redis: a bad signature does not burn the external id', async () => {
    await h.registerBill(bill({ customerNo: '4000000008' })).expect(201);
    const xid = externalId();
    const body = paymentBody('4000000008');
    const forged = await h.post(PAYMENT, body, { externalId: xid, signedBody: body.replace('150000', '1') });
    expect(forged.body.responseCode).toBe('4012500');
    expect(await keysMatching(h.redis, `${h.keyPrefix}xid:*:${xid}`)).toEqual([]);
    expect((await h.post(PAYMENT, body, { externalId: xid })).body.responseCode).toBe('2002500');
  });

  it('processes exactly one of 50 identical concurrent payments; the others get the same answer', async () => {
    await h.registerBill(bill({ customerNo: '4000000009' })).expect(201);
    const count = await h.jobCount();
    const body = paymentBody('4000000009');
    const headers = signedHeaders(h.key.privateKey, body, { path: PAYMENT, timestampMs: h.clock.now });
    const responses = await Promise.all(Array.from({ length: 50 }, () => request(h.api).post(PAYMENT).set(headers).send(body)));
    const texts = new Set(responses.map((r) => r.text));
    expect(texts.size).toBe(1);
    expect(responses[0]!.body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count + 1);
    const dedupOutcomes = h.logs.filter((l) => l.externalId === headers['X-EXTERNAL-ID']).map((l) => l.dedup);
    expect(dedupOutcomes.filter((d) => d === 'new')).toHaveLength(1);
  });

  it('processes exactly one of 50 concurrent payments with the same paymentRequestId under 50 external ids', async () => {
    await h.registerBill(bill({ customerNo: '4000000010' })).expect(201);
    const count = await h.jobCount();
    const body = paymentBody('4000000010');
    const responses = await Promise.all(Array.from({ length: 50 }, () => h.post(PAYMENT, body)));
    expect(responses.every((r) => r.body.responseCode === '2002500')).toBe(true);
    expect(await h.jobCount()).toBe(count + 1);
  });
});
