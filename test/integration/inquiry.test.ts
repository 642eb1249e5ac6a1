import { bill, INQUIRY, inquiryBody, startHarness, T0, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('inquiry (service 24)', () => {
  it('answers 2002400 with the full virtualAccountData of spec §4.3', async () => {
    await h.registerBill(bill({ customerNo: '12345678901234567890', amount: '12345678' })).expect(201);
    const res = await h.post(INQUIRY, inquiryBody('12345678901234567890', { inquiryRequestId: 'abcdef-123456-abcdef' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(res.text).toBe(
      '{"responseCode":"2002400","responseMessage":"Successful","virtualAccountData":{"inquiryStatus":"00",' +
      '"inquiryReason":{"english":"Success","indonesia":"Sukses"},"partnerServiceId":"  088899",' +
      '"customerNo":"12345678901234567890","virtualAccountNo":"  08889912345678901234567890",' +
      '"virtualAccountName":"Jokul Doe","virtualAccountEmail":"jokul@email.com","virtualAccountPhone":"6281828384858",' +
      '"inquiryRequestId":"abcdef-123456-abcdef","totalAmount":{"value":"12345678.00","currency":"IDR"},' +
      '"virtualAccountTrxType":"C","trxId":"INV-12345678901234567890"}}',
    );
  });

  it('echoes a 1-space padded partnerServiceId byte for byte and finds the bill by VA digits', async () => {
    await h.registerBill(bill({ customerNo: '2000000001' })).expect(201);
    const body = JSON.stringify({ partnerServiceId: ' 088899', customerNo: '2000000001', virtualAccountNo: ' 0888992000000001', inquiryRequestId: 'x1' });
    const res = await h.post(INQUIRY, body);
    expect(res.body.responseCode).toBe('2002400');
    expect(res.body.virtualAccountData.partnerServiceId).toBe(' 088899');
    expect(res.body.virtualAccountData.virtualAccountNo).toBe(' 0888992000000001');
  });

  it('keeps a 20-digit customerNo sent as a JSON number losslessly', async () => {
    await h.registerBill(bill({ customerNo: '98765432109876543210' })).expect(201);
    const body = '{"partnerServiceId":"  088899","customerNo":98765432109876543210,"virtualAccountNo":"  08889998765432109876543210","inquiryRequestId":"n1"}';
    const res = await h.post(INQUIRY, body);
    expect(res.body.responseCode).toBe('2002400');
    expect(res.text).toContain('"customerNo":"98765432109876543210"');
  });

  it('falls back to partnerServiceId + customerNo when the VA digits disagree', async () => {
    await h.registerBill(bill({ customerNo: '2000000002' })).expect(201);
    const body = JSON.stringify({ partnerServiceId: '  088899', customerNo: '2000000002', virtualAccountNo: '2000000002', inquiryRequestId: 'x2' });
    expect((await h.post(INQUIRY, body)).body.responseCode).toBe('2002400');
  });

  it('answers 4042412 for an unknown VA, with inquiryStatus 01 and a bilingual reason', async () => {
    const res = await h.post(INQUIRY, inquiryBody('2000000999'));
    expect(res.status).toBe(404);
    expect(res.body.responseCode).toBe('4042412');
    expect(res.body.virtualAccountData.inquiryStatus).toBe('01');
    expect(res.body.virtualAccountData.inquiryReason).toEqual({ english: 'Bill not found', indonesia: 'Tagihan tidak ditemukan' });
  });

  it('answers 4042412 for a cancelled bill', async () => {
    await h.registerBill(bill({ customerNo: '2000000003' })).expect(201);
    const request = (await import('supertest')).default;
    await request(h.admin).delete('/internal/v1/bills/0888992000000003').set('Authorization', `Bearer ${h.token}`).expect(200);
    expect((await h.post(INQUIRY, inquiryBody('2000000003'))).body.responseCode).toBe('4042412');
  });

  it('answers 4042419 one second after expiredDate and 2002400 at expiredDate', async () => {
    const expiredDate = new Date(T0 + 60_000).toISOString();
    await h.registerBill(bill({ customerNo: '2000000004', expiredDate })).expect(201);
    h.clock.now = T0 + 60_000;
    expect((await h.post(INQUIRY, inquiryBody('2000000004'))).body.responseCode).toBe('2002400');
    h.clock.now = T0 + 61_000;
    const res = await h.post(INQUIRY, inquiryBody('2000000004'));
    h.clock.now = T0;
    expect(res.body.responseCode).toBe('4042419');
  });

  it('answers 4002402 naming a missing mandatory field', async () => {
    const res = await h.post(INQUIRY, JSON.stringify({ partnerServiceId: '  088899', customerNo: '1', inquiryRequestId: 'x' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ responseCode: '4002402', responseMessage: 'Invalid Mandatory Field {virtualAccountNo}' });
  });

  it('answers 4002401 naming a field with a bad format', async () => {
    const res = await h.post(INQUIRY, inquiryBody('12AB'));
    expect(res.body).toEqual({ responseCode: '4002401', responseMessage: 'Invalid Field Format {customerNo}' });
  });

  it('answers 4002400 for a body that is not JSON', async () => {
    const res = await h.post(INQUIRY, '{"partnerServiceId":"  088899",}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ responseCode: '4002400', responseMessage: 'Bad Request' });
  });
});

describe('inquiry on a bill registered before bills kept their answer parts', () => {
  it('is answered the two-step way, identically, and replayed byte for byte', async () => {
    await h.registerBill(bill({ customerNo: '4400000001' })).expect(201);
    const fresh = await h.post(INQUIRY, inquiryBody('4400000001'));
    await h.redis.hdel(`${h.keyPrefix}bill:0888994400000001`, 'who', 'what', 'nm');
    const { externalId } = await import('../helpers/signer');
    const xid = externalId();
    const old = await h.post(INQUIRY, inquiryBody('4400000001'), { externalId: xid });
    expect(old.text).toBe(fresh.text);
    expect((await h.post(INQUIRY, inquiryBody('4400000001'), { externalId: xid })).text).toBe(old.text);
  });
});
