import {
  debitEvent, debitStatusWord, isLegacyShape, legacyAmountMinor, readDebitNotification, readXmlBody, sha1OfMd5, verifyDebitNotification, xmlAck,
} from '../../src/legacy';
import { notifyEvent, notifyStatusWord, parseJson, readNotifyRequest, SnapFieldError, type JsonObject } from '../../src/snap';

const creds = { userId: 'bot98765', password: 'p@ssw0rd', merchantId: '98765' };
const NOW = Date.parse('2026-12-03T10:00:00+07:00');
const fields = (o: Record<string, string> = {}) => ({
  request: 'Payment Notification', trx_id: '3183540500001172', merchant_id: '98765', merchant: 'Shop', bill_no: '300134486', payment_reff: '123',
  payment_date: '2026-12-03 10:00:00', payment_status_code: '2', payment_status_desc: 'Payment Success', bill_total: '150000', payment_total: '150000',
  payment_channel_uid: '812', payment_channel: 'OVO', signature: sha1OfMd5('bot98765p@ssw0rd3001344862'), ...o,
});

describe('legacy Debit Payment Notification (spec §6.1)', () => {
  it('V7: verifies sha1(md5(user_id + password + bill_no + payment_status_code))', () => {
    expect(fields().signature).toBe('bf0a4012c36cc510f14795eade278ef792f93e9b');
    expect(() => verifyDebitNotification(readDebitNotification(fields()), creds)).not.toThrow();
  });
  it('refuses a changed status, bill or merchant', () => {
    for (const o of [{ payment_status_code: '3' }, { bill_no: '300134487' }, { merchant_id: '11111' }] as Array<Record<string, string>>) {
      expect(() => verifyDebitNotification(readDebitNotification(fields(o)), creds)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    }
  });
  it('names missing and malformed fields', () => {
    expect(() => readDebitNotification(fields({ bill_no: '' }))).toThrow(new SnapFieldError('invalidMandatoryField', 'bill_no'));
    expect(() => readDebitNotification(fields({ payment_total: '150000.00' }))).toThrow(new SnapFieldError('invalidFieldFormat', 'payment_total'));
  });
  it('says every status code in words', () => {
    expect(['0', '1', '2', '3', '4', '5', '7', '8', '9', '6'].map(debitStatusWord)).toEqual(['unprocessed', 'in-process', 'success', 'failed', 'reversal', 'no-bills-found', 'expired', 'cancelled', 'unknown', 'unknown']);
  });
  it('becomes one event per (bill_no, trx_id, status), amount in minor units by the configured unit', () => {
    const n = readDebitNotification(fields());
    const e = debitEvent(n, { extra_field: 'kept' }, { receivedAtMs: NOW, unit: 'rupiah', format: 'xml' });
    expect(e).toMatchObject({ type: 'debit.payment.notification', billNo: '300134486', status: 'success', amountMinor: '15000000', currency: 'IDR', channel: { uid: '812', name: 'OVO' }, format: 'xml', raw: { extra_field: 'kept' } });
    expect(debitEvent(readDebitNotification(fields({ payment_status_code: '4' })), {}, { receivedAtMs: NOW, unit: 'rupiah', format: 'json' }).id).not.toBe(e.id);
    const bare = debitEvent(readDebitNotification(fields({ payment_reff: '', payment_status_desc: '', payment_channel_uid: '', payment_channel: '' })), {}, { receivedAtMs: NOW, unit: 'sen', format: 'json' });
    expect(bare).toMatchObject({ paymentReff: null, statusDesc: null, channel: { uid: null, name: null }, amountMinor: '150000' });
    expect(legacyAmountMinor('150000', 'sen')).toBe('150000');
  });
});

describe('legacy XML', () => {
  const xml = (inner: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><faspay>${inner}</faspay>`);

  it('reads one level of <faspay> children, decoding the predefined entities and character references', () => {
    expect({ ...readXmlBody(xml('<TRX_ID>1</TRX_ID><bill_no>A&amp;B &lt;&#65;&#x42;&gt;&quot;&apos;</bill_no><empty/>')) }).toEqual({ trx_id: '1', bill_no: 'A&B <AB>"\'', empty: '' });
  });
  it('refuses a DOCTYPE (entity bombs, external entities), other entities, nesting, repeats and other roots', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><faspay><a>&lol2;</a></faspay>';
    const external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><faspay><a>&xxe;</a></faspay>';
    for (const bad of [bomb, external]) expect(() => readXmlBody(Buffer.from(bad))).toThrow(new SnapFieldError('badRequest'));
    expect(() => readXmlBody(xml('<a>&nbsp;</a>'))).toThrow(new SnapFieldError('invalidFieldFormat', 'a'));
    expect(() => readXmlBody(xml('<a><b>1</b></a>'))).toThrow(new SnapFieldError('invalidFieldFormat', 'a'));
    expect(() => readXmlBody(xml('<a>1</a><a>2</a>'))).toThrow(new SnapFieldError('invalidFieldFormat', 'a'));
    expect(() => readXmlBody(xml('<a>1</a><A>2</A>'))).toThrow(new SnapFieldError('invalidFieldFormat', 'A'));
    expect(() => readXmlBody(Buffer.from('<other><a>1</a></other>'))).toThrow(new SnapFieldError('badRequest'));
    expect(() => readXmlBody(Buffer.from('<faspay>text</faspay>'))).toThrow(new SnapFieldError('badRequest'));
    expect(() => readXmlBody(Buffer.from('<faspay><a>1</faspay>'))).toThrow(new SnapFieldError('badRequest'));
  });
  it('writes the acknowledgement escaped', () => {
    expect(xmlAck({ response: 'Payment Notification', bill_no: 'A&<>"\'', response_code: '00' }))
      .toBe('<?xml version="1.0" encoding="UTF-8"?><faspay><response>Payment Notification</response><bill_no>A&amp;&lt;&gt;&quot;&apos;</bill_no><response_code>00</response_code></faspay>');
  });
});

describe('legacy shape on a SNAP URL', () => {
  it('recognizes legacy XML, JSON and form bodies, and nothing SNAP-shaped', () => {
    expect(isLegacyShape(Buffer.from('  <?xml version="1.0"?>\n<faspay><a>1</a></faspay>'), 'text/xml')).toBe(true);
    expect(isLegacyShape(Buffer.from('<faspay>'), undefined)).toBe(true);
    expect(isLegacyShape(Buffer.from('<other/>'), 'text/xml')).toBe(false);
    expect(isLegacyShape(Buffer.from(JSON.stringify(fields())), 'application/json')).toBe(true);
    expect(isLegacyShape(Buffer.from(new URLSearchParams(fields()).toString()), 'application/x-www-form-urlencoded')).toBe(true);
    expect(isLegacyShape(Buffer.from('request=Payment+Notification'), 'application/x-www-form-urlencoded')).toBe(false);
    expect(isLegacyShape(Buffer.from('{"request":"Payment Notification"}'), 'application/json')).toBe(false);
    expect(isLegacyShape(Buffer.from('{"paymentRequestId":"x"}'), 'application/json')).toBe(false);
    expect(isLegacyShape(Buffer.from('not json'), 'application/json')).toBe(false);
    expect(isLegacyShape(Buffer.from('{"signature": not json'), 'application/json')).toBe(false);
    // the key spelled with a JSON escape is still the signature field (the quick text check lets it through)
    expect(isLegacyShape(Buffer.from('{"request":"Payment Notification","sig\\u006eature":"x"}'), 'application/json')).toBe(true);
  });
});

describe('SNAP Direct Debit and QRIS notify bodies (spec §7)', () => {
  const body = (o: Record<string, unknown> = {}) => parseJson(JSON.stringify({
    originalPartnerReferenceNo: 'ORDER-1', originalReferenceNo: 'FP-9', amount: { value: '25000.00', currency: 'IDR' }, latestTransactionStatus: '00',
    transactionStatusDesc: 'Success', additionalInfo: { paymentDate: '2026-12-03T10:00:00+07:00', issuer: 'OVO' }, vendorField: 42, ...o,
  })) as JsonObject;
  const ctx = { receivedAtMs: NOW, partnerId: '98765', externalId: 'X1', channelId: '95221' };

  it('reads the fields, keeps unknown ones in raw, and makes one event per (references, status)', () => {
    const n = readNotifyRequest(body(), 'debit-notify');
    const e = notifyEvent(n, 'debit-notify', ctx);
    expect(e).toMatchObject({
      type: 'ewallet.payment.status', merchantReference: 'ORDER-1', faspayReference: 'FP-9', amount: { value: '25000.00', currency: 'IDR' },
      amountMinor: '2500000', status: 'success', statusCode: '00', statusDesc: 'Success', channel: { channelId: '95221' }, partnerId: '98765', externalId: 'X1',
    });
    expect((e.raw as Record<string, unknown>).vendorField).toBe(42);
    expect(e.id).toMatch(/^ddn_[0-9a-f]{40}$/);
    expect(notifyEvent(readNotifyRequest(body({ latestTransactionStatus: '03' }), 'debit-notify'), 'debit-notify', ctx).id).not.toBe(e.id);
    const q = notifyEvent(readNotifyRequest(body({ originalPartnerReferenceNo: undefined, transactionStatusDesc: undefined }), 'qr-notify'), 'qr-notify', { ...ctx, channelId: undefined });
    expect(q).toMatchObject({ type: 'qris.payment.status', merchantReference: null, statusDesc: null, channel: { channelId: null } });
    expect(q.id).toMatch(/^qrn_/);
    const onlyOurs = notifyEvent(readNotifyRequest(body({ originalReferenceNo: undefined }), 'debit-notify'), 'debit-notify', ctx);
    expect(onlyOurs.faspayReference).toBeNull();
  });
  it('needs a reference, the status and the amount; QRIS needs Faspay\'s reference', () => {
    expect(() => readNotifyRequest(body({ originalPartnerReferenceNo: undefined, originalReferenceNo: undefined }), 'debit-notify')).toThrow(new SnapFieldError('invalidMandatoryField', 'originalPartnerReferenceNo'));
    expect(() => readNotifyRequest(body({ originalReferenceNo: undefined }), 'qr-notify')).toThrow(new SnapFieldError('invalidMandatoryField', 'originalReferenceNo'));
    expect(() => readNotifyRequest(body({ latestTransactionStatus: undefined }), 'qr-notify')).toThrow(new SnapFieldError('invalidMandatoryField', 'latestTransactionStatus'));
    expect(() => readNotifyRequest(body({ latestTransactionStatus: '0' }), 'qr-notify')).toThrow(new SnapFieldError('invalidFieldFormat', 'latestTransactionStatus'));
    expect(() => readNotifyRequest(body({ amount: undefined }), 'debit-notify')).toThrow(new SnapFieldError('invalidMandatoryField', 'amount'));
    expect(() => readNotifyRequest(body({ finishedTime: 'yesterday' }), 'debit-notify')).toThrow(new SnapFieldError('invalidFieldFormat', 'finishedTime'));
  });
  it('says the BI statuses in words', () => {
    expect(['00', '01', '02', '03', '04', '05', '06', '07', '99'].map(notifyStatusWord)).toEqual(['success', 'initiated', 'paying', 'pending', 'refunded', 'cancelled', 'failed', 'not-found', 'unknown']);
  });
});
