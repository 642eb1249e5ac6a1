import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeKeyPair } from '../../helpers/signer';
import { ROOT } from '../../helpers/spawned-service';
import { startLocalSentinel, viaSentinel, type LocalRedis } from '../../helpers/local-redis';
import { newSecret } from '../../helpers/subscriber-server';
import { sleep, rssMb } from './free-port';
import { compare, LedgerSubscriber, LoadDriver, registerBills, settle, type LedgerFigures } from './loss-ledger';
import { LossyProxy } from './lossy-proxy';
import { RedisProcess } from './redis-process';
import { ServiceProcess } from './service-process';

/** FAULTS_PROFILE=full (npm run test:faults) or short (.ci/run): load size and fault lengths. */
export const PROFILE = process.env.FAULTS_PROFILE === 'full' ? 'full' : 'short';
export const LOAD = PROFILE === 'full' ? { rate: 100, seconds: 60 } : { rate: 40, seconds: 16 };

export interface ScenarioContext {
  /** The standalone Redis (with `sentinel`, the sentinel topology instead). */
  readonly redis: RedisProcess;
  readonly sentinel: LocalRedis | undefined;
  readonly proxy: LossyProxy | undefined;
  readonly api: ServiceProcess;
  readonly worker: ServiceProcess;
  readonly subscriber: LedgerSubscriber;
  readonly driver: LoadDriver;
  /** Marks the moment the fault is over (default: when `fault` returns). */
  healed(): void;
}

export interface ScenarioSpec {
  readonly name: string;
  readonly appendfsync?: 'always' | 'everysec';
  /** Put a LossyProxy between the service and Redis. */
  readonly proxy?: boolean;
  /** A primary, a replica and a sentinel (test/cluster/local-redis.sh) instead of one redis-server. */
  readonly sentinel?: boolean;
  readonly env?: Record<string, string>;
  /** When the fault starts, after the load did. */
  readonly faultAfterMs?: number;
  readonly fault: (ctx: ScenarioContext) => Promise<void>;
  /** How long acknowledged payments may take to reach the subscriber after the load. */
  readonly settleMs?: number;
}

export interface ScenarioResult extends LedgerFigures {
  readonly scenario: string;
  readonly profile: string;
  readonly faultMs: number;
  readonly p99DuringFaultMs: number;
  readonly maxDuringFaultMs: number;
  readonly recoverMs: number | null;
  readonly maxInFlight: number;
  readonly apiRssBeforeMb: number | null;
  readonly apiRssMaxMb: number | null;
  readonly apiStarts: number;
  readonly badSignatures: number;
  /** Answers the driver got, by SNAP code (or "no answer"). */
  readonly codes: Record<string, number>;
  /** Distinct warnings and errors the api logged (the first few). */
  readonly apiErrors: string[];
  readonly workerErrors: string[];
  /** For each lost payment (up to 10): where it is stuck. */
  readonly diagnosis?: unknown;
}

/** Where lost payments are: their record, the outbox, the payment job and its delivery job. */
async function diagnose(url: string | undefined, paymentRequestIds: string[]): Promise<unknown> {
  if (url === undefined) return paymentRequestIds;
  const { default: Redis } = await import('ioredis');
  const { RedisKeys } = await import('../../../src/redis/redis-keys');
  const { paymentEventId } = await import('../../../src/snap/payment-event');
  const r = new Redis(url);
  const keys = new RedisKeys('{fault}:');
  try {
    return await Promise.all(paymentRequestIds.map(async (p) => {
      const record = await r.hgetall(keys.paymentRequest(p));
      const id = paymentEventId(p);
      const jobKeys = await r.keys(`{fault}:*${id}*`);
      const jobs = await Promise.all(jobKeys.map(async (k) => ({ k, type: await r.type(k), v: (await r.type(k)) === 'hash' ? await r.hgetall(k) : undefined })));
      return { paymentRequestId: p, record: { ...record, event: undefined }, inOutbox: (await r.zscore(keys.outbox(), p)) !== null, jobs };
    }));
  } finally {
    r.disconnect();
  }
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

let runs = 0;

/**
 * One scenario on its own redis-server (and proxy), an api and a worker process, the ledger
 * subscriber and the load driver: the fault runs mid-load, then every acknowledged payment must
 * reach the subscriber. The figures go to reports/faults.jsonl (test/faults/run-faults.js
 * renders reports/faults.md from it).
 */
export async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const keys = makeKeyPair();
  const token = `fault-token-${'x'.repeat(40)}`;
  const sentinel = spec.sentinel === true ? await startLocalSentinel() : undefined;
  const redis = new RedisProcess({ appendfsync: spec.appendfsync ?? 'always' });
  if (sentinel === undefined) await redis.start();
  const proxy = spec.proxy === true ? await new LossyProxy(redis.port).start() : undefined;
  const subscriber = await new LedgerSubscriber(newSecret()).start();
  const env = (): Record<string, string> => ({
    NODE_ENV: 'development',
    ...(sentinel === undefined ? { REDIS_URL: (proxy ?? redis).url } : viaSentinel(sentinel)), REDIS_KEY_PREFIX: '{fault}:', QUEUE_PREFIX: '{fault}',
    FASPAY_PUBLIC_KEY: keys.publicKeyPem, FASPAY_PARTNER_ID: '82150', INTERNAL_API_TOKEN: token,
    ORDER_WEBHOOK_URL: subscriber.url, ORDER_WEBHOOK_SECRET: subscriber.secret, LOG_LEVEL: 'warn',
    OUTBOX_RELAY_INTERVAL_MS: '1000', DELIVERY_BACKOFF_BASE_MS: '200', DELIVERY_BACKOFF_CAP_MS: '2000', DELIVERY_MAX_ATTEMPTS: '500',
    WORKER_STALLED_INTERVAL_MS: '2000', WORKER_CONCURRENCY: '20', RECONCILE_INTERVAL: 'off', SNAP_RATE_LIMIT: 'off',
    REDIS_EVICTION_CHECK: 'off', SHUTDOWN_GRACE_MS: '2000', ...spec.env,
  });
  const api = new ServiceProcess(() => ({ ...env(), ROLE: 'api' }));
  const worker = new ServiceProcess(() => ({ ...env(), ROLE: 'worker' }));
  const count = LOAD.rate * LOAD.seconds;
  const tag = `9${String(++runs).padStart(2, '0')}${String(process.pid % 1000).padStart(3, '0')}`;
  try {
    await api.start();
    await worker.start();
    await registerBills(api.adminUrl, token, tag, count);
    const driver = new LoadDriver({ baseUrl: api.baseUrl, key: keys.privateKey, ratePerSecond: LOAD.rate, count, tag });
    const load = driver.run();
    await sleep(spec.faultAfterMs ?? 3_000);
    const apiRssBeforeMb = api.pid === undefined ? null : rssMb(api.pid) ?? null;
    let apiRssMaxMb = apiRssBeforeMb;
    const sampler = setInterval(() => {
      const r = api.pid === undefined ? undefined : rssMb(api.pid);
      if (r !== undefined) apiRssMaxMb = Math.max(apiRssMaxMb ?? 0, r);
    }, 250);
    const faultStart = Date.now();
    let faultEnd: number | undefined;
    await spec.fault({ redis, sentinel, proxy, api, worker, subscriber, driver, healed: () => { faultEnd ??= Date.now(); } });
    faultEnd ??= Date.now();
    clearInterval(sampler);
    await load;
    await settle(driver, subscriber, spec.settleMs ?? 90_000);
    const lostIds = [...driver.results].filter(([p, r]) => r === 'ack' && !subscriber.events.has(p)).map(([p]) => p);
    const diagnosis = lostIds.length === 0 ? undefined : await diagnose(sentinel === undefined ? redis.url : `redis://127.0.0.1:${sentinel.ports[1]!}`, lostIds.slice(0, 10));
    const during = driver.attempts.filter((a) => a.start >= faultStart && a.start <= faultEnd!).map((a) => a.end - a.start);
    const firstAckAfter = driver.attempts.filter((a) => a.outcome === 'ack' && a.start >= faultEnd!).sort((a, b) => a.end - b.end)[0];
    const result: ScenarioResult = {
      scenario: spec.name, profile: PROFILE, ...compare(driver, subscriber),
      faultMs: faultEnd - faultStart, p99DuringFaultMs: pct(during, 99), maxDuringFaultMs: pct(during, 100),
      recoverMs: firstAckAfter === undefined ? null : firstAckAfter.end - faultEnd, maxInFlight: driver.maxInFlight,
      apiRssBeforeMb, apiRssMaxMb, apiStarts: api.starts, badSignatures: subscriber.badSignatures,
      codes: Object.fromEntries([...driver.attempts.reduce((m, a) => m.set(a.code, (m.get(a.code) ?? 0) + 1), new Map<string, number>())]),
      apiErrors: [...new Set(api.logLines().filter((l) => l.level === 'error' || l.level === 'warn').map((l) => String(l.error ?? l.message)))].slice(0, 8),
      workerErrors: [...new Set(worker.logLines().filter((l) => l.level === 'error' || l.level === 'warn').map((l) => `${String(l.message)}: ${String(l.error ?? '')}`))].slice(0, 12),
      ...(diagnosis === undefined ? {} : { diagnosis }),
    };
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    appendFileSync(join(ROOT, 'reports', 'faults.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), ...result })}\n`);
    // the line the issue asks every scenario to print
    process.stdout.write(`${spec.name}: acknowledged ${result.acknowledged}, lost ${result.lost}, doubled ${result.doubled}, unacknowledged but delivered ${result.unacknowledgedButDelivered}\n`);
    return result;
  } finally {
    await Promise.allSettled([api.stop(), worker.stop()]);
    await subscriber.stop();
    await proxy?.stop();
    await redis.stop();
    sentinel?.stop();
  }
}
