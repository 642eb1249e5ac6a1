import type { RedisClient } from './redis-connections';
import { formatMoney } from '../snap/amount';
import { billStatus, type BillRegistration, type BillStatus, type BillView, type StoredBillStatus } from '../snap/bill';
import { defineScript, type ScriptFn } from './define-script';
import { CANCEL_BILL_LUA, READ_BILL_LUA, REGISTER_BILL_LUA } from './lua-scripts';
import { inquiryBillFragments, paymentAnswerName } from '../snap/snap-responses';
import type { RedisKeys } from './redis-keys';

export interface BillPayment {
  readonly paymentRequestId: string;
  readonly eventId: string;
  readonly paidAmount: { value: string; currency: string };
  readonly referenceNo: string | null;
  readonly paidAt: string;
}

export interface BillRecord {
  readonly status: BillStatus;
  readonly bill: BillView;
  /** All payments ever accepted on this bill. */
  readonly paymentCount: number;
  /** The most recent (up to 100), oldest first. */
  readonly payments: readonly BillPayment[];
  readonly updatedAt: string;
}

/** A registration's outcome: a paid bill is left as it was; otherwise the record as stored. */
export type BillRegistered = { readonly result: 'paid' } | { readonly result: 'created' | 'replaced'; readonly record: BillRecord };

/** The hash fields a record shows, as READ_BILL_LUA returns them (null: absent). */
type RecordFields = readonly [status: string | null, view: string | null, expiry: string | null, paymentCount: string | null, updatedAt: string | null];

function recordOf([status, view, expiry, paymentCount, updatedAt]: RecordFields, payments: readonly string[], nowMs: number): BillRecord | undefined {
  if (status === null || view === null) return undefined;
  const exp = expiry === null || expiry === '' ? undefined : Number(expiry);
  return {
    status: billStatus({ status: status as StoredBillStatus, expiresAtMs: exp }, nowMs),
    bill: JSON.parse(view) as BillView,
    paymentCount: Number(paymentCount ?? '0'),
    payments: payments.map((p) => JSON.parse(p) as BillPayment),
    updatedAt: updatedAt ?? '',
  };
}

/** Bills registered by internal services (the bill API on ADMIN_PORT). */
export class BillStore {
  private readonly registerScript: ScriptFn;
  private readonly cancelScript: ScriptFn;
  private readonly readScript: ScriptFn;

  /** `retentionSeconds`: how long a cancelled bill, or a bill past its expiry, is kept (PAYMENT_RECORD_TTL_DAYS). */
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly retentionSeconds: number) {
    this.registerScript = defineScript(redis, 'snapRegisterBill', 2, REGISTER_BILL_LUA);
    this.cancelScript = defineScript(redis, 'snapCancelBill', 2, CANCEL_BILL_LUA);
    this.readScript = defineScript(redis, 'snapReadBill', 2, READ_BILL_LUA);
  }

  /** One round trip: the script stores the bill and answers with what a read would return next. */
  async register(reg: BillRegistration, nowIso: string, status: StoredBillStatus = 'open'): Promise<BillRegistered> {
    const { view } = reg;
    const viewJson = JSON.stringify({ ...view, totalAmount: formatMoney(reg.amount) });
    const expiry = reg.expiresAtMs === undefined ? '' : String(reg.expiresAtMs);
    const r = (await this.registerScript([this.keys.bill(reg.vaDigits), this.keys.billPayments(reg.vaDigits)], [
      view.amountType,
      reg.amount.minor.toString(),
      reg.amount.currency,
      expiry,
      viewJson,
      view.virtualAccountName,
      nowIso,
      status,
      ...Object.values(inquiryBillFragments(view)),
      paymentAnswerName(view.virtualAccountName),
      String(this.retentionSeconds),
    ])) as ['paid'] | ['created' | 'replaced', string, string[]];
    if (r[0] === 'paid') return { result: 'paid' };
    return { result: r[0], record: recordOf([status, viewJson, expiry, r[1], nowIso], r[2], Date.parse(nowIso))! };
  }

  async get(vaDigits: string, nowMs: number): Promise<BillRecord | undefined> {
    const [fields, payments] = (await this.readScript([this.keys.bill(vaDigits), this.keys.billPayments(vaDigits)], [])) as [RecordFields, string[]];
    return recordOf(fields, payments, nowMs);
  }

  async cancel(vaDigits: string, nowIso: string): Promise<'cancelled' | 'missing' | 'paid'> {
    return (await this.cancelScript([this.keys.bill(vaDigits), this.keys.billPayments(vaDigits)], [nowIso, String(this.retentionSeconds)])) as 'cancelled' | 'missing' | 'paid';
  }
}
