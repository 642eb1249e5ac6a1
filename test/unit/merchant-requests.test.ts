import { createHash, verify } from 'node:crypto';
import {
  createVaRequestBody, deleteVaRequestBody, merchantSignature, MerchantAnswerError, readMerchantAnswer, readStatusAnswer, statusRequestBody,
} from '../../src/snap';
import { makeKeyPair } from '../helpers/signer';

const merchant = makeKeyPair();
const TS = '2026-12-03T10:00:00+07:00';

describe('the merchant\'s calls to Faspay (spec §1.1)', () => {
  it('signs METHOD:path:lowerhex(sha256(body)):X-TIMESTAMP with the merchant\'s key', () => {
    const body = statusRequestBody({ partnerServiceId: '088899', customerNo: '1', trxId: 'T1' }, '402');
    const sig = merchantSignature(merchant.privateKey, 'POST', '/v1.0/transfer-va/status', body, TS);
    const sts = `POST:/v1.0/transfer-va/status:${createHash('sha256').update(body).digest('hex')}:${TS}`;
    expect(verify('sha256', Buffer.from(sts), merchant.publicKeyPem, Buffer.from(sig, 'base64'))).toBe(true);
    expect(JSON.parse(body)).toEqual({ partnerServiceId: '  088899', customerNo: '1', virtualAccountNo: '  0888991', additionalInfo: { channelCode: '402', trxId: 'T1' } });
    expect(JSON.parse(statusRequestBody({ partnerServiceId: '  088899', customerNo: '1' }, '402')).additionalInfo).toEqual({ channelCode: '402' });
  });

  it('builds create-va and delete-va bodies as seed 002 shows them', () => {
    const c = JSON.parse(createVaRequestBody({
      partnerServiceId: '088899', customerNo: '2', virtualAccountName: 'A', trxId: 'T2', totalAmount: { minor: 1500n, currency: 'IDR' },
      expiredDate: TS, billDate: TS, channelCode: '402', billDescription: 'a description longer than eighteen',
    }));
    expect(c).toEqual({
      partnerServiceId: '  088899', customerNo: '2', virtualAccountNo: '  0888992', virtualAccountName: 'A', trxId: 'T2',
      totalAmount: { value: '15.00', currency: 'IDR' }, expiredDate: TS, additionalInfo: { billDate: TS, channelCode: '402', billDescription: 'a description long' },
    });
    const withContacts = JSON.parse(createVaRequestBody({ partnerServiceId: '1', customerNo: '2', virtualAccountName: 'A', virtualAccountEmail: 'a@b.id', virtualAccountPhone: '628', trxId: 'T', totalAmount: { minor: 1n, currency: 'IDR' }, expiredDate: TS, billDate: TS, channelCode: '1', billDescription: 'd' }));
    expect(withContacts).toMatchObject({ virtualAccountEmail: 'a@b.id', virtualAccountPhone: '628' });
    expect(JSON.parse(deleteVaRequestBody({ partnerServiceId: '088899', customerNo: '2' }, 'T2', 'x'.repeat(60)))).toEqual({
      partnerServiceId: '  088899', customerNo: '2', virtualAccountNo: '  0888992', trxId: 'T2', reason: 'x'.repeat(50),
    });
  });

  it('reads Faspay\'s answers: the service\'s own code only (create-va answers 2002700, not its sample\'s 2002500)', () => {
    expect(readMerchantAnswer('create-va', '{"responseCode":"2002700","responseMessage":"Success"}')).toMatchObject({ ok: true, responseCode: '2002700' });
    expect(readMerchantAnswer('status', '{"responseCode":"4042612"}')).toMatchObject({ ok: false, responseMessage: '' });
    for (const [service, text] of [['create-va', '{"responseCode":"2002500"}'], ['status', '<html>'], ['status', '[]'], ['delete-va', '{"responseCode":"ok"}']] as const) {
      expect(() => readMerchantAnswer(service, text)).toThrow(MerchantAnswerError);
    }
  });

  it('reads Inquiry Status: 00 is paid and then names the payment', () => {
    const paid = readStatusAnswer(readMerchantAnswer('status', JSON.stringify({
      responseCode: '2002600', virtualAccountData: { paymentFlagStatus: '00', paymentRequestId: 'P1', paidAmount: { value: '150000.00', currency: 'IDR' }, transactionDate: '20201231T235959Z' },
    })));
    expect(paid).toEqual({ paid: true, flagStatus: '00', paymentRequestId: 'P1', paidAmount: { minor: 15000000n, currency: 'IDR' }, transactionDate: '20201231T235959Z' });
    const pending = readStatusAnswer(readMerchantAnswer('status', '{"responseCode":"2002600","virtualAccountData":{"paymentFlagStatus":"03"}}'));
    expect(pending).toMatchObject({ paid: false, flagStatus: '03', paymentRequestId: undefined });
    for (const data of [undefined, { paymentFlagStatus: '00' }, { paymentFlagStatus: '03', transactionDate: 'yesterday' }]) {
      expect(() => readStatusAnswer(readMerchantAnswer('status', JSON.stringify({ responseCode: '2002600', virtualAccountData: data })))).toThrow(MerchantAnswerError);
    }
  });
});
