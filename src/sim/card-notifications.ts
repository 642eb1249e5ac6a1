import { ccSignature, sha1OfMd5 } from '../legacy/legacy-signatures';
import { legacyDate } from '../legacy/legacy-ack';
import { xmlAck } from '../legacy/xml-body';
import type { CardCredentials, FaspayCredentials } from '../legacy/faspay-credentials';
import { postAndRead } from './snap-client';

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

/** As Faspay's legacy systems post: JSON, form-encoded, or XML (`<faspay>…</faspay>`). */
export function encodeLegacy(fields: Record<string, string>, as: 'json' | 'form' | 'xml'): { body: string; contentType: string } {
  if (as === 'xml') return { body: xmlAck(fields), contentType: 'text/xml' };
  return as === 'json'
    ? { body: JSON.stringify(fields), contentType: 'application/json' }
    : { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Faspay's Debit "Payment Notification" (spec §6.1), signed (V7). */
export function debitNotification(c: FaspayCredentials, o: { billNo: string; trxId?: string; status?: string; total?: string; nowMs?: number }): Record<string, string> {
  const status = o.status ?? '2';
  const total = o.total ?? '150000';
  return {
    request: 'Payment Notification',
    trx_id: o.trxId ?? `3183540500${o.billNo}`.slice(-16),
    merchant_id: c.merchantId,
    merchant: 'Sim Shop',
    bill_no: o.billNo,
    payment_reff: `R${o.billNo}`,
    payment_date: legacyDate(o.nowMs ?? Date.now()),
    payment_status_code: status,
    payment_status_desc: status === '2' ? 'Payment Success' : `Status ${status}`,
    bill_total: total,
    payment_total: total,
    payment_channel_uid: '812',
    payment_channel: 'OVO',
    signature: sha1OfMd5(`${c.userId}${c.password}${o.billNo}${status}`),
  };
}

/** A SNAP Direct Debit / QRIS notify body (spec §7). */
export function notifyBody(o: { reference: string; status?: string; amount?: string; qris?: boolean }): Record<string, unknown> {
  return {
    originalPartnerReferenceNo: o.reference,
    originalReferenceNo: `FP${o.reference}`,
    merchantId: '98765',
    amount: { value: o.amount ?? '25000.00', currency: 'IDR' },
    latestTransactionStatus: o.status ?? '00',
    transactionStatusDesc: (o.status ?? '00') === '00' ? 'Success' : 'Pending',
    finishedTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    additionalInfo: o.qris === true ? { issuer: 'ShopeePay', rrn: `RRN${o.reference}` } : { paymentDate: new Date().toISOString(), channelCode: '812' },
  };
}

export interface LegacyExchange {
  /** response_code of the answer, JSON or XML. */
  readonly responseCode: string | undefined;
  readonly request: { method: string; url: string; headers: Record<string, string>; body: string };
  readonly response: { status: number; headers: Record<string, string>; body: string; json: Record<string, unknown> | undefined };
  readonly meaning: string;
}

/** Posts a legacy notification as Faspay does; `tamper` changes a signed field after signing. */
export async function sendLegacy(baseUrl: string, path: string, fields: Record<string, string>, o: { as?: 'json' | 'form' | 'xml'; tamper?: boolean } = {}): Promise<LegacyExchange> {
  const sent = { ...fields };
  if (o.tamper === true) {
    // an attacker's edit of a signed field: the status, or the amount
    if ('payment_status_code' in sent) sent.payment_status_code = sent.payment_status_code === '2' ? '3' : '2';
    else if ('AMOUNT' in sent) sent.AMOUNT = `9${sent.AMOUNT}`;
    else sent.member_id = `${sent.member_id ?? ''}x`;
  }
  const { body, contentType } = encodeLegacy(sent, o.as ?? 'json');
  const url = baseUrl.replace(/\/+$/, '') + path;
  const headers = { 'Content-Type': contentType };
  const { res, text, json } = await postAndRead(url, headers, body);
  const code = json?.response_code ?? /<response_code>(\d{2})<\/response_code>/.exec(text)?.[1];
  const meaning = code === '00' ? 'acknowledged (Faspay stops resending)' : code === undefined ? 'not a legacy answer' : `not acknowledged: ${String(json?.response_desc ?? '')} (Faspay resends)`;
  return { responseCode: typeof code === 'string' ? code : undefined, request: { method: 'POST', url, headers, body }, response: { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' }, body: text, json }, meaning };
}
