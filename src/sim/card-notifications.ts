import { ccSignature, sha1OfMd5 } from '../legacy/legacy-signatures';
import { legacyDate } from '../legacy/legacy-ack';
import type { CardCredentials, FaspayCredentials } from '../legacy/faspay-credentials';

/** Faspay's side of the card notifications, signed for real (spec §6.2, V9). */
export function recurringPaymentNotification(c: FaspayCredentials, o: { trxId: string; memberId: string; status?: '2' | '3'; txnStatus?: string; signOver?: 'payment_status_code' | 'txn_status'; nowMs?: number }): Record<string, string> {
  const status = o.status ?? '2';
  const signed = o.signOver === 'txn_status' ? o.txnStatus ?? '' : status;
  return {
    request: 'Payment Notification',
    trx_id: o.trxId,
    merchant_id: c.merchantId,
    member_id: o.memberId,
    merchant_member_id: `shop-${o.memberId}`,
    payment_reff: `R${o.trxId}`,
    payment_date: legacyDate(o.nowMs ?? Date.now()),
    payment_status_code: status,
    payment_status_desc: status === '2' ? 'Payment Success' : 'Payment Failed',
    ...(o.txnStatus === undefined ? {} : { txn_status: o.txnStatus }),
    signature: sha1OfMd5(`${c.userId}${c.merchantId}${c.password}${o.trxId}${signed}`),
  };
}

export function ccExpiredNotice(o: { memberId: string; expiredDate: string }): Record<string, string> {
  return { request: 'Notification CC Expired', member_id: o.memberId, member_name: 'Card Member', member_email: 'member@example.id', amount: '150000.00', expired_date: o.expiredDate };
}

export function ccCallback(c: CardCredentials, o: { merchantTranId: string; transactionId: string; txnStatus?: string; amount?: string }): Record<string, string> {
  const txnStatus = o.txnStatus ?? 'A';
  const amount = o.amount ?? '150000.00';
  return {
    PAYMENT_METHOD: '1',
    MERCHANTID: c.ccMerchantId,
    MERCHANT_TRANID: o.merchantTranId,
    ERR_CODE: '0',
    ERR_DESC: '',
    TXN_STATUS: txnStatus,
    CUST_NAME: 'Card Member',
    CURRENCYCODE: 'IDR',
    AMOUNT: amount,
    TRANSACTIONID: o.transactionId,
    SIGNATURE: ccSignature([c.ccMerchantId, c.ccTxnPassword, o.merchantTranId, amount, txnStatus]),
  };
}

/** As Faspay's legacy systems post: JSON, or form-encoded. */
export function encodeLegacy(fields: Record<string, string>, as: 'json' | 'form'): { body: string; contentType: string } {
  return as === 'json'
    ? { body: JSON.stringify(fields), contentType: 'application/json' }
    : { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}
