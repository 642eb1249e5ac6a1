import request from 'supertest';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const auth = () => ({ Authorization: `Bearer ${h.token}` });

describe('internal bill API on ADMIN_PORT', () => {
  it('refuses requests without the bearer token, or with a wrong one', async () => {
    await request(h.admin).get('/internal/v1/bills/1').expect(401);
    await request(h.admin).get('/internal/v1/bills/1').set('Authorization', 'Bearer nope').expect(401);
    await request(h.admin).put('/internal/v1/bills').set('Authorization', h.token).send('{}').expect(401);
  });

  it('registers, reads and replaces an open bill', async () => {
    const created = await h.registerBill(bill({ customerNo: '7000000001', amount: '1000' })).expect(201);
    expect(created.body).toMatchObject({ status: 'open', payments: [], bill: { virtualAccountNo: '0888997000000001', partnerServiceId: '  088899', totalAmount: { value: '1000.00', currency: 'IDR' } } });
    await h.registerBill(bill({ customerNo: '7000000001', amount: '2000' })).expect(200);
    const read = await request(h.admin).get('/internal/v1/bills/0888997000000001').set(auth()).expect(200);
    expect(read.body.bill.totalAmount.value).toBe('2000.00');
  });

  it('keeps a 20-digit customerNo sent as a JSON number', async () => {
    const body = JSON.stringify(bill({ customerNo: 'X' })).replace('"customerNo":"X"', '"customerNo":12345678901234567891');
    const res = await request(h.admin).put('/internal/v1/bills').set(auth()).send(body).expect(201);
    expect(res.body.bill.customerNo).toBe('12345678901234567891');
  });

  it('validates like the SNAP bodies and names the field', async () => {
    const res = await h.registerBill({ ...bill({ customerNo: '7000000002' }), totalAmount: { value: '1.001', currency: 'IDR' } }).expect(400);
    expect(res.body).toEqual({ error: 'invalid_field', field: 'totalAmount.value', message: 'totalAmount.value has an invalid format' });
    const missing = await h.registerBill({ ...bill({ customerNo: '7000000002' }), virtualAccountName: undefined }).expect(400);
    expect(missing.body.message).toBe('virtualAccountName is required');
    const notJson = await request(h.admin).put('/internal/v1/bills').set(auth()).send('{').expect(400);
    expect(notJson.body.error).toBe('bad_request');
  });

  it('shows the payment on a paid bill and refuses to replace or cancel it', async () => {
    await h.registerBill(bill({ customerNo: '7000000003' })).expect(201);
    await h.post(PAYMENT, paymentBody('7000000003'));
    const read = await request(h.admin).get('/internal/v1/bills/0888997000000003').set(auth()).expect(200);
    expect(read.body.status).toBe('paid');
    expect(read.body.payments[0]).toMatchObject({ paymentRequestId: 'pay-7000000003', paidAmount: { value: '150000.00', currency: 'IDR' }, referenceNo: 'REF7000000003' });
    expect((await h.registerBill(bill({ customerNo: '7000000003' }))).status).toBe(409);
    expect((await request(h.admin).delete('/internal/v1/bills/0888997000000003').set(auth())).status).toBe(409);
  });

  it('cancels an open bill, and 404s an unknown one', async () => {
    await h.registerBill(bill({ customerNo: '7000000004' })).expect(201);
    const res = await request(h.admin).delete('/internal/v1/bills/0888997000000004').set(auth()).expect(200);
    expect(res.body.status).toBe('cancelled');
    await request(h.admin).delete('/internal/v1/bills/0888997000000099').set(auth()).expect(404);
    await request(h.admin).get('/internal/v1/bills/0888997000000099').set(auth()).expect(404);
  });

  it('reports an open bill past expiredDate as expired', async () => {
    await h.registerBill(bill({ customerNo: '7000000005', expiredDate: new Date(h.clock.now - 1).toISOString() })).expect(201);
    expect((await request(h.admin).get('/internal/v1/bills/0888997000000005').set(auth())).body.status).toBe('expired');
  });

  it('refuses a VA that is not digits', async () => {
    await request(h.admin).get('/internal/v1/bills/08889-x').set(auth()).expect(400);
    await request(h.admin).delete('/internal/v1/bills/08889-x').set(auth()).expect(404);
  });

  it('answers /livez and /readyz without a token', async () => {
    await request(h.admin).get('/livez').expect(200);
    expect((await request(h.admin).get('/readyz').expect(200)).body).toEqual({
      status: 'ready', checks: { draining: 'ok', ledger: 'ok', queue: 'ok', keys: 'ok' },
    });
  });
});
