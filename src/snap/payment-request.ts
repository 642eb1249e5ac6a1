import type { Money } from './amount';
import type { JsonObject } from './parse-json';
import { readAdditionalInfo, readDateTime, readMoney, readString } from './request-fields';
import { readVaIdentity, type VaIdentity } from './va-number';

/**
 * Payment body, spec §4.4. Faspay marks trxDateTime and referenceNo mandatory, BI does
 * not; they are validated when present but not required, so a real payment is never
 * refused for a field the receiver does not need (spec §9, "liberal in what we accept").
 */
export interface PaymentRequest extends VaIdentity {
  readonly paymentRequestId: string;
  readonly paidAmount: Money;
  readonly trxDateTime?: string | undefined;
  readonly referenceNo?: string | undefined;
  readonly trxId?: string | undefined;
  readonly channelCode?: string | undefined;
  readonly flagAdvise?: string | undefined;
  readonly additionalInfo?: JsonObject | undefined;
}

export function readPaymentRequest(body: JsonObject): PaymentRequest {
  const id = readVaIdentity(body);
  return {
    partnerServiceId: id.partnerServiceId,
    customerNo: id.customerNo,
    virtualAccountNo: id.virtualAccountNo,
    paymentRequestId: readString(body, 'paymentRequestId', { required: true, max: 128 })!,
    paidAmount: readMoney(body, 'paidAmount', true)!,
    trxDateTime: readDateTime(body, 'trxDateTime'),
    referenceNo: readString(body, 'referenceNo', { max: 64 }),
    trxId: readString(body, 'trxId', { max: 64 }),
    channelCode: readString(body, 'channelCode', { max: 4, pattern: /^\d+$/, allowNumber: true }),
    flagAdvise: readString(body, 'flagAdvise', { max: 1, pattern: /^[YN]$/ }),
    additionalInfo: readAdditionalInfo(body),
  };
}
