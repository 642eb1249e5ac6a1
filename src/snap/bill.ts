import { formatMoney, type Money } from './amount';
import { toPlain, type JsonObject } from './parse-json';
import { readDateTime, readMoney, readObject, readString, SnapFieldError } from './request-fields';
import { parseIsoDateTime } from './timestamp';
import { composeVa, digitsOf } from './va-number';

export type AmountType = 'closed' | 'open';
export type StoredBillStatus = 'open' | 'paid' | 'cancelled';
export type BillStatus = StoredBillStatus | 'expired';

/** A bill as registered by an internal service; copied into every payment event as `bill`. */
export interface BillView {
  readonly virtualAccountNo: string;
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly virtualAccountName: string;
  readonly virtualAccountEmail?: string | undefined;
  readonly virtualAccountPhone?: string | undefined;
  readonly totalAmount: { readonly value: string; readonly currency: string };
  readonly amountType: AmountType;
  readonly expiredDate?: string | undefined;
  readonly trxId?: string | undefined;
  readonly billDescription?: string | undefined;
  readonly additionalInfo?: unknown;
  readonly registeredAt: string;
}

export interface BillRegistration {
  readonly vaDigits: string;
  readonly view: BillView;
  readonly amount: Money;
  readonly expiresAtMs?: number | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?\d{6,30}$/;

export function readBillRegistration(body: JsonObject, nowIso: string): BillRegistration {
  const psid = readString(body, 'partnerServiceId', { required: true, max: 8, pattern: /^ *\d{1,8}$/ })!;
  const customerNo = readString(body, 'customerNo', { required: true, max: 20, pattern: /^\d{1,20}$/, allowNumber: true })!;
  const virtualAccountName = readString(body, 'virtualAccountName', { required: true, max: 255 })!;
  const virtualAccountEmail = readString(body, 'virtualAccountEmail', { max: 255, pattern: EMAIL });
  const virtualAccountPhone = readString(body, 'virtualAccountPhone', { max: 30, pattern: PHONE });
  const amount = readMoney(body, 'totalAmount', true)!;
  const amountType = readString(body, 'amountType', { required: true, max: 6, pattern: /^(closed|open)$/ }) as AmountType;
  if (amountType === 'closed' && amount.minor === 0n) throw new SnapFieldError('invalidFieldFormat', 'totalAmount.value');
  const expiredDate = readDateTime(body, 'expiredDate');
  const trxId = readString(body, 'trxId', { max: 64 });
  const billDescription = readString(body, 'billDescription', { max: 255 });
  const additionalInfo = readObject(body, 'additionalInfo');
  const va = composeVa(psid, customerNo);
  const view: BillView = {
    virtualAccountNo: digitsOf(va.virtualAccountNo),
    partnerServiceId: va.partnerServiceId,
    customerNo,
    virtualAccountName,
    virtualAccountEmail,
    virtualAccountPhone,
    totalAmount: formatMoney(amount),
    amountType,
    expiredDate,
    trxId,
    billDescription,
    additionalInfo: additionalInfo === undefined ? undefined : toPlain(additionalInfo),
    registeredAt: nowIso,
  };
  return {
    vaDigits: view.virtualAccountNo,
    view,
    amount,
    expiresAtMs: expiredDate === undefined ? undefined : parseIsoDateTime(expiredDate),
  };
}

/** What the receiver sees of a stored bill when deciding an inquiry or payment. */
export interface BillState {
  readonly status: StoredBillStatus;
  readonly expiresAtMs?: number | undefined;
}

/** Effective status: an open bill past its expiry is `expired` (checked at `nowMs`, inclusive). */
export function billStatus(state: BillState, nowMs: number): BillStatus {
  if (state.status === 'open' && state.expiresAtMs !== undefined && nowMs > state.expiresAtMs) return 'expired';
  return state.status;
}
