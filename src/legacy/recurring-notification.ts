import { SignatureError } from '../snap/signature-error';
import type { FaspayCredentials } from './faspay-credentials';
import { legacyField, type LegacyFields } from './legacy-body';
import { hexEquals, sha1OfMd5 } from './legacy-signatures';

/** Credit-card recurring Payment Notification (spec §6.2). */
export interface RecurringPaymentNotification {
  readonly trxId: string;
  readonly merchantId: string;
  readonly memberId: string;
  readonly merchantMemberId?: string | undefined;
  readonly paymentReff?: string | undefined;
  readonly paymentDate: string;
  /** 2 success, 3 failed. */
  readonly paymentStatusCode: '2' | '3';
  readonly paymentStatusDesc?: string | undefined;
  /** The CC transaction status, when Faspay adds it. */
  readonly txnStatus?: string | undefined;
  readonly signature: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function readRecurringPaymentNotification(f: LegacyFields): RecurringPaymentNotification {
  return {
    trxId: legacyField(f, ['trx_id'], { required: true, max: 50 })!,
    merchantId: legacyField(f, ['merchant_id'], { required: true, max: 10, pattern: /^\d+$/ })!,
    memberId: legacyField(f, ['member_id'], { required: true, max: 50 })!,
    merchantMemberId: legacyField(f, ['merchant_member_id'], { max: 50 }),
    paymentReff: legacyField(f, ['payment_reff'], { max: 64 }),
    paymentDate: legacyField(f, ['payment_date'], { required: true, max: 19, pattern: DATE_TIME })!,
    paymentStatusCode: legacyField(f, ['payment_status_code'], { required: true, max: 1, pattern: /^[23]$/ }) as '2' | '3',
    paymentStatusDesc: legacyField(f, ['payment_status_desc'], { max: 64 }),
    txnStatus: legacyField(f, ['txn_status'], { max: 3, pattern: /^[A-Za-z]{1,3}$/ }),
    signature: legacyField(f, ['signature'], { required: true, max: 64, pattern: /^[0-9a-fA-F]{40}$/ })!,
  };
}

/**
 * `sha1(md5(user_id + merchant_id + password + trx_id + status))` (spec §6.2, §9 #20). The
 * page does not say whether "status" is payment_status_code or the CC txn_status: both are
 * tried and the one that matched is returned for the log, so UAT can tell.
 */
export function verifyRecurringPaymentNotification(n: RecurringPaymentNotification, c: FaspayCredentials): 'payment_status_code' | 'txn_status' {
  if (n.merchantId !== c.merchantId) throw new SignatureError('mismatch', 'merchant_id is not this merchant\'s');
  const signed = (status: string) => sha1OfMd5(`${c.userId}${c.merchantId}${c.password}${n.trxId}${status}`);
  if (hexEquals(signed(n.paymentStatusCode), n.signature)) return 'payment_status_code';
  if (n.txnStatus !== undefined && hexEquals(signed(n.txnStatus), n.signature)) return 'txn_status';
  throw new SignatureError('mismatch', 'signature does not match the recurring payment notification');
}
