import type { Money } from './amount';
import type { JsonObject } from './parse-json';
import { readAdditionalInfo, readDateTime, readMoney, readString } from './request-fields';
import { readVaIdentity, type VaIdentity } from './va-number';

/** Inquiry body, spec §4.2. IDs are kept exactly as received for the echo. */
export interface InquiryRequest extends VaIdentity {
  readonly inquiryRequestId: string;
  readonly trxDateInit?: string | undefined;
  readonly channelCode?: string | undefined;
  readonly language?: string | undefined;
  readonly amount?: Money | undefined;
  readonly additionalInfo?: JsonObject | undefined;
}

export function readInquiryRequest(body: JsonObject): InquiryRequest {
  const id = readVaIdentity(body);
  return {
    partnerServiceId: id.partnerServiceId,
    customerNo: id.customerNo,
    virtualAccountNo: id.virtualAccountNo,
    inquiryRequestId: readString(body, 'inquiryRequestId', { required: true, max: 128 })!,
    trxDateInit: readDateTime(body, 'trxDateInit'),
    channelCode: readString(body, 'channelCode', { max: 4, pattern: /^\d+$/, allowNumber: true }),
    language: readString(body, 'language', { max: 2 }),
    amount: readMoney(body, 'amount', false),
    additionalInfo: readAdditionalInfo(body),
  };
}
