import {
  billStatus, composeVa, parseBodyObject, readBillRegistration, readInquiryRequest, readPaymentRequest, readSnapHeaders,
  SnapFieldError, vaLookupCandidates,
} from '../../src/snap';

const obj = (s: string) => parseBodyObject(Buffer.from(s));
const problem = (fn: () => unknown): { problem: string; field?: string } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SnapFieldError) return { problem: e.problem, ...(e.field === undefined ? {} : { field: e.field }) };
    throw e;
  }
  throw new Error('expected a SnapFieldError');
};
const inquiry = { partnerServiceId: '  088899', customerNo: '1234', virtualAccountNo: '  0888991234', inquiryRequestId: 'r1' };
const payment = { ...inquiry, inquiryRequestId: undefined, paymentRequestId: 'p1', paidAmount: { value: '1.00', currency: 'IDR' } };

describe('body parsing', () => {
  it('refuses a body that is not a JSON object', () => {
    expect(problem(() => obj('[1]'))).toEqual({ problem: 'badRequest' });
    expect(problem(() => obj('not json'))).toEqual({ problem: 'badRequest' });
  });
});

describe('inquiry request (spec §4.2)', () => {
  it('reads the mandatory fields and the optional ones', () => {
    const r = readInquiryRequest(obj(JSON.stringify({
      ...inquiry, trxDateInit: '2020-12-17T10:55:00+07:00', channelCode: 6011, language: 'ID',
      amount: { value: '10.00', currency: 'IDR' }, additional_info: { route: 'x' },
    })));
    expect(r).toMatchObject({ ...inquiry, channelCode: '6011', language: 'ID', amount: { minor: 1000n, currency: 'IDR' } });
    expect(r.additionalInfo).toEqual({ route: 'x' });
  });
  it.each([
    ['partnerServiceId', { partnerServiceId: undefined }, 'invalidMandatoryField'],
    ['customerNo', { customerNo: '' }, 'invalidMandatoryField'],
    ['virtualAccountNo', { virtualAccountNo: null }, 'invalidMandatoryField'],
    ['inquiryRequestId', { inquiryRequestId: undefined }, 'invalidMandatoryField'],
    ['partnerServiceId', { partnerServiceId: '123456789' }, 'invalidFieldFormat'],
    ['partnerServiceId', { partnerServiceId: 'ABC' }, 'invalidFieldFormat'],
    ['customerNo', { customerNo: '1'.repeat(21) }, 'invalidFieldFormat'],
    ['customerNo', { customerNo: true }, 'invalidFieldFormat'],
    ['virtualAccountNo', { virtualAccountNo: '0888-991234' }, 'invalidFieldFormat'],
    ['virtualAccountNo', { virtualAccountNo: ' '.repeat(2) + '1'.repeat(27) }, 'invalidFieldFormat'],
    ['inquiryRequestId', { inquiryRequestId: 'x'.repeat(129) }, 'invalidFieldFormat'],
    ['trxDateInit', { trxDateInit: 'yesterday' }, 'invalidFieldFormat'],
    ['amount', { amount: 'ten' }, 'invalidFieldFormat'],
    ['amount.currency', { amount: { value: '1' } }, 'invalidMandatoryField'],
    ['amount.currency', { amount: { value: '1', currency: 'rupiah' } }, 'invalidFieldFormat'],
  ])('names %s when it is wrong (%j)', (field, change, kind) => {
    expect(problem(() => readInquiryRequest(obj(JSON.stringify({ ...inquiry, ...change }))))).toEqual({ problem: kind, field });
  });
  it('accepts a 128-character inquiryRequestId and a 28-character VA', () => {
    const r = readInquiryRequest(obj(JSON.stringify({ ...inquiry, inquiryRequestId: 'x'.repeat(128), virtualAccountNo: '  ' + '1'.repeat(26) })));
    expect(r.inquiryRequestId).toHaveLength(128);
  });
});

describe('payment request (spec §4.4)', () => {
  it('reads amounts exactly and keeps optional echo fields', () => {
    const r = readPaymentRequest(obj(JSON.stringify({ ...payment, trxDateTime: '20201231T235959Z', referenceNo: '123', trxId: 'INV1', flagAdvise: 'Y' })));
    expect(r).toMatchObject({ paymentRequestId: 'p1', paidAmount: { minor: 100n, currency: 'IDR' }, trxDateTime: '20201231T235959Z', referenceNo: '123', trxId: 'INV1', flagAdvise: 'Y' });
  });
  it.each([
    ['paymentRequestId', { paymentRequestId: '' }, 'invalidMandatoryField'],
    ['paidAmount', { paidAmount: undefined }, 'invalidMandatoryField'],
    ['paidAmount', { paidAmount: [1] }, 'invalidFieldFormat'],
    ['paidAmount.value', { paidAmount: { currency: 'IDR' } }, 'invalidMandatoryField'],
    ['paidAmount.value', { paidAmount: { value: '-5', currency: 'IDR' } }, 'invalidFieldFormat'],
    ['referenceNo', { referenceNo: 'r'.repeat(65) }, 'invalidFieldFormat'],
    ['flagAdvise', { flagAdvise: 'X' }, 'invalidFieldFormat'],
    ['additionalInfo', { additionalInfo: 'text' }, 'invalidFieldFormat'],
  ])('names %s when it is wrong (%j)', (field, change, kind) => {
    expect(problem(() => readPaymentRequest(obj(JSON.stringify({ ...payment, ...change }))))).toEqual({ problem: kind, field });
  });
});

describe('SNAP headers (spec §2.1)', () => {
  const h = (m: Record<string, string>) => (name: string) => m[name];
  it('reads partner, external id and channel', () => {
    expect(readSnapHeaders(h({ 'X-PARTNER-ID': '82150', 'X-EXTERNAL-ID': '1', 'CHANNEL-ID': '88001' }))).toEqual({ partnerId: '82150', externalId: '1', channelId: '88001' });
  });
  it('requires X-PARTNER-ID and X-EXTERNAL-ID and limits them to 36 characters', () => {
    expect(problem(() => readSnapHeaders(h({ 'X-EXTERNAL-ID': '1' })))).toEqual({ problem: 'invalidMandatoryField', field: 'X-PARTNER-ID' });
    expect(problem(() => readSnapHeaders(h({ 'X-PARTNER-ID': '1', 'X-EXTERNAL-ID': '' })))).toEqual({ problem: 'invalidMandatoryField', field: 'X-EXTERNAL-ID' });
    expect(problem(() => readSnapHeaders(h({ 'X-PARTNER-ID': '1', 'X-EXTERNAL-ID': '9'.repeat(37) })))).toEqual({ problem: 'invalidFieldFormat', field: 'X-EXTERNAL-ID' });
    expect(readSnapHeaders(h({ 'X-PARTNER-ID': '1', 'X-EXTERNAL-ID': '9'.repeat(36) })).externalId).toHaveLength(36);
  });
});

describe('VA numbers (spec §4.1)', () => {
  it('looks up by VA digits first, then trimmed psid + customerNo', () => {
    expect(vaLookupCandidates({ partnerServiceId: ' 88899', customerNo: '1', virtualAccountNo: '999' })).toEqual(['999', '888991']);
    expect(vaLookupCandidates({ partnerServiceId: '  88899', customerNo: '1', virtualAccountNo: ' 888991' })).toEqual(['888991']);
  });
  it('composes the canonical 8-padded form', () => {
    expect(composeVa('88899', '12')).toEqual({ partnerServiceId: '   88899', customerNo: '12', virtualAccountNo: '   8889912' });
  });
});

describe('bill registration', () => {
  const base = { partnerServiceId: '088899', customerNo: '1', virtualAccountName: 'Budi', totalAmount: { value: '10', currency: 'IDR' }, amountType: 'closed' };
  it('normalises the VA and the amount and parses the expiry', () => {
    const r = readBillRegistration(obj(JSON.stringify({ ...base, expiredDate: '2026-11-22T10:00:00+07:00', additionalInfo: { a: 1 } })), 'now');
    expect(r.vaDigits).toBe('0888991');
    expect(r.view).toMatchObject({ partnerServiceId: '  088899', totalAmount: { value: '10.00', currency: 'IDR' }, registeredAt: 'now', additionalInfo: { a: 1 } });
    expect(r.expiresAtMs).toBe(Date.parse('2026-11-22T10:00:00+07:00'));
  });
  it('allows an open bill of zero but not a closed one', () => {
    expect(readBillRegistration(obj(JSON.stringify({ ...base, amountType: 'open', totalAmount: { value: '0', currency: 'IDR' } })), 'now').amount.minor).toBe(0n);
    expect(problem(() => readBillRegistration(obj(JSON.stringify({ ...base, totalAmount: { value: '0', currency: 'IDR' } })), 'now'))).toEqual({ problem: 'invalidFieldFormat', field: 'totalAmount.value' });
  });
  it.each([
    ['amountType', { amountType: 'partial' }, 'invalidFieldFormat'],
    ['amountType', { amountType: undefined }, 'invalidMandatoryField'],
    ['virtualAccountEmail', { virtualAccountEmail: 'not-an-email' }, 'invalidFieldFormat'],
    ['virtualAccountPhone', { virtualAccountPhone: '08-12' }, 'invalidFieldFormat'],
    ['virtualAccountName', { virtualAccountName: '' }, 'invalidMandatoryField'],
    ['expiredDate', { expiredDate: '2026-11-22' }, 'invalidFieldFormat'],
  ])('names %s when it is wrong (%j)', (field, change, kind) => {
    expect(problem(() => readBillRegistration(obj(JSON.stringify({ ...base, ...change })), 'now'))).toEqual({ problem: kind, field });
  });
  it('reports an open bill as expired only after its expiry instant', () => {
    expect(billStatus({ status: 'open', expiresAtMs: 1000 }, 1000)).toBe('open');
    expect(billStatus({ status: 'open', expiresAtMs: 1000 }, 1001)).toBe('expired');
    expect(billStatus({ status: 'paid', expiresAtMs: 1000 }, 5000)).toBe('paid');
    expect(billStatus({ status: 'open' }, 5000)).toBe('open');
  });
});
