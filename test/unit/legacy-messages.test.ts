import {
  cardExpiryEvent, cardStatusEvent, ccSignature, FaspayResponseError, hexEquals, legacyAck, legacyDate, legacyField, notificationEventId,
  parseRecurringResponse, readCcCallback, readCcExpired, readLegacyBody, readMemberId, readRecurringPaymentNotification, readRecurringUpdate,
  recurringMessage, recurringPaymentEvent, recurringSignature, sha1OfMd5, txnStatusWord, txnSucceeded, verifyCcCallback,
  verifyRecurringPaymentNotification, withoutSignature, type LegacyFields,
} from '../../src/legacy';
import { parseJson, SnapFieldError, type JsonObject } from '../../src/snap';

const creds = { userId: 'bot98765', password: 'p@ssw0rd', merchantId: '98765' };
const card = { ccMerchantId: 'TEST01', ccTxnPassword: '4E62f498C' };
const NOW = Date.parse('2026-12-03T10:00:00+07:00');
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('spec test vectors', () => {
  it('V7: the legacy Debit notification signature', () => {
    expect(sha1OfMd5('bot98765p@ssw0rd3001344862')).toBe('bf0a4012c36cc510f14795eade278ef792f93e9b');
  });
  it('V8: the recurring member signature sha1(md5(user_id + password + member_id))', () => {
    expect(recurringSignature(creds, '201914030006')).toBe('671914b100e5259512037cafa52ebf09b4225e2b');
  });
  it('V9: both documented credit-card signature examples, without upper-casing the elements', () => {
    expect(ccSignature(['TEST01', '4E62f498C', 'OID00001', '192.00', 'A'])).toBe('D8F437D951EC1DABB52127A22F91748B473658DC');
    expect(ccSignature(['TEST01', '059B8125F', '20061123_003', '100.00', '50126'])).toBe('537BDA3DBD1D7F5D763F9880E18AFC1C83BC9353');
  });
  it('compares hex digests in any case, and refuses another length', () => {
    expect(hexEquals('D8F437D951EC1DABB52127A22F91748B473658DC', ' d8f437d951ec1dabb52127a22f91748b473658dc ')).toBe(true);
    expect(hexEquals('abcd', 'abc')).toBe(false);
  });
});

describe('legacy bodies: JSON or form-encoded, flat', () => {
  it('reads both encodings into the same lower-cased fields, numbers by their digits', () => {
    const fromJson = readLegacyBody(json({ TRX_ID: '123', amount: 150000.5, ok: true, no: false, none: null }), 'application/json');
    expect({ ...fromJson }).toEqual({ trx_id: '123', amount: '150000.5', ok: 'true', no: 'false', none: '' });
    expect({ ...readLegacyBody(Buffer.from('TRX_ID=123&amount=150000.5'), 'application/x-www-form-urlencoded') }).toEqual({ trx_id: '123', amount: '150000.5' });
  });
  it('refuses a field given twice, nested values, and bodies that are not an object', () => {
    expect(() => readLegacyBody(Buffer.from('a=1&A=2'), 'application/x-www-form-urlencoded')).toThrow(new SnapFieldError('invalidFieldFormat', 'A'));
    expect(() => readLegacyBody(json({ a: { b: 1 } }), 'application/json')).toThrow(new SnapFieldError('invalidFieldFormat', 'a'));
    expect(() => readLegacyBody(Buffer.from('[1]'), 'application/json')).toThrow(new SnapFieldError('badRequest'));
    expect(() => readLegacyBody(Buffer.from('{'), 'application/json')).toThrow(new SnapFieldError('badRequest'));
    expect(() => readLegacyBody(Buffer.from(''), 'application/x-www-form-urlencoded')).toThrow(new SnapFieldError('badRequest'));
  });
  it('reads a field under any of its spellings and checks length and pattern', () => {
    const f: LegacyFields = { merchant_id: '98765', x: '' };
    expect(legacyField(f, ['merchantid', 'merchant_id'], { required: true, max: 5 })).toBe('98765');
    expect(legacyField(f, ['x'], { max: 5 })).toBeUndefined();
    expect(() => legacyField(f, ['x', 'y'], { required: true, max: 5 })).toThrow(new SnapFieldError('invalidMandatoryField', 'x'));
    expect(() => legacyField(f, ['merchant_id'], { max: 4 })).toThrow(new SnapFieldError('invalidFieldFormat', 'merchant_id'));
    expect(() => legacyField(f, ['merchant_id'], { max: 9, pattern: /^a/ })).toThrow(new SnapFieldError('invalidFieldFormat', 'merchant_id'));
    expect(withoutSignature({ a: '1', signature: 's' })).toEqual({ a: '1' });
  });
});

describe('recurring Payment Notification (spec §6.2)', () => {
  const sign = (status: string, trx = 'TRX1') => sha1OfMd5(`bot98765${'98765'}p@ssw0rd${trx}${status}`);
  const fields = (o: Record<string, string> = {}): LegacyFields => ({
    request: 'Payment Notification', trx_id: 'TRX1', merchant_id: '98765', member_id: 'M-1', merchant_member_id: 'shop-1', payment_reff: '9',
    payment_date: '2026-12-03 10:00:00', payment_status_code: '2', payment_status_desc: 'Success', signature: sign('2'), ...o,
  });

  it('reads and verifies over payment_status_code', () => {
    const n = readRecurringPaymentNotification(fields());
    expect(n).toMatchObject({ trxId: 'TRX1', memberId: 'M-1', paymentStatusCode: '2' });
    expect(verifyRecurringPaymentNotification(n, creds)).toBe('payment_status_code');
  });
  it('also verifies a signature over the CC txn_status and says so', () => {
    const n = readRecurringPaymentNotification(fields({ txn_status: 'S', signature: sign('S') }));
    expect(verifyRecurringPaymentNotification(n, creds)).toBe('txn_status');
  });
  it('refuses a tampered field, another merchant, or a wrong password', () => {
    expect(() => verifyRecurringPaymentNotification(readRecurringPaymentNotification(fields({ trx_id: 'TRX2' })), creds)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(() => verifyRecurringPaymentNotification(readRecurringPaymentNotification(fields({ merchant_id: '11111' })), creds)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(() => verifyRecurringPaymentNotification(readRecurringPaymentNotification(fields({ txn_status: 'S' })), { ...creds, password: 'x' })).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });
  it('names a missing or malformed field', () => {
    expect(() => readRecurringPaymentNotification(fields({ trx_id: '' }))).toThrow(new SnapFieldError('invalidMandatoryField', 'trx_id'));
    expect(() => readRecurringPaymentNotification(fields({ payment_status_code: '1' }))).toThrow(new SnapFieldError('invalidFieldFormat', 'payment_status_code'));
    expect(() => readRecurringPaymentNotification(fields({ payment_date: '03-12-2026' }))).toThrow(new SnapFieldError('invalidFieldFormat', 'payment_date'));
    expect(() => readRecurringPaymentNotification(fields({ signature: 'abc' }))).toThrow(new SnapFieldError('invalidFieldFormat', 'signature'));
  });
  it('becomes one event per (trx_id, status), success or failed', () => {
    const ok = recurringPaymentEvent(readRecurringPaymentNotification(fields({ txn_status: 's' })), withoutSignature(fields()), NOW);
    expect(ok).toMatchObject({ type: 'card.recurring.payment', schemaVersion: 1, paymentStatus: 'success', txnStatus: 'sales', memberId: 'M-1', merchantMemberId: 'shop-1', receivedAt: new Date(NOW).toISOString() });
    expect(ok.raw).not.toHaveProperty('signature');
    const failed = recurringPaymentEvent(readRecurringPaymentNotification(fields({ payment_status_code: '3', merchant_member_id: '', payment_reff: '', payment_status_desc: '' })), {}, NOW);
    expect(failed).toMatchObject({ paymentStatus: 'failed', merchantMemberId: null, paymentReff: null, paymentStatusDesc: null, txnStatus: null });
    expect(failed.id).not.toBe(ok.id);
    expect(ok.id).toBe(recurringPaymentEvent(readRecurringPaymentNotification(fields()), {}, NOW + 1).id);
    expect(ok.id).toMatch(/^crp_[0-9a-f]{40}$/);
  });
});

describe('Notification CC Expired', () => {
  it('reads YYYY-MM with or without the spaces of Faspay\'s page', () => {
    expect(readCcExpired({ member_id: 'M-1', expired_date: '2027 - 01', amount: '3000.00', member_name: 'Budi', member_email: 'b@x.id' })).toEqual({
      memberId: 'M-1', memberName: 'Budi', memberEmail: 'b@x.id', amount: '3000.00', expiredDate: '2027-01',
    });
    expect(readCcExpired({ member_id: 'M-1', expired_date: '2027-12' }).expiredDate).toBe('2027-12');
    for (const bad of ['2027-13', '2027-00', '27-01', '2027/01']) {
      expect(() => readCcExpired({ member_id: 'M-1', expired_date: bad })).toThrow(new SnapFieldError('invalidFieldFormat', 'expired_date'));
    }
  });
  it('becomes card.expiry.notice, one per (member, month)', () => {
    const e = cardExpiryEvent(readCcExpired({ member_id: 'M-1', expired_date: '2027-01' }), NOW);
    expect(e).toMatchObject({ type: 'card.expiry.notice', memberId: 'M-1', expiredDate: '2027-01', memberName: null, memberEmail: null, amount: null });
    expect(e.id).toBe(notificationEventId('cex', 'M-1', '2027-01'));
  });
});

describe('credit-card server callback', () => {
  const fields = (o: Record<string, string> = {}): LegacyFields => ({
    merchantid: 'TEST01', merchant_tranid: 'OID00001', transactionid: '555', txn_status: 'A', amount: '192.00', currencycode: 'IDR',
    err_code: '0', err_desc: '', cust_name: 'Budi', signature: 'D8F437D951EC1DABB52127A22F91748B473658DC', ...o,
  });
  it('verifies the V9 example over the wire fields, in either spelling of the field names', () => {
    expect(() => verifyCcCallback(readCcCallback(fields()), card)).not.toThrow();
    const other = readCcCallback({ merchant_id: 'TEST01', merchant_tranid: 'OID00001', transaction_id: '555', txn_status: 'A', amount: '192.00', signature: 'd8f437d951ec1dabb52127a22f91748b473658dc' });
    expect(() => verifyCcCallback(other, card)).not.toThrow();
  });
  it('refuses a changed amount, status or merchant', () => {
    for (const o of [{ amount: '193.00' }, { txn_status: 'S' }, { merchantid: 'TEST02' }] as Array<Record<string, string>>) {
      expect(() => verifyCcCallback(readCcCallback(fields(o)), card)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    }
  });
  it('becomes card.payment.status per (transaction, status), with the status in words', () => {
    const e = cardStatusEvent(readCcCallback(fields()), withoutSignature(fields()), NOW);
    expect(e).toMatchObject({ type: 'card.payment.status', transactionId: '555', merchantTranId: 'OID00001', txnStatus: 'authorized', txnStatusCode: 'A', amount: { value: '192.00', currency: 'IDR' }, errCode: '0', errDesc: null });
    const sale = cardStatusEvent(readCcCallback(fields({ txn_status: 's', currencycode: '', err_code: '' })), {}, NOW);
    expect(sale).toMatchObject({ txnStatus: 'sales', txnStatusCode: 'S', amount: { currency: null }, errCode: null });
    expect(sale.id).not.toBe(e.id);
  });
});

describe('txn_status in words', () => {
  it('maps every documented code and says unknown for others', () => {
    expect(['A', 'S', 'C', 'CF', 'F', 'E', 'B', 'RC', 'N', 'I', 'V', 'Q'].map(txnStatusWord)).toEqual(
      ['authorized', 'sales', 'captured', 'capture-failed', 'not-approved', 'error', 'blocked', 'reconfirm', 'pending', 'incomplete', 'void', 'unknown']);
    expect(txnStatusWord(undefined)).toBeUndefined();
    expect(txnStatusWord('')).toBeUndefined();
    expect([txnSucceeded('S'), txnSucceeded('a'), txnSucceeded('F')]).toEqual([true, true, false]);
  });
});

describe('the legacy acknowledgement', () => {
  it('writes response_code 00 with the echoed ids and a Jakarta date', () => {
    expect(JSON.parse(legacyAck('Payment Notification', { trx_id: 'T', merchant_id: '98765', bill_no: undefined }, '00', 'Success', NOW))).toEqual({
      response: 'Payment Notification', trx_id: 'T', merchant_id: '98765', response_code: '00', response_desc: 'Success', response_date: '2026-12-03 10:00:00',
    });
    expect(legacyDate(Date.parse('2026-12-31T23:59:59Z'))).toBe('2027-01-01 06:59:59');
  });
});

describe('Update Card / Update Member requests (seed 001)', () => {
  const body = (o: Record<string, unknown> = {}): JsonObject => parseJson(JSON.stringify({
    memberName: 'Budi', memberEmail: 'budi@example.id', memberEmailNotif: true, processDates: [12, 15, 20], recurringAmount: '150000',
    startDate: '2026-12-03', endDate: '2027-12-03', period: 'M', periodAt: 1, accumulate: false, accumulateAt: 0, status: 'active', cardExpireNotif: true, ...o,
  })) as JsonObject;

  it('builds the Update Card message under the seed\'s names, spellings and flags, signed (V8)', () => {
    const u = readRecurringUpdate(body(), 'update-card', NOW);
    expect(recurringMessage(u, 'update-card', '201914030006', creds)).toEqual({
      recurring_type: '2', merchant_id: '98765', member_id: '201914030006', member_name: 'Budi', member_email: 'budi@example.id', member_email_notif: '1',
      process_date: '12,15,20', recurring_amount: '150000.00', recurring_start_date: '2026-12-03', recurring_end_date: '2027-12-03', recurring_period: 'M',
      recurring_perriod_at: '1', recurring_accumulate: 'f', recurring_accumulate_at: '0', recurring_status: 't',
      recurring_signature: '671914b100e5259512037cafa52ebf09b4225e2b',
    });
  });

  it('writes the Update Card flags the other way round too', () => {
    const m = recurringMessage(readRecurringUpdate(body({ accumulate: true, status: 'inactive' }), 'update-card', NOW), 'update-card', 'M-1', creds);
    expect([m.recurring_accumulate, m.recurring_status]).toEqual(['t', 'f']);
    const member = recurringMessage(readRecurringUpdate(body({ cardExpireNotif: false }), 'update-member', NOW), 'update-member', 'M-1', creds);
    expect([member.recurring_status, member.card_expire_notif]).toEqual(['1', '0']);
  });

  it('builds the Update Member message with its own spellings and 1/0 flags', () => {
    const m = recurringMessage(readRecurringUpdate(body({ processDates: [1, 5], status: 'inactive', period: 'D', memberEmailNotif: false, startDate: '2026-11-01' }), 'update-member', NOW), 'update-member', 'M-1', creds);
    expect(m).toMatchObject({ request: 'Update Member', recurring_type: '2', process_date: '01,05', recurring_period: 'D', recurring_period_at: '1', recurring_status: '0', card_expire_notif: '1', member_email_notif: '0' });
    expect(m.signature).toBe(sha1OfMd5('bot98765p@ssw0rdM-1'));
    expect(m).not.toHaveProperty('recurring_perriod_at');
  });

  it('refuses every field outside the seed\'s table, naming it', () => {
    const cases: Array<[Record<string, unknown>, string, 'invalidFieldFormat' | 'invalidMandatoryField']> = [
      [{ memberName: 'x'.repeat(51) }, 'memberName', 'invalidFieldFormat'],
      [{ memberName: undefined }, 'memberName', 'invalidMandatoryField'],
      [{ memberEmail: 'not-an-email' }, 'memberEmail', 'invalidFieldFormat'],
      [{ memberEmailNotif: 'yes' }, 'memberEmailNotif', 'invalidFieldFormat'],
      [{ memberEmailNotif: null }, 'memberEmailNotif', 'invalidMandatoryField'],
      [{ processDates: [] }, 'processDates', 'invalidFieldFormat'],
      [{ processDates: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, 'processDates', 'invalidFieldFormat'],
      [{ processDates: [12, 32] }, 'processDates[1]', 'invalidFieldFormat'],
      [{ processDates: ['12'] }, 'processDates[0]', 'invalidFieldFormat'],
      [{ processDates: [12, 12] }, 'processDates', 'invalidFieldFormat'],
      [{ processDates: '12,15' }, 'processDates', 'invalidFieldFormat'],
      [{ processDates: undefined }, 'processDates', 'invalidMandatoryField'],
      [{ recurringAmount: 150000 }, 'recurringAmount', 'invalidFieldFormat'],
      [{ recurringAmount: '12345678901' }, 'recurringAmount', 'invalidFieldFormat'],
      [{ recurringAmount: '1.234' }, 'recurringAmount', 'invalidFieldFormat'],
      [{ recurringAmount: '0.00' }, 'recurringAmount', 'invalidFieldFormat'],
      [{ recurringAmount: '' }, 'recurringAmount', 'invalidMandatoryField'],
      [{ startDate: '2026-02-30' }, 'startDate', 'invalidFieldFormat'],
      [{ startDate: '2026-12-02' }, 'startDate', 'invalidFieldFormat'],
      [{ endDate: '2026-12-02' }, 'endDate', 'invalidFieldFormat'],
      [{ period: 'D' }, 'period', 'invalidFieldFormat'],
      [{ periodAt: 0 }, 'periodAt', 'invalidFieldFormat'],
      [{ periodAt: 10 }, 'periodAt', 'invalidFieldFormat'],
      [{ periodAt: '1' }, 'periodAt', 'invalidFieldFormat'],
      [{ periodAt: undefined }, 'periodAt', 'invalidMandatoryField'],
      [{ accumulate: undefined }, 'accumulate', 'invalidMandatoryField'],
      [{ accumulateAt: 10 }, 'accumulateAt', 'invalidFieldFormat'],
      [{ status: 'paused' }, 'status', 'invalidFieldFormat'],
    ];
    for (const [o, field, problem] of cases) {
      expect(() => readRecurringUpdate(body(o), 'update-card', NOW)).toThrow(new SnapFieldError(problem, field));
    }
    expect(() => readRecurringUpdate(body({ cardExpireNotif: undefined }), 'update-member', NOW)).toThrow(new SnapFieldError('invalidMandatoryField', 'cardExpireNotif'));
    expect(readRecurringUpdate(body({ cardExpireNotif: undefined, recurringAmount: '00150000.5' }), 'update-card', NOW)).toMatchObject({ cardExpireNotif: false, recurringAmount: '150000.50' });
  });

  it('checks member ids', () => {
    expect(readMemberId('201914030006')).toBe('201914030006');
    expect(() => readMemberId('a b')).toThrow(new SnapFieldError('invalidFieldFormat', 'memberId'));
    expect(() => readMemberId('x'.repeat(51))).toThrow(new SnapFieldError('invalidFieldFormat', 'memberId'));
  });
});

describe('Faspay\'s recurring response', () => {
  it('normalizes success, with both spellings of the misspelled fields', () => {
    const r = parseRecurringResponse(JSON.stringify({
      recurring_type: '1', member_id: 'M-1', err_code: 0, err_desc: 'Success', usr_msg: 'OK', txn_status: 'S', transactionid: 777,
      process_date: '12,15', reccuring_amount: '150000.00', recurring_perriod_at: '1', recurring_start_date: '2026-12-03', recurring_end_date: '2027-12-03', recurring_period: 'M', recurring_status: '1',
    }));
    expect(r).toEqual({
      ok: true, memberId: 'M-1', txnStatus: 'sales', txnStatusCode: 'S', errCode: '0', errDesc: 'Success', userMessage: 'OK', transactionId: '777',
      schedule: { processDates: [12, 15], recurringAmount: '150000.00', startDate: '2026-12-03', endDate: '2027-12-03', period: 'M', periodAt: '1', status: '1' },
    });
    const correct = parseRecurringResponse('{"ERR_CODE":"0","recurring_amount":"1.00","recurring_period_at":"3","transaction_id":"5","recurring_status":true,"recurring_period":false}');
    expect(correct).toMatchObject({ ok: true, transactionId: '5', schedule: { recurringAmount: '1.00', periodAt: '3', processDates: null, status: '1', period: '0' }, txnStatus: null });
  });
  it('reports err_code other than 0 as not ok, with Faspay\'s words', () => {
    expect(parseRecurringResponse('{"err_code":"5","err_desc":"Invalid signature","txn_status":"F","usr_msg":{"x":1}}')).toMatchObject({ ok: false, errCode: '5', errDesc: 'Invalid signature', txnStatus: 'not-approved', userMessage: null });
  });
  it('refuses what is not a response', () => {
    for (const bad of ['<html>', '[1]', '{"ok":true}']) expect(() => parseRecurringResponse(bad)).toThrow(FaspayResponseError);
  });
});
