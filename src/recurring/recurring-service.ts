import { createHash } from 'node:crypto';
import type { Logger } from 'winston';
import type { FaspayCredentials } from '../legacy/faspay-credentials';
import { FaspayResponseError, type RecurringResult } from '../legacy/recurring-response';
import { readMemberId, readRecurringUpdate, recurringMessage, type RecurringOperation } from '../legacy/recurring-update';
import { FaspayRecurringClient, FaspayTimeoutError, FaspayUnavailableError } from '../outbound/faspay-recurring-client';
import type { MemberStore } from '../redis/member-store';
import { parseBodyObject } from '../snap/request-fields';

/** What the internal API answers: an HTTP status and a JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RecurringServiceOptions {
  readonly credentials?: FaspayCredentials | undefined;
  readonly client: FaspayRecurringClient;
  readonly members: MemberStore;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly memberTtlSeconds: number;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Update Card / Update Member for the order systems: validate against the seed's table, sign
 * (V8), post to Faspay within a time budget (or hand back the signed form for the Merchant
 * Window), normalize the answer, keep the member's schedule. An Idempotency-Key makes a
 * retried call return the first definitive result instead of posting twice.
 */
export class RecurringService {
  constructor(private readonly o: RecurringServiceOptions) {}

  async update(op: RecurringOperation, memberIdParam: string, raw: Buffer, mode: string | undefined, idempotencyKey: string | undefined): Promise<ApiAnswer> {
    const creds = this.o.credentials;
    if (creds === undefined) {
      return { status: 503, body: { error: 'not_configured', message: 'recurring is not configured: set FASPAY_USER_ID, FASPAY_PASSWORD (or _FILE) and FASPAY_MERCHANT_ID' } };
    }
    if (mode !== undefined && mode !== 'window' && mode !== 'direct') return { status: 400, body: { error: 'invalid_field', field: 'mode', message: 'mode is window or direct' } };
    const memberId = readMemberId(memberIdParam);
    const update = readRecurringUpdate(parseBodyObject(raw), op, this.o.clock());
    const message = recurringMessage(update, op, memberId, creds);
    if (mode === 'window') {
      // Merchant Window: the shop posts this form from the customer's browser (Faspay's card page)
      return { status: 200, body: { mode: 'window', memberId, action: this.o.client.urlFor(op), method: 'POST', fields: message } };
    }
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return { status: 400, body: { error: 'invalid_field', field: 'Idempotency-Key', message: 'use 1-128 letters, digits, ".", "_", ":" or "-"' } };
    }
    const idem = idempotencyKey === undefined ? undefined : `${op}:${memberId}:${idempotencyKey}`;
    const digest = createHash('sha256').update(raw).digest('hex');
    if (idem !== undefined) {
      const c = await this.o.members.claimIdempotency(idem, digest, 120);
      if (c.kind === 'done') return { ...(JSON.parse(c.result) as ApiAnswer), body: { ...(JSON.parse(c.result) as ApiAnswer).body, replayed: true } };
      if (c.kind === 'busy') return { status: 409, body: { error: 'in_progress', message: 'a call with this Idempotency-Key is still in progress; retry shortly' } };
      if (c.kind === 'mismatch') return { status: 422, body: { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used with another body' } };
    }
    let answer: ApiAnswer;
    try {
      const result = await this.o.client.post(op, message);
      answer = this.answer(memberId, result);
      if (result.ok) {
        await this.o.members.save({ memberId, schedule: update, lastOperation: op, faspay: result, updatedAt: new Date(this.o.clock()).toISOString() }, this.o.memberTtlSeconds);
      }
      this.o.logger.info('faspay recurring call', { operation: op, memberId, ok: result.ok, errCode: result.errCode, txnStatus: result.txnStatus });
    } catch (e) {
      if (idem !== undefined) await this.o.members.releaseIdempotency(idem).catch(() => undefined);
      // an update sets the schedule, so posting it again is harmless: the key is free for a retry
      if (e instanceof FaspayTimeoutError) {
        this.o.logger.warn('faspay recurring call timed out', { operation: op, memberId, timeoutMs: e.timeoutMs });
        return { status: 504, body: { ok: false, memberId, error: 'faspay_timeout', message: `${e.message}; it may have applied the update. Retrying (with the same Idempotency-Key) posts it again, which is safe` } };
      }
      if (e instanceof FaspayUnavailableError || e instanceof FaspayResponseError) {
        this.o.logger.warn('faspay recurring call failed', { operation: op, memberId, error: e.message });
        return { status: 502, body: { ok: false, memberId, error: e.reason, message: e.message, ...(e instanceof FaspayUnavailableError && e.httpStatus !== undefined ? { faspayHttpStatus: e.httpStatus } : {}) } };
      }
      throw e;
    }
    if (idem !== undefined) await this.o.members.finishIdempotency(idem, digest, JSON.stringify(answer), IDEMPOTENCY_TTL_SECONDS);
    return answer;
  }

  private answer(memberId: string, r: RecurringResult): ApiAnswer {
    return {
      status: r.ok ? 200 : 422,
      body: {
        ok: r.ok, memberId: r.memberId ?? memberId, txnStatus: r.txnStatus, txnStatusCode: r.txnStatusCode, errCode: r.errCode,
        errDesc: r.errDesc, userMessage: r.userMessage, transactionId: r.transactionId, schedule: r.schedule,
      },
    };
  }
}
