import http from 'node:http';
import https from 'node:https';
import type { BillStore } from '../redis/bill-store';
import { readBillRegistration, type StoredBillStatus } from '../snap/bill';
import { parseBodyObject, readString } from '../snap/request-fields';

/** The order service did not answer within the budget: the SNAP answer is 504xx00. */
export class OrderServiceTimeoutError extends Error {
  readonly reason = 'order_service_timeout';
  constructor(ms: number) {
    super(`order service did not answer within ${ms} ms`);
    this.name = 'OrderServiceTimeoutError';
  }
}

/** The order service failed, answered nonsense, or its circuit is open: 500xx02. */
export class OrderServiceError extends Error {
  readonly reason = 'order_service_error';
  constructor(message: string) {
    super(message);
    this.name = 'OrderServiceError';
  }
}

const MAX_BODY = 65_536;
const agent = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

function get(url: URL, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { agent: url.protocol === 'https:' ? agent.https : agent.http, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new OrderServiceError('order service answered more than 64 KiB'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * A small circuit breaker: after `failures` failures in a row the circuit opens for
 * `cooldownMs` and calls fail at once; then one trial call decides whether it closes.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openUntil = 0;

  constructor(private readonly failures: number, private readonly cooldownMs: number, private readonly clock: () => number = Date.now) {}

  get open(): boolean {
    return this.consecutive >= this.failures && this.clock() < this.openUntil;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.open) throw new OrderServiceError('order service circuit is open after repeated failures');
    try {
      const v = await fn();
      this.consecutive = 0;
      return v;
    } catch (e) {
      this.consecutive++;
      if (this.consecutive >= this.failures) this.openUntil = this.clock() + this.cooldownMs;
      throw e;
    }
  }
}

/**
 * BILL_SOURCE=http: the bill comes from `GET {ORDER_SERVICE_URL}/bills/{va digits}` at the
 * moment Faspay asks, validated like a registered bill, and is written to the bill store so
 * the atomic payment step (and idempotency) work exactly as with registered bills.
 */
export class OrderServiceBills {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly store: BillStore,
    private readonly breaker: CircuitBreaker,
  ) {}

  async sync(vaDigits: string, nowMs: number): Promise<void> {
    const url = new URL(`${this.baseUrl}/bills/${encodeURIComponent(vaDigits)}`);
    const res = await this.breaker.run(async () => {
      let r: { status: number; body: Buffer };
      try {
        r = await get(url, this.timeoutMs);
      } catch (e) {
        const err = e as Error;
        if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new OrderServiceTimeoutError(this.timeoutMs);
        if (err instanceof OrderServiceError) throw err;
        throw new OrderServiceError(`order service unreachable: ${err.message}`);
      }
      if (r.status !== 200 && r.status !== 404) throw new OrderServiceError(`order service answered HTTP ${r.status}`);
      return r;
    });
    const nowIso = new Date(nowMs).toISOString();
    if (res.status === 404) {
      await this.store.cancel(vaDigits, nowIso);
      return;
    }
    let status: StoredBillStatus;
    let reg;
    try {
      const body = parseBodyObject(res.body);
      status = (readString(body, 'status', { max: 9, pattern: /^(open|paid|cancelled)$/ }) ?? 'open') as StoredBillStatus;
      reg = readBillRegistration(body, nowIso);
    } catch (e) {
      throw new OrderServiceError(`order service sent an invalid bill: ${(e as Error).message}`);
    }
    if (reg.vaDigits !== vaDigits) throw new OrderServiceError(`order service sent the bill of VA ${reg.vaDigits} for ${vaDigits}`);
    await this.store.register(reg, nowIso, status);
  }
}
