import {
  bareResponse, httpStatusOf, responseCodeOf, inquiryResponse, paymentEventHead, paymentEventId, paymentResponse, reasonOf, responseCode, responseMessage,
  readPaymentRequest, parseBodyObject, type BillView, type PaymentReceivedEvent,
} from '../../src/snap';

const view: BillView = {
  virtualAccountNo: '0888991', partnerServiceId: '  088899', customerNo: '1', virtualAccountName: 'N'.repeat(60),
  totalAmount: { value: '0.00', currency: 'IDR' }, amountType: 'open', registeredAt: '2026-11-22T03:00:00.000Z',
};

describe('response codes (spec §3.2)', () => {
  it('composes HTTP status + service + case', () => {
    expect(responseCode('payment', 'paidBill')).toBe('4042514');
    expect(responseCode('inquiry', 'inProgress')).toBe('2022400');
  });
  it('reads the responseCode of a stored answer and refuses text without one', () => {
    expect(responseCodeOf('{"responseCode":"4092500","responseMessage":"Conflict"}')).toBe('4092500');
    expect(() => responseCodeOf('{"error":"x"}')).toThrow(RangeError);
  });
  it('takes the HTTP status from the first three digits and refuses anything else', () => {
    expect(httpStatusOf('4092500')).toBe(409);
    expect(() => httpStatusOf('409250')).toThrow(RangeError);
  });
  it('writes BI-style messages with {field} or [reason]', () => {
    expect(responseMessage('invalidMandatoryField', 'X-TIMESTAMP')).toBe('Invalid Mandatory Field {X-TIMESTAMP}');
    expect(responseMessage('unauthorized', 'Signature')).toBe('Unauthorized. [Signature]');
    expect(bareResponse('inquiry', 'conflict')).toEqual({ responseCode: '4092400', responseMessage: 'Conflict' });
  });
  it('has a generic bilingual reason for outcomes without their own', () => {
    expect(reasonOf('generalError')).toEqual({ english: 'Failed', indonesia: 'Gagal' });
  });
});

describe('SNAP response bodies', () => {
  const inq = { partnerServiceId: ' 088899', customerNo: '1', virtualAccountNo: ' 0888991', inquiryRequestId: 'r' };
  it('marks an open bill as trx type O, trims the name to 50 and leaves out unknown contact fields', () => {
    const data = inquiryResponse(inq, 'success', view).virtualAccountData as Record<string, unknown>;
    expect(data.virtualAccountTrxType).toBe('O');
    expect(data.virtualAccountName).toHaveLength(50);
    expect(data).not.toHaveProperty('virtualAccountEmail');
    expect(data).not.toHaveProperty('trxId');
  });
  it('sends contact fields, trx type C and trxId of a closed bill', () => {
    const closed: BillView = { ...view, amountType: 'closed', virtualAccountEmail: 'a@b.co', virtualAccountPhone: '62812', trxId: 'INV1' };
    expect(inquiryResponse(inq, 'success', closed).virtualAccountData).toMatchObject({
      virtualAccountEmail: 'a@b.co', virtualAccountPhone: '62812', virtualAccountTrxType: 'C', trxId: 'INV1',
    });
  });
  it('sends inquiryStatus 01 without bill data on failure', () => {
    const data = inquiryResponse(inq, 'billExpired').virtualAccountData as Record<string, unknown>;
    expect(data).toMatchObject({ inquiryStatus: '01', inquiryReason: { english: 'Bill has expired', indonesia: 'Tagihan sudah kedaluwarsa' } });
    expect(data).not.toHaveProperty('totalAmount');
  });
  it('echoes payment fields and writes paidAmount with two decimals', () => {
    const req = readPaymentRequest(parseBodyObject(Buffer.from(JSON.stringify({
      partnerServiceId: '1', customerNo: '2', virtualAccountNo: '12', paymentRequestId: 'p', paidAmount: { value: '5', currency: 'IDR' }, trxId: 't',
    }))));
    const body = paymentResponse(req, 'inconsistentRequest');
    expect(body.responseCode).toBe('4042518');
    expect(body.virtualAccountData).toEqual({
      paymentFlagStatus: '01', paymentFlagReason: { english: 'Inconsistent request', indonesia: 'Permintaan tidak konsisten' },
      partnerServiceId: '1', customerNo: '2', virtualAccountNo: '12', paymentRequestId: 'p', paidAmount: { value: '5.00', currency: 'IDR' }, trxId: 't',
    });
  });
});

describe('payment success body', () => {
  it('carries the bill name and echoes trxDateTime and referenceNo', () => {
    const req = readPaymentRequest(parseBodyObject(Buffer.from(JSON.stringify({
      partnerServiceId: '1', customerNo: '2', virtualAccountNo: '12', paymentRequestId: 'p', paidAmount: { value: '5', currency: 'IDR' },
      trxDateTime: '20201231T235959Z', referenceNo: 'R1',
    }))));
    expect(paymentResponse(req, 'success', 'Budi').virtualAccountData).toMatchObject({
      paymentFlagStatus: '00', virtualAccountName: 'Budi', trxDateTime: '20201231T235959Z', referenceNo: 'R1',
    });
  });
});

describe('payment event (schema version 1)', () => {
  const req = readPaymentRequest(parseBodyObject(Buffer.from(
    '{"partnerServiceId":"1","customerNo":"2","virtualAccountNo":"12","paymentRequestId":"p","paidAmount":{"value":"5","currency":"IDR"},"additionalInfo":{"n":12345678901234567890}}',
  )));
  it('derives the event id from paymentRequestId only, without ":"', () => {
    expect(paymentEventId('p')).toBe(paymentEventId('p'));
    expect(paymentEventId('p')).not.toBe(paymentEventId('q'));
    expect(paymentEventId('a:b')).toMatch(/^pay_[0-9a-f]{40}$/);
  });
  it('becomes a complete event when the bill JSON and a brace are appended', () => {
    const json = `${paymentEventHead(req, { receivedAtMs: 0, partnerId: '82150', externalId: 'x', channelId: '77001' })}${JSON.stringify(view)}}`;
    const event = JSON.parse(json) as PaymentReceivedEvent;
    expect(event).toMatchObject({
      id: paymentEventId('p'), type: 'va.payment.received', schemaVersion: 1, receivedAt: '1970-01-01T00:00:00.000Z',
      paidAmount: { value: '5.00', currency: 'IDR' }, trxId: null, referenceNo: null, trxDateTime: null, flagAdvise: null,
      channel: { channelId: '77001', channelCode: null }, additionalInfo: { n: '12345678901234567890' }, bill: view,
    });
  });
  it('writes null for absent additionalInfo and channel', () => {
    const plain = readPaymentRequest(parseBodyObject(Buffer.from('{"partnerServiceId":"1","customerNo":"2","virtualAccountNo":"12","paymentRequestId":"p","paidAmount":{"value":"5","currency":"IDR"}}')));
    const event = JSON.parse(`${paymentEventHead(plain, { receivedAtMs: 0, partnerId: 'p', externalId: 'x' })}{}}`) as PaymentReceivedEvent;
    expect(event.additionalInfo).toBeNull();
    expect(event.channel.channelId).toBeNull();
  });
});

describe('answers written by the ledger scripts', () => {
  const { inquiryAnswers, inquiryAnswerPrefix, inquiryBillFragments, INQUIRY_SCRIPT_OUTCOMES, paymentAnswerParts, paymentAnswerPrefix, paymentAnswerName, PAYMENT_SCRIPT_OUTCOMES } = require('../../src/snap') as typeof import('../../src/snap');
  const tricky: BillView = {
    ...view, virtualAccountName: 'Budi "Śantoso" \\ </script> 😀'.padEnd(70, 'x'), virtualAccountEmail: 'b@x.id', trxId: 'INV/1', amountType: 'closed',
    totalAmount: { value: '150000.00', currency: 'IDR' },
  };
  const inq = { partnerServiceId: '  088899', customerNo: '12345678901234567890', virtualAccountNo: '  08889912345678901234567890', inquiryRequestId: 'a"b' };

  it('assemble an inquiry success byte for byte as inquiryResponse writes it, for bills with and without contacts', () => {
    for (const bill of [tricky, view]) {
      const a = inquiryAnswers(inq);
      const f = inquiryBillFragments(bill);
      expect(inquiryAnswerPrefix('success') + a.echo + f.who + a.id + f.what + '}}').toBe(JSON.stringify(inquiryResponse(inq, 'success', bill)));
    }
  });

  it('assemble every other inquiry answer byte for byte as inquiryResponse writes it', () => {
    const odd = { ...inq, partnerServiceId: ' 12"\\3', inquiryRequestId: 'é\u2028</x>' };
    for (const [kind, outcome] of Object.entries(INQUIRY_SCRIPT_OUTCOMES).filter(([k]) => k !== 'success')) {
      const a = inquiryAnswers(odd);
      expect([kind, inquiryAnswerPrefix(outcome) + a.echo + a.id + '}}']).toEqual([kind, JSON.stringify(inquiryResponse(odd, outcome))]);
    }
  });

  it('assemble every payment answer byte for byte as paymentResponse writes it, with and without the optional fields', () => {
    const bodies = [
      { partnerServiceId: '  088899', customerNo: '1', virtualAccountNo: '  0888991', paymentRequestId: 'p"1', paidAmount: { value: '10.5', currency: 'IDR' }, trxDateTime: '2026-11-22T10:00:00+07:00', referenceNo: 'R/1' },
      { partnerServiceId: '  088899', customerNo: '1', virtualAccountNo: '  0888991', paymentRequestId: 'p\\2', paidAmount: { value: '0.01', currency: 'IDR' }, trxId: 'T"\u00e9' },
      { partnerServiceId: '  088899', customerNo: '1', virtualAccountNo: '  0888991', paymentRequestId: 'p3', paidAmount: { value: '1', currency: 'IDR' } },
    ];
    for (const body of bodies) {
      const req = readPaymentRequest(parseBodyObject(Buffer.from(JSON.stringify(body))));
      const parts = paymentAnswerParts(req);
      for (const [kind, { outcome, named }] of Object.entries(PAYMENT_SCRIPT_OUTCOMES)) {
        const name = named ? tricky.virtualAccountName : undefined;
        const assembled = paymentAnswerPrefix(outcome) + parts.echo + (named ? `,"virtualAccountName":${paymentAnswerName(tricky.virtualAccountName)}` : '') + parts.tail;
        expect([kind, assembled]).toEqual([kind, JSON.stringify(paymentResponse(req, outcome, name))]);
      }
    }
  });
});
