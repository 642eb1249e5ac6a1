import { sign, type KeyObject } from 'node:crypto';
import { formatMoney, type Money } from './amount';
import type { BillView } from './bill';
import { isJsonObject, parseJson, type JsonObject } from './parse-json';
import { readMoney, readString, SnapFieldError } from './request-fields';
import { parseIsoDateTime } from './timestamp';
import { sha256Hex } from './signature-parts';

/** The merchant's calls to Faspay's SNAP API (spec §3.1): service code, method and path. */
export const MERCHANT_SERVICES = Object.freeze({
  status: { code: '26', method: 'POST', path: '/v1.0/transfer-va/status' },
  'create-va': { code: '27', method: 'POST', path: '/v1.0/transfer-va/create-va' },
  'delete-va': { code: '31', method: 'DELETE', path: '/v1.0/transfer-va/delete-va' },
} as const);

export type MerchantService = keyof typeof MERCHANT_SERVICES;

/**
 * X-SIGNATURE of a merchant → Faspay call (spec §1.1): base64 SHA256withRSA with the
 * merchant's own private key over METHOD:path:lowerhex(sha256(body)):X-TIMESTAMP. The body
 * is sent compact, so it is its own minified form.
 */
export function merchantSignature(key: KeyObject, method: string, path: string, body: string, timestamp: string): string {
  return sign('sha256', Buffer.from(`${method}:${path}:${sha256Hex(body)}:${timestamp}`, 'utf8'), key).toString('base64');
}

/** A VA as Faspay's requests write it: partnerServiceId 8 characters, space-padded (seed 002). */
function vaFields(bill: Pick<BillView, 'partnerServiceId' | 'customerNo'>): { partnerServiceId: string; customerNo: string; virtualAccountNo: string } {
  const psid = bill.partnerServiceId.trim().padStart(8, ' ');
  return { partnerServiceId: psid, customerNo: bill.customerNo, virtualAccountNo: `${psid}${bill.customerNo}` };
}

/** Inquiry Status (26) body for a bill (seed 002). */
export function statusRequestBody(bill: Pick<BillView, 'partnerServiceId' | 'customerNo' | 'trxId'>, channelCode: string): string {
  return JSON.stringify({ ...vaFields(bill), additionalInfo: { channelCode, ...(bill.trxId === undefined ? {} : { trxId: bill.trxId }) } });
}

export interface CreateVaInput {
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly virtualAccountName: string;
  readonly virtualAccountEmail?: string | undefined;
  readonly virtualAccountPhone?: string | undefined;
  readonly trxId: string;
  readonly totalAmount: Money;
  readonly expiredDate: string;
  readonly billDate: string;
  readonly channelCode: string;
  readonly billDescription: string;
}

/** Create VA (27) body (seed 002): billDate, channelCode and billDescription go in additionalInfo as its sample does. */
export function createVaRequestBody(i: CreateVaInput): string {
  return JSON.stringify({
    ...vaFields(i),
    virtualAccountName: i.virtualAccountName,
    ...(i.virtualAccountEmail === undefined ? {} : { virtualAccountEmail: i.virtualAccountEmail }),
    ...(i.virtualAccountPhone === undefined ? {} : { virtualAccountPhone: i.virtualAccountPhone }),
    trxId: i.trxId,
    totalAmount: formatMoney(i.totalAmount),
    expiredDate: i.expiredDate,
    additionalInfo: { billDate: i.billDate, channelCode: i.channelCode, billDescription: i.billDescription.slice(0, 18) },
  });
}

/** Delete VA (31) body (seed 002). */
export function deleteVaRequestBody(bill: Pick<BillView, 'partnerServiceId' | 'customerNo'>, trxId: string, reason: string): string {
  return JSON.stringify({ ...vaFields(bill), trxId, reason: reason.slice(0, 50) });
}

/** Faspay's answer to a merchant call, checked against spec §3.2: a 7-digit code of this service. */
export interface MerchantAnswer {
  readonly responseCode: string;
  readonly responseMessage: string;
  readonly ok: boolean;
  readonly body: JsonObject;
}

export class MerchantAnswerError extends Error {
  readonly reason = 'faspay_answer';
  constructor(message: string) {
    super(message);
    this.name = 'MerchantAnswerError';
  }
}

export function readMerchantAnswer(service: MerchantService, text: string): MerchantAnswer {
  let v;
  try {
    v = parseJson(text);
  } catch {
    throw new MerchantAnswerError(`Faspay's ${service} answer is not JSON`);
  }
  if (!isJsonObject(v)) throw new MerchantAnswerError(`Faspay's ${service} answer is not a JSON object`);
  const code = v.responseCode;
  if (typeof code !== 'string' || !/^[1-5]\d{6}$/.test(code)) throw new MerchantAnswerError(`Faspay's ${service} answer has no valid responseCode`);
  // spec §9 #6: Faspay's own create-va sample says 2002500; the real service answers 2002700
  if (code.slice(3, 5) !== MERCHANT_SERVICES[service].code) throw new MerchantAnswerError(`Faspay answered ${code}, not a code of service ${MERCHANT_SERVICES[service].code}`);
  return { responseCode: code, responseMessage: typeof v.responseMessage === 'string' ? v.responseMessage : '', ok: code.startsWith('200'), body: v };
}

/** What Inquiry Status says about a VA's payment (seed 002: paymentFlagStatus 00 = paid). */
export interface VaPaymentStatus {
  readonly paid: boolean;
  readonly flagStatus: string;
  readonly paymentRequestId?: string | undefined;
  readonly paidAmount?: Money | undefined;
  readonly transactionDate?: string | undefined;
}

export function readStatusAnswer(a: MerchantAnswer): VaPaymentStatus {
  const data = a.body.virtualAccountData;
  if (!isJsonObject(data)) throw new MerchantAnswerError('Faspay\'s status answer has no virtualAccountData');
  try {
    const flagStatus = readString(data, 'paymentFlagStatus', { required: true, max: 2 })!;
    const paid = flagStatus === '00';
    const paymentRequestId = readString(data, 'paymentRequestId', { required: paid, max: 128 });
    const paidAmount = readMoney(data, 'paidAmount', paid);
    const transactionDate = readString(data, 'transactionDate', { max: 35 });
    if (transactionDate !== undefined && parseIsoDateTime(transactionDate) === undefined) throw new SnapFieldError('invalidFieldFormat', 'transactionDate');
    return { paid, flagStatus, paymentRequestId, paidAmount, transactionDate };
  } catch (e) {
    // the readers throw SnapFieldError only: an answer that breaks the field table
    throw new MerchantAnswerError(`Faspay's status answer: ${(e as Error).message}`);
  }
}
