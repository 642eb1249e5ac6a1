import { SignatureError } from '../snap/signature-error';
import type { CardCredentials } from './faspay-credentials';
import { legacyField, type LegacyFields } from './legacy-body';
import { ccSignature, hexEquals } from './legacy-signatures';

/** Server callback / URL Notification Credit Card: a transaction's status changed at Faspay. */
export interface CcCallback {
  readonly merchantId: string;
  readonly merchantTranId: string;
  readonly transactionId: string;
  readonly txnStatus: string;
  readonly amount: string;
  readonly currency?: string | undefined;
  readonly errCode?: string | undefined;
  readonly errDesc?: string | undefined;
  readonly custName?: string | undefined;
  readonly paymentMethod?: string | undefined;
  readonly tranDate?: string | undefined;
  readonly signature: string;
}

// The two versions of Faspay's page spell several names differently (MERCHANTID / MERCHANT_ID, …).
export function readCcCallback(f: LegacyFields): CcCallback {
  return {
    merchantId: legacyField(f, ['merchantid', 'merchant_id'], { required: true, max: 30 })!,
    merchantTranId: legacyField(f, ['merchant_tranid'], { required: true, max: 100 })!,
    transactionId: legacyField(f, ['transactionid', 'transaction_id'], { required: true, max: 32 })!,
    txnStatus: legacyField(f, ['txn_status'], { required: true, max: 3, pattern: /^[A-Za-z]{1,3}$/ })!,
    amount: legacyField(f, ['amount'], { required: true, max: 16, pattern: /^\d{1,13}(\.\d{1,2})?$/ })!,
    currency: legacyField(f, ['currencycode', 'currency_code'], { max: 3, pattern: /^[A-Z]{3}$/ }),
    errCode: legacyField(f, ['err_code'], { max: 10 }),
    errDesc: legacyField(f, ['err_desc'], { max: 250 }),
    custName: legacyField(f, ['cust_name', 'custname'], { max: 120 }),
    paymentMethod: legacyField(f, ['payment_method', 'payment_metod'], { max: 2 }),
    tranDate: legacyField(f, ['trandate', 'tran_date'], { max: 19 }),
    signature: legacyField(f, ['signature'], { required: true, max: 64, pattern: /^[0-9a-fA-F]{40}$/ })!,
  };
}

/** SHA1("##" + MERCHANTID + "##" + TXN_PASSWORD + "##" + MERCHANT_TRANID + "##" + AMOUNT + "##" + TXN_STATUS + "##") (spec V9). */
export function verifyCcCallback(cb: CcCallback, c: CardCredentials): void {
  const expected = ccSignature([c.ccMerchantId, c.ccTxnPassword, cb.merchantTranId, cb.amount, cb.txnStatus]);
  if (cb.merchantId !== c.ccMerchantId || !hexEquals(expected, cb.signature)) {
    throw new SignatureError('mismatch', 'SIGNATURE does not match the credit-card callback');
  }
}
