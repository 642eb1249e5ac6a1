import { type JsonObject, JsonNumber } from '../snap/parse-json';
import { SnapFieldError } from '../snap/request-fields';
import { formatJakarta } from '../snap/timestamp';
import type { FaspayCredentials } from './faspay-credentials';
import { sha1OfMd5 } from './legacy-signatures';

export type RecurringOperation = 'update-card' | 'update-member';

/** A member's recurring schedule as the internal API takes it (camelCase), validated against seed 001. */
export interface RecurringUpdate {
  readonly memberName: string;
  readonly memberEmail: string;
  readonly memberEmailNotif: boolean;
  /** Day numbers: the first is the charge date, the rest are retry dates (at most 9). */
  readonly processDates: readonly number[];
  /** Two-decimal string, e.g. `150000.00`. */
  readonly recurringAmount: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly period: 'D' | 'M' | 'Y';
  readonly periodAt: number;
  readonly accumulate: boolean;
  readonly accumulateAt: number;
  readonly status: 'active' | 'inactive';
  readonly cardExpireNotif: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MEMBER_ID = /^[A-Za-z0-9._-]{1,50}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readMemberId(id: string): string {
  if (!MEMBER_ID.test(id)) throw new SnapFieldError('invalidFieldFormat', 'memberId');
  return id;
}

function str(body: JsonObject, name: string, max: number, pattern?: RegExp): string {
  const v = body[name];
  if (v === undefined || v === null || v === '') throw new SnapFieldError('invalidMandatoryField', name);
  if (typeof v !== 'string' || v.length > max || (pattern !== undefined && !pattern.test(v))) throw new SnapFieldError('invalidFieldFormat', name);
  return v;
}

function bool(body: JsonObject, name: string, required: boolean): boolean {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new SnapFieldError('invalidMandatoryField', name);
    return false;
  }
  if (typeof v !== 'boolean') throw new SnapFieldError('invalidFieldFormat', name);
  return v;
}

function int(body: JsonObject, name: string, min: number, max: number): number {
  const v = body[name];
  if (v === undefined || v === null) throw new SnapFieldError('invalidMandatoryField', name);
  const n = v instanceof JsonNumber ? Number(v.raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new SnapFieldError('invalidFieldFormat', name);
  return n;
}

function date(body: JsonObject, name: string): string {
  const d = str(body, name, 10, DATE);
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, day));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== day) throw new SnapFieldError('invalidFieldFormat', name);
  return d;
}

/**
 * Validates an Update Card / Update Member request body against the seed's table (types,
 * lengths, M/O/C). Every error names the camelCase field, and nothing is sent.
 */
export function readRecurringUpdate(body: JsonObject, op: RecurringOperation, nowMs: number): RecurringUpdate {
  const memberName = str(body, 'memberName', 50);
  const memberEmail = str(body, 'memberEmail', 50, EMAIL);
  const memberEmailNotif = bool(body, 'memberEmailNotif', true);
  const dates = body.processDates;
  if (dates === undefined || dates === null) throw new SnapFieldError('invalidMandatoryField', 'processDates');
  if (!Array.isArray(dates) || dates.length === 0 || dates.length > 9) throw new SnapFieldError('invalidFieldFormat', 'processDates');
  const processDates = dates.map((d, i) => {
    const n = d instanceof JsonNumber ? Number(d.raw) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 31) throw new SnapFieldError('invalidFieldFormat', `processDates[${i}]`);
    return n;
  });
  if (new Set(processDates).size !== processDates.length) throw new SnapFieldError('invalidFieldFormat', 'processDates');
  const amount = body.recurringAmount;
  if (amount === undefined || amount === null || amount === '') throw new SnapFieldError('invalidMandatoryField', 'recurringAmount');
  // Numeric(12): at most ten digits of rupiah and two of sen; a decimal string, never a float
  const am = typeof amount === 'string' ? /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(amount) : null;
  if (am === null || /^0+(\.0*)?$/.test(amount as string)) throw new SnapFieldError('invalidFieldFormat', 'recurringAmount');
  const recurringAmount = `${BigInt(am[1]!).toString()}.${(am[2] ?? '').padEnd(2, '0')}`;
  const startDate = date(body, 'startDate');
  const endDate = date(body, 'endDate');
  if (endDate < startDate) throw new SnapFieldError('invalidFieldFormat', 'endDate');
  // seed 001: "Recurring Start Time (must be same day with the transaction date)"
  if (op === 'update-card' && startDate !== formatJakarta(nowMs).slice(0, 10)) throw new SnapFieldError('invalidFieldFormat', 'startDate');
  const period = str(body, 'period', 1, op === 'update-member' ? /^[DMY]$/ : /^[MY]$/) as 'D' | 'M' | 'Y';
  const periodAt = int(body, 'periodAt', 1, 9);
  const accumulate = bool(body, 'accumulate', op === 'update-card');
  const accumulateAt = int(body, 'accumulateAt', 0, 9);
  const status = str(body, 'status', 8, /^(active|inactive)$/) as 'active' | 'inactive';
  const cardExpireNotif = bool(body, 'cardExpireNotif', op === 'update-member');
  return { memberName, memberEmail, memberEmailNotif, processDates, recurringAmount, startDate, endDate, period, periodAt, accumulate, accumulateAt, status, cardExpireNotif };
}

/** `sha1(md5(user_id + password + member_id))`, lowercase hex (spec V8; the seed's "sha5" is sha1, §9 #19). */
export function recurringSignature(c: FaspayCredentials, memberId: string): string {
  return sha1OfMd5(`${c.userId}${c.password}${memberId}`);
}

const yn = (b: boolean): string => (b ? '1' : '0');

/**
 * The message Faspay expects, under the seed's own names and spellings. Update Card
 * (seed 001) writes `recurring_perriod_at` and shows "t" for the accumulate and status
 * flags; Update Member's page writes `recurring_period_at`, 1/0 flags, `card_expire_notif`
 * and `signature`. The seed says recurring_type 2 is the update ("For Update member ... = 2").
 */
export function recurringMessage(u: RecurringUpdate, op: RecurringOperation, memberId: string, c: FaspayCredentials): Record<string, string> {
  const common = {
    recurring_type: '2',
    merchant_id: c.merchantId,
    member_id: memberId,
    member_name: u.memberName,
    member_email: u.memberEmail,
    member_email_notif: yn(u.memberEmailNotif),
    process_date: u.processDates.map((d) => String(d).padStart(2, '0')).join(','),
    recurring_amount: u.recurringAmount,
    recurring_start_date: u.startDate,
    recurring_end_date: u.endDate,
    recurring_period: u.period,
  };
  if (op === 'update-card') {
    return {
      ...common,
      recurring_perriod_at: String(u.periodAt),
      recurring_accumulate: u.accumulate ? 't' : 'f',
      recurring_accumulate_at: String(u.accumulateAt),
      recurring_status: u.status === 'active' ? 't' : 'f',
      recurring_signature: recurringSignature(c, memberId),
    };
  }
  return {
    request: 'Update Member',
    ...common,
    recurring_period_at: String(u.periodAt),
    recurring_accumulate_at: String(u.accumulateAt),
    recurring_status: u.status === 'active' ? '1' : '0',
    card_expire_notif: yn(u.cardExpireNotif),
    signature: recurringSignature(c, memberId),
  };
}
