import { isJsonObject, JsonNumber, parseJson, type JsonValue } from '../snap/parse-json';
import { txnStatusWord } from './txn-status';

/** What the internal API answers after Update Card / Update Member, normalized from Faspay's response table. */
export interface RecurringResult {
  readonly ok: boolean;
  readonly memberId: string | null;
  readonly txnStatus: string | null;
  readonly txnStatusCode: string | null;
  readonly errCode: string | null;
  readonly errDesc: string | null;
  readonly userMessage: string | null;
  readonly transactionId: string | null;
  /** The schedule as Faspay echoed it (both spellings of its misspelled fields read). */
  readonly schedule: {
    readonly processDates: readonly number[] | null;
    readonly recurringAmount: string | null;
    readonly startDate: string | null;
    readonly endDate: string | null;
    readonly period: string | null;
    readonly periodAt: string | null;
    readonly status: string | null;
  };
}

export class FaspayResponseError extends Error {
  readonly reason = 'faspay_response';
  constructor(message: string) {
    super(message);
    this.name = 'FaspayResponseError';
  }
}

const text = (v: JsonValue | undefined): string | null => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.raw;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return null;
};

/** Parses Faspay's recurring response: `err_code` 0 is success (a string or a number), anything else is not. */
export function parseRecurringResponse(body: string): RecurringResult {
  let v: JsonValue;
  try {
    v = parseJson(body);
  } catch {
    throw new FaspayResponseError('Faspay answered something that is not JSON');
  }
  if (!isJsonObject(v)) throw new FaspayResponseError('Faspay answered JSON that is not an object');
  const o: Record<string, JsonValue> = {};
  for (const [k, val] of Object.entries(v)) o[k.toLowerCase()] = val;
  const errCode = text(o.err_code);
  if (errCode === null) throw new FaspayResponseError('Faspay\'s answer has no err_code');
  const code = text(o.txn_status);
  const dates = text(o.process_date);
  return {
    ok: /^0+$/.test(errCode),
    memberId: text(o.member_id),
    txnStatus: txnStatusWord(code ?? undefined) ?? null,
    txnStatusCode: code,
    errCode,
    errDesc: text(o.err_desc),
    userMessage: text(o.usr_msg),
    transactionId: text(o.transactionid ?? o.transaction_id),
    schedule: {
      processDates: dates === null ? null : dates.split(',').map((d) => Number(d.trim())).filter((n) => Number.isInteger(n)),
      // seed 001's response table spells it reccuring_amount; the request, recurring_amount
      recurringAmount: text(o.reccuring_amount ?? o.recurring_amount),
      startDate: text(o.recurring_start_date),
      endDate: text(o.recurring_end_date),
      period: text(o.recurring_period),
      periodAt: text(o.recurring_period_at ?? o.recurring_perriod_at),
      status: text(o.recurring_status),
    },
  };
}
