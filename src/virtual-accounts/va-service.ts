import type { Logger } from 'winston';
import { FaspayApiUnavailableError, type FaspaySnapClient } from '../outbound/faspay-snap-client';
import type { BillStore } from '../redis/bill-store';
import type { RedisClient } from '../redis/redis-connections';
import type { RedisKeys } from '../redis/redis-keys';
import { readBillRegistration } from '../snap/bill';
import { createVaRequestBody, deleteVaRequestBody } from '../snap/merchant-requests';
import type { JsonObject } from '../snap/parse-json';
import { parseBodyObject, readString, SnapFieldError } from '../snap/request-fields';
import { formatJakarta } from '../snap/timestamp';
import type { ApiAnswer } from '../recurring/recurring-service';

export interface VaServiceOptions {
  readonly client?: FaspaySnapClient | undefined;
  readonly bills: BillStore;
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly defaultChannelCode?: string | undefined;
}

/**
 * Dynamic VAs for the order systems: Create VA (27) at Faspay and the bill in the bill store in
 * the same step (and in the reconciliation index at its expiry), Delete VA (31) and the bill
 * cancelled. A bill is registered only once Faspay said yes.
 */
export class VaService {
  constructor(private readonly o: VaServiceOptions) {}

  async create(raw: Buffer): Promise<ApiAnswer> {
    const client = this.o.client;
    if (client === undefined) return notConfigured();
    const body = parseBodyObject(raw);
    const now = this.o.clock();
    const reg = readBillRegistration({ ...body, amountType: 'closed' } as JsonObject, new Date(now).toISOString());
    if (reg.view.expiredDate === undefined) throw new SnapFieldError('invalidMandatoryField', 'expiredDate');
    const channelCode = readString(body, 'channelCode', { max: 4, pattern: /^\d+$/, allowNumber: true }) ?? this.o.defaultChannelCode;
    if (channelCode === undefined) throw new SnapFieldError('invalidMandatoryField', 'channelCode');
    const trxId = reg.view.trxId ?? readString(body, 'trxId', { required: true, max: 32 })!;
    const answer = await this.ask(() => client.call('create-va', createVaRequestBody({
      partnerServiceId: reg.view.partnerServiceId, customerNo: reg.view.customerNo, virtualAccountName: reg.view.virtualAccountName,
      virtualAccountEmail: reg.view.virtualAccountEmail, virtualAccountPhone: reg.view.virtualAccountPhone, trxId, totalAmount: reg.amount,
      expiredDate: reg.view.expiredDate!, billDate: formatJakarta(now), channelCode, billDescription: reg.view.billDescription ?? 'Payment',
    })));
    if ('status' in answer) return answer;
    if (!answer.ok) return { status: 422, body: { ok: false, error: 'faspay_refused', responseCode: answer.responseCode, responseMessage: answer.responseMessage } };
    const withChannel = { ...reg, view: { ...reg.view, additionalInfo: { ...(reg.view.additionalInfo as object | undefined), channelCode } } };
    const registered = await this.o.bills.register(withChannel, new Date(now).toISOString());
    // a dynamic VA past its expiry is asked about once, in case its payment notification was lost
    await this.o.redis.zadd(this.o.keys.recon(), reg.expiresAtMs ?? now, this.o.keys.bill(reg.vaDigits));
    this.o.logger.info('dynamic VA created', { virtualAccountNo: reg.vaDigits, responseCode: answer.responseCode });
    return { status: 201, body: { ok: true, responseCode: answer.responseCode, virtualAccountNo: reg.vaDigits, bill: registered.result === 'paid' ? await this.o.bills.get(reg.vaDigits, now) : registered.record } };
  }

  async remove(vaDigits: string, raw: Buffer): Promise<ApiAnswer> {
    const client = this.o.client;
    if (client === undefined) return notConfigured();
    if (!/^\d{1,28}$/.test(vaDigits)) throw new SnapFieldError('invalidFieldFormat', 'virtualAccountNo');
    const now = this.o.clock();
    const bill = await this.o.bills.get(vaDigits, now);
    if (bill === undefined) return { status: 404, body: { error: 'not_found', message: 'no bill for this virtual account' } };
    if (bill.status === 'paid') return { status: 409, body: { error: 'bill_paid', message: 'a paid VA cannot be deleted' } };
    const reason = raw.length === 0 ? 'Cancelled by merchant' : readString(parseBodyObject(raw), 'reason', { max: 50 }) ?? 'Cancelled by merchant';
    const answer = await this.ask(() => client.call('delete-va', deleteVaRequestBody(bill.bill, bill.bill.trxId ?? vaDigits, reason)));
    if ('status' in answer) return answer;
    if (!answer.ok) return { status: 422, body: { ok: false, error: 'faspay_refused', responseCode: answer.responseCode, responseMessage: answer.responseMessage } };
    await this.o.bills.cancel(vaDigits, new Date(now).toISOString());
    await this.o.redis.zrem(this.o.keys.recon(), this.o.keys.bill(vaDigits));
    return { status: 200, body: { ok: true, responseCode: answer.responseCode, virtualAccountNo: vaDigits } };
  }

  private async ask<T>(fn: () => Promise<T>): Promise<T | ApiAnswer> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof FaspayApiUnavailableError) return { status: 502, body: { ok: false, error: e.reason, message: e.message } };
      throw e;
    }
  }
}

function notConfigured(): ApiAnswer {
  return { status: 503, body: { error: 'not_configured', message: 'Faspay\'s SNAP API is not configured: set FASPAY_API_BASE_URL, MERCHANT_PRIVATE_KEY_FILE and FASPAY_PARTNER_ID' } };
}
