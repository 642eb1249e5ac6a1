import { formatMoney, type Money } from './amount';
import type { BillView } from './bill';
import type { InquiryRequest } from './inquiry-request';
import type { PaymentRequest } from './payment-request';
import { reasonOf, responseCode, responseMessage, type OutcomeName, type SnapService } from './response-codes';
import type { VaIdentity } from './va-number';

export interface SnapResponseBody {
  readonly responseCode: string;
  readonly responseMessage: string;
  readonly [key: string]: unknown;
}

/** Response without virtualAccountData: auth failures, bad requests, server errors. */
export function bareResponse(service: SnapService, outcome: OutcomeName, detail?: string): SnapResponseBody {
  return { responseCode: responseCode(service, outcome), responseMessage: responseMessage(outcome, detail) };
}

/** Access-token answer (service 73, spec §1.6): `expiresIn` is a string of seconds. */
export function tokenResponse(accessToken: string, expiresInSeconds: number): SnapResponseBody {
  return { ...bareResponse('access-token', 'success'), accessToken, tokenType: 'Bearer', expiresIn: String(expiresInSeconds) };
}

const echo = (id: VaIdentity): VaIdentity => ({
  partnerServiceId: id.partnerServiceId,
  customerNo: id.customerNo,
  virtualAccountNo: id.virtualAccountNo,
});

// Faspay's VA page limits virtualAccountName to 50 characters (spec §4.3, §9 #10).
const NAME_MAX = 50;

/** Inquiry answer (spec §4.3, §10). `bill` is given for success only. */
export function inquiryResponse(req: InquiryRequest, outcome: OutcomeName, bill?: BillView): SnapResponseBody {
  const ok = outcome === 'success';
  const data: Record<string, unknown> = {
    inquiryStatus: ok ? '00' : '01',
    inquiryReason: reasonOf(outcome),
    ...echo(req),
  };
  if (bill !== undefined) {
    data.virtualAccountName = bill.virtualAccountName.slice(0, NAME_MAX);
    if (bill.virtualAccountEmail !== undefined) data.virtualAccountEmail = bill.virtualAccountEmail;
    if (bill.virtualAccountPhone !== undefined) data.virtualAccountPhone = bill.virtualAccountPhone;
  }
  data.inquiryRequestId = req.inquiryRequestId;
  if (bill !== undefined) {
    data.totalAmount = bill.totalAmount;
    data.virtualAccountTrxType = bill.amountType === 'closed' ? 'C' : 'O';
    if (bill.trxId !== undefined) data.trxId = bill.trxId;
  }
  return { ...bareResponse('inquiry', outcome), virtualAccountData: data };
}

/** Payment answer (spec §4.5, §10). `name` comes from the bill: the request does not carry it. */
export function paymentResponse(req: PaymentRequest, outcome: OutcomeName, name?: string): SnapResponseBody {
  const ok = outcome === 'success';
  const data: Record<string, unknown> = {
    paymentFlagStatus: ok ? '00' : '01',
    paymentFlagReason: reasonOf(outcome),
    ...echo(req),
  };
  if (name !== undefined) data.virtualAccountName = name.slice(0, NAME_MAX);
  data.paymentRequestId = req.paymentRequestId;
  data.paidAmount = formatMoney(req.paidAmount as Money);
  if (req.trxId !== undefined) data.trxId = req.trxId;
  if (req.trxDateTime !== undefined) data.trxDateTime = req.trxDateTime;
  if (req.referenceNo !== undefined) data.referenceNo = req.referenceNo;
  return { ...bareResponse('payment', outcome), virtualAccountData: data };
}
