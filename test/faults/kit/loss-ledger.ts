import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { bill, PAYMENT, paymentBody } from '../../helpers/harness';
import { externalId, signedHeaders } from '../../helpers/signer';
import { sleep } from './free-port';

export interface Attempt {
  readonly start: number;
  readonly end: number;
  /** `ack`: 2002500; `final`: another final SNAP answer; `retry`: no answer, 5xx or "in progress". */
  readonly outcome: 'ack' | 'final' | 'retry';
  readonly code: string;
}

export interface DriverOptions {
  readonly baseUrl: string;
  readonly key: KeyObject;
  readonly ratePerSecond: number;
  readonly count: number;
  /** Digits that make this run's customer numbers unique. */
  readonly tag: string;
  readonly giveUpMs?: number;
  readonly requestTimeoutMs?: number;
}

// no client-side queue: Faspay opens as many connections as it needs, and a queue here would be
// counted as the service's latency
const agent = new http.Agent({ keepAlive: true });

function post(url: string, path: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export const customerNoOf = (tag: string, i: number): string => `${tag}${String(i).padStart(8, '0')}`;
export const paymentRequestIdOf = (tag: string, i: number): string => `fault-${tag}-${i}`;

/** Registers the closed bills the driver will pay, before any fault starts. */
export async function registerBills(adminUrl: string, token: string, tag: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      const i = next++;
      const body = JSON.stringify(bill({ customerNo: customerNoOf(tag, i) }));
      const res = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${adminUrl}/internal/v1/bills`, { method: 'PUT', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
      if (res !== 201 && res !== 200) throw new Error(`registering bill ${i}: HTTP ${res}`);
    }
  }));
}

/**
 * Faspay's side under load: pays unique bills at a steady rate, and retries a payment that got
 * no answer, a 5xx or "in progress" with the same body and a new X-EXTERNAL-ID, with backoff,
 * until a final SNAP answer or `giveUpMs`.
 */
export class LoadDriver {
  readonly attempts: Attempt[] = [];
  /** paymentRequestId → how it ended. */
  readonly results = new Map<string, 'ack' | 'gave-up' | `final:${string}`>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly o: DriverOptions) {}

  async run(): Promise<void> {
    const t0 = Date.now();
    const all: Array<Promise<void>> = [];
    for (let i = 0; i < this.o.count; i++) {
      const wait = t0 + (i * 1_000) / this.o.ratePerSecond - Date.now();
      if (wait > 0) await sleep(wait);
      all.push(this.pay(i));
    }
    await Promise.all(all);
  }

  private async pay(i: number): Promise<void> {
    const prid = paymentRequestIdOf(this.o.tag, i);
    const body = paymentBody(customerNoOf(this.o.tag, i), { prid });
    const first = Date.now();
    for (let n = 0; ; n++) {
      const start = Date.now();
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let outcome: Attempt['outcome'] = 'retry';
      let code = 'no answer';
      try {
        const headers = signedHeaders(this.o.key, body, { path: PAYMENT, timestampMs: start, externalId: externalId() });
        const res = await post(this.o.baseUrl, PAYMENT, headers, body, this.o.requestTimeoutMs ?? 8_000);
        code = String((JSON.parse(res.text) as { responseCode?: unknown }).responseCode ?? `HTTP ${res.status}`);
        outcome = code === '2002500' ? 'ack' : res.status >= 500 || code.startsWith('202') ? 'retry' : 'final';
      } catch {
        // no answer: Faspay retries
      } finally {
        this.inFlight--;
      }
      this.attempts.push({ start, end: Date.now(), outcome, code });
      if (outcome !== 'retry') {
        this.results.set(prid, outcome === 'ack' ? 'ack' : `final:${code}`);
        return;
      }
      if (Date.now() - first > (this.o.giveUpMs ?? 120_000)) {
        this.results.set(prid, 'gave-up');
        return;
      }
      await sleep(Math.min(250 * 2 ** n, 4_000) * (0.5 + Math.random() / 2));
    }
  }
}

/**
 * The order system: a real HTTP server that verifies every delivery's Standard Webhooks
 * signature with the public `standardwebhooks` library and records what it accepted.
 */
export class LedgerSubscriber {
  /** paymentRequestId → webhook-ids accepted for it. */
  readonly events = new Map<string, Set<string>>();
  /** webhook-id → times accepted (more than once: a redelivery the consumer drops by id). */
  readonly accepted = new Map<string, number>();
  badSignatures = 0;
  port = 0;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly webhook: Webhook;

  constructor(readonly secret: string) {
    this.webhook = new Webhook(secret);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let event: { id: string; paymentRequestId: string };
        try {
          event = this.webhook.verify(body, req.headers as Record<string, string>) as typeof event;
        } catch {
          this.badSignatures++;
          res.writeHead(400).end();
          return;
        }
        this.accepted.set(event.id, (this.accepted.get(event.id) ?? 0) + 1);
        const ids = this.events.get(event.paymentRequestId) ?? new Set<string>();
        ids.add(event.id);
        this.events.set(event.paymentRequestId, ids);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Down: connections refused until `start()` again on the same port. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server === undefined ? r() : this.server.close(() => r())));
    this.server = undefined;
  }
}

export interface LedgerFigures {
  readonly sent: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly doubled: number;
  readonly redelivered: number;
  readonly unacknowledgedButDelivered: number;
  readonly gaveUp: number;
  readonly refusedFinal: number;
}

/** Compares what Faspay was told with what the order system received, per paymentRequestId. */
export function compare(driver: LoadDriver, sub: LedgerSubscriber): LedgerFigures {
  const acked = [...driver.results].filter(([, r]) => r === 'ack').map(([p]) => p);
  const ackedSet = new Set(acked);
  return {
    sent: driver.attempts.length,
    acknowledged: acked.length,
    lost: acked.filter((p) => !sub.events.has(p)).length,
    doubled: [...sub.events.values()].filter((ids) => ids.size > 1).length,
    redelivered: [...sub.accepted.values()].reduce((n, c) => n + c - 1, 0),
    unacknowledgedButDelivered: [...sub.events.keys()].filter((p) => !ackedSet.has(p)).length,
    gaveUp: [...driver.results.values()].filter((r) => r === 'gave-up').length,
    refusedFinal: [...driver.results.values()].filter((r) => r.startsWith('final:')).length,
  };
}

/** Waits until every acknowledged payment reached the subscriber, or `ms` pass. */
export async function settle(driver: LoadDriver, sub: LedgerSubscriber, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && compare(driver, sub).lost > 0) await sleep(200);
  await sleep(1_500); // a late double would show up now
}
