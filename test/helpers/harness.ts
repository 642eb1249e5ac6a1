import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import Transport from 'winston-transport';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logging/create-logger';
import type { Subscriber } from '../../src/config/load-subscribers';
import type { FaultHooks } from '../../src/kinds/virtual-account/va-deps';
import { filePartnerSource } from '../../src/partners/partner-source';
import type { LoadedFaspayCredentials } from '../../src/config/load-faspay-credentials';
import { startService, type RunningService } from '../../src/service';
import { parsePublicKeys, type PublicKeyEntry } from '../../src/snap/public-keys';
import { openApiProblems, type RecordedResponse } from './openapi-validator';
import { makeKeyPair, signedHeaders, type SignOptions, type TestKeyPair } from './signer';
import { deleteMatching, keysMatching, REDIS_ENV } from './test-redis';
import { scanForSecrets } from './secret-scan';
import { requestLine } from '../../src/logging/request-line';
import { closeRedis, createQueueRedis, type RedisClient } from '../../src/redis/redis-connections';

export { REDIS_ENV } from './test-redis';

export const INQUIRY = '/v1.0/transfer-va/inquiry';
export const PAYMENT = '/v1.0/transfer-va/payment';
export const T0 = Date.parse('2026-11-22T10:00:00+07:00');

/** A winston transport that keeps every log line, for assertions on what was logged. */
export class Capture extends Transport {
  readonly lines: Array<Record<string, unknown>> = [];
  override log(info: Record<string, unknown>, next: () => void): void {
    this.lines.push(info);
    next();
  }
}

const REQUEST_LINE_FIELDS = new Set(Object.keys(requestLine('', '')));

/** Fields the request lines of a run carry that requestLine() does not declare. */
export function strayRequestLineFields(lines: ReadonlyArray<Record<string, unknown>>): string[] {
  const strays = new Set<string>();
  for (const line of lines) {
    if (line.message !== 'snap request' || line.requestId === undefined) continue;
    for (const k of Object.keys(line)) if (!REQUEST_LINE_FIELDS.has(k)) strays.add(k);
  }
  return [...strays];
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  /** How to reach Redis instead of the suite's REDIS_ENV (a test's own cluster or sentinel). */
  readonly redisEnv?: Record<string, string>;
  readonly faults?: FaultHooks;
  readonly extraKeys?: readonly PublicKeyEntry[];
  readonly subscribers?: readonly Subscriber[];
  /**
   * A partners file (YAML) instead of the env partner; the function gets the harness's public
   * key file and a scratch directory to write more keys and secrets into.
   */
  readonly partners?: (files: { publicKeyFile: string; dir: string }) => string;
  /** Environment the partners file's `env:` references read. */
  readonly partnerEnv?: Record<string, string>;
  /** Share another harness's Redis namespace (two app instances on one Redis). */
  readonly namespace?: string;
  /** Public listener address (default 127.0.0.1). */
  readonly host?: string;
  /** Faspay's legacy credentials (card notifications, recurring API). */
  readonly faspay?: LoadedFaspayCredentials;
  /** The merchant's private key for its calls to Faspay's SNAP API. */
  readonly merchantKey?: import('node:crypto').KeyObject;
}

export interface Harness {
  readonly svc: RunningService;
  readonly api: string;
  readonly admin: string;
  readonly clock: { now: number };
  readonly key: TestKeyPair;
  readonly token: string;
  readonly keyPrefix: string;
  readonly queuePrefix: string;
  readonly logs: Array<Record<string, unknown>>;
  readonly redis: RedisClient;
  readonly namespace: string;
  /** The scratch directory (partners file, keys). */
  readonly dir: string;
  readonly partnersFile: string | undefined;
  /** Values that must never appear in a log line (the suite's secret scan reads it on close). */
  readonly secrets: Set<string>;
  /** Keys in this harness's Redis namespace, rate-limit buckets aside. */
  keyCount(): Promise<number>;
  post(path: string, body: string, sign?: Partial<SignOptions>, headers?: Record<string, string>): Promise<request.Response>;
  registerBill(body: Record<string, unknown>): request.Test;
  jobCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real service on 127.0.0.1 ephemeral ports, against real Redis, in its own key and queue namespace. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const ns = opts.namespace ?? randomBytes(4).toString('hex');
  const key = makeKeyPair();
  const token = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'snap-harness-'));
  const publicKeyFile = join(dir, 'faspay-public.pem');
  writeFileSync(publicKeyFile, key.publicKeyPem);
  let partnersFile: string | undefined;
  if (opts.partners !== undefined) {
    partnersFile = join(dir, 'partners.yaml');
    writeFileSync(partnersFile, opts.partners({ publicKeyFile, dir }));
  }
  const config = loadConfig({
    HOST: opts.host ?? '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ROLE: 'api', LOG_LEVEL: 'info',
    ...(opts.redisEnv ?? REDIS_ENV), REDIS_KEY_PREFIX: `{t${ns}}:`, QUEUE_PREFIX: `{t${ns}}q`,
    INTERNAL_API_TOKEN: token, OUTBOX_RELAY_INTERVAL_MS: '600000', SNAP_INFLIGHT_WAIT_MS: '5000',
    ...opts.env,
  });
  const capture = new Capture();
  const logger = createLogger('info');
  logger.clear().add(capture);
  const clock = { now: T0 };
  const secrets = new Set<string>([token, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), ...Object.values(opts.partnerEnv ?? {})]);
  for (const s of [opts.faspay?.faspay?.password, opts.faspay?.card?.ccTxnPassword]) if (s !== undefined) secrets.add(s);
  const svc = await startService({
    config, logger, clock: () => clock.now, faults: opts.faults, internalApiToken: token,
    ...(partnersFile === undefined
      ? { publicKeys: [...parsePublicKeys(key.publicKeyPem), ...(opts.extraKeys ?? [])] }
      : { partners: filePartnerSource(config, partnersFile, opts.partnerEnv ?? {}, () => Buffer.from('development-token-signing-key-of-the-harness!')) }),
    subscribers: opts.subscribers,
    faspay: opts.faspay,
    merchantKey: opts.merchantKey,
  });
  const api = `http://${opts.host === '::' ? '[::1]' : '127.0.0.1'}:${svc.publicPort}`;
  const admin = `http://127.0.0.1:${svc.adminPort}`;
  const redis = createQueueRedis(config.redis);
  // every SNAP and bill-API answer a test sees is checked against the OpenAPI document on close
  const seen: RecordedResponse[] = [];
  const record = (method: string, path: string) => (res: request.Response): request.Response => {
    seen.push({ method, path, status: res.status, body: res.body as unknown });
    return res;
  };
  const remember = (res: request.Response): request.Response => {
    // every signature sent and every token issued must stay out of the logs
    const sent = (res as unknown as { req?: { getHeader(n: string): unknown } }).req;
    for (const h of ['x-signature', 'authorization']) {
      const v = sent?.getHeader(h);
      if (typeof v === 'string' && v.length >= 16) secrets.add(v.replace(/^Bearer /i, ''));
    }
    const issued = (res.body as { accessToken?: unknown } | undefined)?.accessToken;
    if (typeof issued === 'string') secrets.add(issued);
    return res;
  };
  return {
    svc, api, admin, clock, key, token, redis, logs: capture.lines, namespace: ns, dir, partnersFile, secrets,
    keyPrefix: config.keyPrefix, queuePrefix: config.queuePrefix,
    // rate-limit buckets expire within milliseconds of the (frozen) test clock's budget: not counted
    keyCount: async () => (await keysMatching(redis, `{t${ns}}:*`)).filter((k) => !k.startsWith(`{t${ns}}:rl:`)).length + (await keysMatching(redis, `{t${ns}}q:*`)).length,
    // supertest sends lazily; wrapping starts the request now, so callers can race several.
    post: async (path, body, sign = {}, headers = {}) =>
      request(api).post(path).set({ ...signedHeaders(key.privateKey, body, { path, timestampMs: clock.now, ...sign }), ...headers }).send(body)
        .then(remember).then(record('POST', path)),
    registerBill: (body) =>
      request(admin).put('/internal/v1/bills').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(JSON.stringify(body))
        .on('response', record('PUT', '/internal/v1/bills')),
    jobCount: async () => {
      const c = await svc.queue!.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    close: async () => {
      await svc.stop();
      const problems = seen.map(openApiProblems).filter((p): p is string => p !== undefined);
      if (opts.namespace === undefined) for (const pattern of [`{t${ns}}:*`, `{t${ns}}q:*`]) await deleteMatching(redis, pattern);
      await closeRedis(redis);
      if (problems.length > 0) throw new Error(`responses that break the OpenAPI document:\n${problems.join('\n')}`);
      const leaks = scanForSecrets(capture.lines, secrets);
      if (leaks.length > 0) throw new Error(`secrets in the log output:\n${leaks.join('\n')}`);
      const strays = strayRequestLineFields(capture.lines);
      if (strays.length > 0) throw new Error(`request-line fields not declared in src/logging/request-line.ts (each one costs the line its fast shape): ${strays.join(', ')}`);
    },
  };
}

export interface BillInput {
  customerNo: string;
  amount?: string;
  amountType?: 'closed' | 'open';
  expiredDate?: string;
  partnerServiceId?: string;
}

export function bill(b: BillInput): Record<string, unknown> {
  return {
    partnerServiceId: b.partnerServiceId ?? '  088899',
    customerNo: b.customerNo,
    virtualAccountName: 'Jokul Doe',
    virtualAccountEmail: 'jokul@email.com',
    virtualAccountPhone: '6281828384858',
    totalAmount: { value: b.amount ?? '150000.00', currency: 'IDR' },
    amountType: b.amountType ?? 'closed',
    ...(b.expiredDate === undefined ? {} : { expiredDate: b.expiredDate }),
    trxId: `INV-${b.customerNo}`,
    billDescription: 'Order',
  };
}

export function inquiryBody(customerNo: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    partnerServiceId: '  088899', customerNo, virtualAccountNo: `  088899${customerNo}`,
    inquiryRequestId: `inq-${customerNo}`, ...extra,
  });
}

export function paymentBody(customerNo: string, o: { prid?: string; amount?: string; extra?: Record<string, unknown> } = {}): string {
  return JSON.stringify({
    partnerServiceId: '  088899', customerNo, virtualAccountNo: `  088899${customerNo}`,
    paymentRequestId: o.prid ?? `pay-${customerNo}`,
    paidAmount: { value: o.amount ?? '150000.00', currency: 'IDR' },
    trxDateTime: '2026-11-22T10:00:00+07:00', referenceNo: `REF${customerNo}`, ...o.extra,
  });
}
