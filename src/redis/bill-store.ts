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

  async register(reg: BillRegistration, nowIso: string, status: StoredBillStatus = 'open'): Promise<'created' | 'replaced' | 'paid'> {
    const { view } = reg;
    return (await this.registerScript([this.keys.bill(reg.vaDigits), this.keys.billPayments(reg.vaDigits)], [
      view.amountType,
      reg.amount.minor.toString(),
      reg.amount.currency,
      reg.expiresAtMs === undefined ? '' : String(reg.expiresAtMs),
      JSON.stringify({ ...view, totalAmount: formatMoney(reg.amount) }),
      view.virtualAccountName,
      nowIso,
      status,
      ...Object.values(inquiryBillFragments(view)),
      paymentAnswerName(view.virtualAccountName),
      String(this.retentionSeconds),
    ])) as 'created' | 'replaced' | 'paid';
  }

  async get(vaDigits: string, nowMs: number): Promise<BillRecord | undefined> {
    const [fields, list] = (await this.readScript([this.keys.bill(vaDigits), this.keys.billPayments(vaDigits)], [])) as [[string | null, string | null, string | null, string | null, string | null], string[]];
    const [status, view, expiry, paymentCount, updatedAt] = fields;
    if (status === null || view === null) return undefined;
    const exp = expiry === null || expiry === '' ? undefined : Number(expiry);
    return {
      status: billStatus({ status: status as StoredBillStatus, expiresAtMs: exp }, nowMs),
      bill: JSON.parse(view) as BillView,
      paymentCount: Number(paymentCount ?? '0'),
      payments: list.map((p) => JSON.parse(p) as BillPayment),
      updatedAt: updatedAt ?? '',
    };
  }

  async cancel(vaDigits: string, nowIso: string): Promise<'cancelled' | 'missing' | 'paid'> {
    return (await this.cancelScript([this.keys.bill(vaDigits), this.keys.billPayments(vaDigits)], [nowIso, String(this.retentionSeconds)])) as 'cancelled' | 'missing' | 'paid';
  }
}
