import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { externalId } from '../helpers/signer';

type Answer = { status: number; body?: unknown; delayMs?: number };
const bills = new Map<string, Answer>();
const calls: string[] = [];
let orderService: http.Server;
let h: Harness;

beforeAll(async () => {
  orderService = http.createServer((req, res) => {
    calls.push(req.url ?? '');
    const va = (req.url ?? '').replace('/api/bills/', '');
    const a = bills.get(va) ?? { status: 404 };
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
    }, a.delayMs ?? 0);
  });
  await new Promise<void>((r) => orderService.listen(0, '127.0.0.1', r));
  const port = (orderService.address() as AddressInfo).port;
  h = await startHarness({
    env: { BILL_SOURCE: 'http', ORDER_SERVICE_URL: `http://127.0.0.1:${port}/api/`, ORDER_SERVICE_TIMEOUT_MS: '200', ORDER_SERVICE_BREAKER_FAILURES: '3', ORDER_SERVICE_BREAKER_COOLDOWN_MS: '60000' },
  });
});
afterAll(async () => {
  await h.close();
  orderService.closeAllConnections();
  await new Promise((r) => orderService.close(r));
});

const va = (customerNo: string) => `088899${customerNo}`;

describe('BILL_SOURCE=http: bills looked up in the order system', () => {
  it('answers an inquiry with the bill the order service returns', async () => {
    bills.set(va('2100000001'), { status: 200, body: bill({ customerNo: '2100000001', amount: '99000' }) });
    const res = await h.post(INQUIRY, inquiryBody('2100000001'));
    expect(res.body.responseCode).toBe('2002400');
    expect(res.body.virtualAccountData.totalAmount).toEqual({ value: '99000.00', currency: 'IDR' });
    expect(calls.at(-1)).toBe(`/api/bills/${va('2100000001')}`);
  });

  it('answers 4042412 when the order service has no such bill, and 4042414 when it says paid', async () => {
    expect((await h.post(INQUIRY, inquiryBody('2100000002'))).body.responseCode).toBe('4042412');
    bills.set(va('2100000003'), { status: 200, body: { ...bill({ customerNo: '2100000003' }), status: 'paid' } });
    expect((await h.post(INQUIRY, inquiryBody('2100000003'))).body.responseCode).toBe('4042414');
  });

  it('accepts a payment on an order-service bill once, and stays idempotent when the order service later says paid', async () => {
    bills.set(va('2100000004'), { status: 200, body: bill({ customerNo: '2100000004' }) });
    const body = paymentBody('2100000004');
    expect((await h.post(PAYMENT, body)).body.responseCode).toBe('2002500');
    bills.set(va('2100000004'), { status: 200, body: { ...bill({ customerNo: '2100000004' }), status: 'paid' } });
    const count = await h.jobCount();
    expect((await h.post(PAYMENT, body)).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(count);
  });

  it('does not call the order service for a replayed X-EXTERNAL-ID', async () => {
    bills.set(va('2100000005'), { status: 200, body: bill({ customerNo: '2100000005' }) });
    const xid = externalId();
    await h.post(INQUIRY, inquiryBody('2100000005'), { externalId: xid });
    const before = calls.length;
    expect((await h.post(INQUIRY, inquiryBody('2100000005'), { externalId: xid })).body.responseCode).toBe('2002400');
    expect(calls.length).toBe(before);
  });

  it('answers 5042400 within the time budget when the order service is slow, and processes the retry anew', async () => {
    bills.set(va('2100000006'), { status: 200, body: bill({ customerNo: '2100000006' }), delayMs: 1_000 });
    const xid = externalId();
    const started = Date.now();
    const slow = await h.post(INQUIRY, inquiryBody('2100000006'), { externalId: xid });
    expect(Date.now() - started).toBeLessThan(900);
    expect(slow.status).toBe(504);
    expect(slow.body).toEqual({ responseCode: '5042400', responseMessage: 'Timeout' });
    bills.set(va('2100000006'), { status: 200, body: bill({ customerNo: '2100000006' }) });
    expect((await h.post(INQUIRY, inquiryBody('2100000006'), { externalId: xid })).body.responseCode).toBe('2002400');
  });

  it('answers 5002402 when the order service fails or sends an invalid bill', async () => {
    bills.set(va('2100000007'), { status: 500 });
    expect((await h.post(INQUIRY, inquiryBody('2100000007'))).body).toEqual({ responseCode: '5002402', responseMessage: 'External Server Error' });
    bills.set(va('2100000008'), { status: 200, body: { ...bill({ customerNo: '2100000008' }), totalAmount: { value: 'lots', currency: 'IDR' } } });
    expect((await h.post(PAYMENT, paymentBody('2100000008'))).body.responseCode).toBe('5002502');
    bills.set(va('2100000009'), { status: 200, body: bill({ customerNo: '2100000010' }) });
    expect((await h.post(INQUIRY, inquiryBody('2100000009'))).body.responseCode).toBe('5002402');
  });

  it('opens the circuit after repeated failures and stops calling the order service', async () => {
    bills.set(va('2100000011'), { status: 503 });
    for (let i = 0; i < 3; i++) await h.post(INQUIRY, inquiryBody('2100000011'));
    const before = calls.length;
    const res = await h.post(INQUIRY, inquiryBody('2100000011'));
    expect(res.body.responseCode).toBe('5002402');
    expect(calls.length).toBe(before);
  });
});
