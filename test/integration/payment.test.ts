import request from 'supertest';
import type { PaymentReceivedEvent } from '../../src/snap/payment-event';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const jobs = async () => h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
const getBill = (va: string) => request(h.admin).get(`/internal/v1/bills/${va}`).set('Authorization', `Bearer ${h.token}`);

describe('payment (service 25): the idempotency table of spec §4.8', () => {
  it('accepts the first valid payment with 2002500 and queues exactly one event', async () => {
    await h.registerBill(bill({ customerNo: '3000000001', amount: '150000' })).expect(201);
    const before = await h.jobCount();
    const res = await h.post(PAYMENT, paymentBody('3000000001'));
    expect(res.status).toBe(200);
    expect(res.body.responseCode).toBe('2002500');
    expect(res.body.virtualAccountData).toMatchObject({
      paymentFlagStatus: '00', paymentFlagReason: { english: 'Success', indonesia: 'Sukses' },
      partnerServiceId: '  088899', customerNo: '3000000001', virtualAccountNo: '  0888993000000001',
      virtualAccountName: 'Jokul Doe', paymentRequestId: 'pay-3000000001', paidAmount: { value: '150000.00', currency: 'IDR' },
    });
    expect(await h.jobCount()).toBe(before + 1);
    const job = (await jobs()).find((j) => j.data.paymentRequestId === 'pay-3000000001')!;
    expect(job.name).toBe('va.payment.received');
    expect(job.id).toBe(job.data.id);
    expect(job.id).not.toContain(':');
    const event: PaymentReceivedEvent = job.data;
    expect(event).toMatchObject({
      type: 'va.payment.received', schemaVersion: 1, partnerId: '82150', customerNo: '3000000001',
      paidAmount: { value: '150000.00', currency: 'IDR' }, referenceNo: 'REF3000000001',
      trxDateTime: '2026-11-22T10:00:00+07:00', channel: { channelId: '77001', channelCode: null },
      bill: { virtualAccountNo: '0888993000000001', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed', trxId: 'INV-3000000001' },
      vaSequence: 1,
    });
    expect(event.receivedAt).toBe(new Date(T0).toISOString());
    const stored = await getBill('0888993000000001').expect(200);
    expect(stored.body.status).toBe('paid');
    expect(stored.body.payments).toEqual([expect.objectContaining({ paymentRequestId: 'pay-3000000001', eventId: event.id })]);
  });

  it('answers a retry of the same paymentRequestId under a new X-EXTERNAL-ID with 2002500 and no second event', async () => {
    await h.registerBill(bill({ customerNo: '3000000002' })).expect(201);
    const body = paymentBody('3000000002');
    const first = await h.post(PAYMENT, body);
    const count = await h.jobCount();
    const retry = await h.post(PAYMENT, body);
    expect(retry.body.responseCode).toBe('2002500');
    expect(retry.body.virtualAccountData).toEqual(first.body.virtualAccountData);
    expect(await h.jobCount()).toBe(count);
  });

  it('answers 4042518 when the same paymentRequestId comes with a different amount or VA', async () => {
    await h.registerBill(bill({ customerNo: '3000000003', amountType: 'open', amount: '0' })).expect(201);
    await h.registerBill(bill({ customerNo: '3000000004' })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('3000000003', { prid: 'shared-1', amount: '5000' }))).body.responseCode).toBe('2002500');
    const count = await h.jobCount();
    const otherAmount = await h.post(PAYMENT, paymentBody('3000000003', { prid: 'shared-1', amount: '5001' }));
    expect(otherAmount.status).toBe(404);
    expect(otherAmount.body.responseCode).toBe('4042518');
    expect(otherAmount.body.virtualAccountData.paymentFlagStatus).toBe('01');
    expect((await h.post(PAYMENT, paymentBody('3000000004', { prid: 'shared-1' }))).body.responseCode).toBe('4042518');
    expect(await h.jobCount()).toBe(count);
  });

  it('answers 4042514 to a second payment on a paid closed bill', async () => {
    await h.registerBill(bill({ customerNo: '3000000005' })).expect(201);
    await h.post(PAYMENT, paymentBody('3000000005', { prid: 'p5-a' }));
    const count = await h.jobCount();
    const second = await h.post(PAYMENT, paymentBody('3000000005', { prid: 'p5-b' }));
    expect(second.body.responseCode).toBe('4042514');
    expect(second.body.virtualAccountData.paymentFlagReason.english).toBe('Bill has been paid');
    expect(await h.jobCount()).toBe(count);
  });

  it('answers 4042414 to an inquiry on a paid bill', async () => {
    await h.registerBill(bill({ customerNo: '3000000006' })).expect(201);
    await h.post(PAYMENT, paymentBody('3000000006'));
    expect((await h.post(INQUIRY, inquiryBody('3000000006'))).body.responseCode).toBe('4042414');
  });

  it('answers 4042513 to a wrong amount on a closed bill, one sen off on either side', async () => {
    await h.registerBill(bill({ customerNo: '3000000007', amount: '150000.00' })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('3000000007', { prid: 'a', amount: '149999.99' }))).body.responseCode).toBe('4042513');
    expect((await h.post(PAYMENT, paymentBody('3000000007', { prid: 'b', amount: '150000.01' }))).body.responseCode).toBe('4042513');
    expect((await h.post(PAYMENT, paymentBody('3000000007', { prid: 'c', amount: '150000.0' }))).body.responseCode).toBe('2002500');
  });

  it('answers 4042513 to a payment in another currency', async () => {
    await h.registerBill(bill({ customerNo: '3000000008' })).expect(201);
    const body = paymentBody('3000000008', { extra: { paidAmount: { value: '150000.00', currency: 'USD' } } });
    expect((await h.post(PAYMENT, body)).body.responseCode).toBe('4042513');
  });

  it('accepts any positive amount on an open bill, several times, but not zero', async () => {
    await h.registerBill(bill({ customerNo: '3000000009', amountType: 'open', amount: '0' })).expect(201);
    expect((await h.post(PAYMENT, paymentBody('3000000009', { prid: 'o1', amount: '0.00' }))).body.responseCode).toBe('4042513');
    expect((await h.post(PAYMENT, paymentBody('3000000009', { prid: 'o2', amount: '0.01' }))).body.responseCode).toBe('2002500');
    expect((await h.post(PAYMENT, paymentBody('3000000009', { prid: 'o3', amount: '99999999999999.99' }))).body.responseCode).toBe('2002500');
    const stored = await getBill('0888993000000009');
    expect(stored.body.status).toBe('open');
    expect(stored.body.payments.map((p: { paidAmount: { value: string } }) => p.paidAmount.value)).toEqual(['0.01', '99999999999999.99']);
    const seqs = (await jobs()).filter((j) => j.data.customerNo === '3000000009').map((j) => [j.data.paymentRequestId, j.data.vaSequence]);
    expect(seqs.sort()).toEqual([['o2', 1], ['o3', 2]]);
  });

  it('keeps the 100 most recent payments of a long-lived open VA and counts them all', async () => {
    await h.registerBill(bill({ customerNo: '3000000013', amountType: 'open', amount: '0' })).expect(201);
    for (let i = 1; i <= 105; i++) expect((await h.post(PAYMENT, paymentBody('3000000013', { prid: `many-${i}`, amount: '1' }))).body.responseCode).toBe('2002500');
    const stored = await getBill('0888993000000013');
    expect(stored.body.paymentCount).toBe(105);
    expect(stored.body.payments).toHaveLength(100);
    expect(stored.body.payments[0].paymentRequestId).toBe('many-6');
    expect(stored.body.payments[99].paymentRequestId).toBe('many-105');
  });

  it('answers 4042519 to a payment one second after expiry', async () => {
    await h.registerBill(bill({ customerNo: '3000000010', expiredDate: new Date(T0 - 1000).toISOString() })).expect(201);
    const res = await h.post(PAYMENT, paymentBody('3000000010'));
    expect(res.body.responseCode).toBe('4042519');
  });

  it('answers 4042512 to a payment for an unknown VA', async () => {
    expect((await h.post(PAYMENT, paymentBody('3000000099'))).body.responseCode).toBe('4042512');
  });

  it('answers 4002502 when paidAmount.value is missing and 4002501 when it has three decimals', async () => {
    const missing = paymentBody('3000000011', { extra: { paidAmount: { currency: 'IDR' } } });
    expect((await h.post(PAYMENT, missing)).body).toEqual({ responseCode: '4002502', responseMessage: 'Invalid Mandatory Field {paidAmount.value}' });
    const threeDecimals = paymentBody('3000000011', { amount: '1.001' });
    expect((await h.post(PAYMENT, threeDecimals)).body).toEqual({ responseCode: '4002501', responseMessage: 'Invalid Field Format {paidAmount.value}' });
  });

  it('accepts an amount sent as a JSON number without going through a float', async () => {
    await h.registerBill(bill({ customerNo: '3000000012', amount: '10000.10' })).expect(201);
    const body = paymentBody('3000000012').replace('"value":"150000.00"', '"value":10000.10');
    expect((await h.post(PAYMENT, body)).body.responseCode).toBe('2002500');
  });
});
