import { parseCidr, type Cidr } from '../access/cidr';
import type { RateLimit } from '../partners/partner';
import type { HostPort, RedisTarget } from '../redis/redis-target';

export type Role = 'api' | 'worker' | 'all';

export interface Config {
  readonly production: boolean;
  readonly role: Role;
  readonly host: string;
  readonly port: number;
  readonly adminHost: string;
  readonly adminPort: number;
  readonly basePath: string;
  /** Peers whose X-Forwarded-For is believed (env-only mode; a partners file has its own). */
  readonly trustedProxies: readonly Cidr[];
  readonly bodyLimitBytes: number;
  /** Public server: time to receive a request's headers, and the whole request. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly partnersFile?: string | undefined;
  /** Per partner and client address, when the partner sets none; undefined: off. */
  readonly rateLimit: RateLimit | undefined;
  /** Settings that still work but should be changed, logged at boot. */
  readonly deprecations: readonly string[];
  /** The merchant's own calls to Faspay's SNAP API (status 26, create-va 27, delete-va 31) and the reconciliation sweeper. */
  readonly faspayApi: {
    readonly baseUrl: string;
    readonly merchantPrivateKeyFile?: string | undefined;
    /** X-PARTNER-ID of the merchant's calls: FASPAY_PARTNER_ID's first code. */
    readonly partnerId?: string | undefined;
    readonly channelId: string;
    /** additionalInfo.channelCode of status requests for bills that do not carry their own. */
    readonly vaChannelCode?: string | undefined;
    readonly timeoutMs: number;
  };
  readonly reconcile: {
    /** undefined: off. */
    readonly intervalMs: number | undefined;
    readonly afterMs: number;
    readonly maxAgeMs: number;
    readonly batch: number;
    readonly ratePerSecond: number;
  };
  /** Faspay's legacy credentials (card notifications, Update Card / Member); secrets may come from …_FILE. */
  readonly faspay: {
    readonly userId?: string | undefined;
    readonly password?: string | undefined;
    readonly passwordFile?: string | undefined;
    readonly merchantId?: string | undefined;
    readonly ccMerchantId?: string | undefined;
    readonly ccTxnPassword?: string | undefined;
    readonly ccTxnPasswordFile?: string | undefined;
    readonly recurringUrl: string;
    readonly recurringTimeoutMs: number;
    /** Env partner: Faspay's source addresses (an IP allow list for all its calls). */
    readonly notifyIps: readonly Cidr[];
    readonly routes: { readonly recurringPayment: string; readonly ccExpired: string; readonly ccNotification: string; readonly debitNotification: string };
    /** Whether the legacy Debit notification's totals are whole rupiah (spec §6.1 "integers") or sen. */
    readonly legacyAmountUnit: 'rupiah' | 'sen';
  };
  readonly redis: RedisTarget;
  /** True when no Redis was configured at all: the dev boot may then start a private Redis. */
  readonly redisDefaulted: boolean;
  readonly keyPrefix: string;
  /** What to do when Redis may evict keys: refuse to start (production default) or warn. */
  readonly evictionCheck: 'refuse' | 'warn' | 'off';
  /** Replicas that must confirm a payment before it is answered as paid (0: do not wait). */
  readonly waitReplicas: number;
  readonly waitTimeoutMs: number;
  readonly queuePrefix: string;
  /**
   * ENQUEUE_IN_SCRIPT: `auto` queues an event inside the ledger script that records it (one atomic
   * step) wherever the queue's keys share the ledger's hash slot; `off` always adds it with Queue.add.
   */
  readonly enqueueInScript: 'auto' | 'off';
  readonly faspayPublicKey?: string | undefined;
  readonly faspayPublicKeyFile?: string | undefined;
  readonly faspayPartnerIds: readonly string[];
  readonly maxClockSkewSeconds: number | 'off';
  readonly repadCandidate: boolean;
  readonly dedupTtlSeconds: number;
  readonly inflightLeaseMs: number;
  readonly inflightWaitMs: number;
  readonly paymentRecordTtlDays: number;
  readonly completedJobRetentionDays: number;
  readonly outboxRelayIntervalMs: number;
  readonly internalApiToken?: string | undefined;
  readonly workerConcurrency: number;
  readonly orderWebhookUrl?: string | undefined;
  readonly orderWebhookSecret?: string | undefined;
  readonly subscribersFile?: string | undefined;
  readonly deliveryTimeoutMs: number;
  readonly deliveryMaxAttempts: number;
  readonly deliveryBackoffBaseMs: number;
  readonly deliveryBackoffCapMs: number;
  readonly orderingRetryDelayMs: number;
  readonly workerStalledIntervalMs: number;
  readonly billSource: 'registry' | 'http';
  readonly orderServiceUrl?: string | undefined;
  readonly orderServiceTimeoutMs: number;
  readonly orderServiceBreakerFailures: number;
  readonly orderServiceBreakerCooldownMs: number;
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
  readonly varDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_DEDUP_TTL = 48 * 3600; // spec §2.3: keep X-EXTERNAL-ID records at least 48 h

/**
 * Reads every setting from `env` once, collects all problems, and returns a frozen object.
 * Nothing else in the service reads process.env.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const str = (name: string, fallback: string): string => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  const opt = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = opt(name);
    if (raw === undefined) return fallback;
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${raw} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = opt(name)?.trim().toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}=${raw} must be true or false`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = str(name, fallback);
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${raw} must be one of: ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const nodeEnv = str('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const role = oneOf<Role>('ROLE', 'all', ['api', 'worker', 'all']);

  let basePath = str('BASE_PATH', '');
  if (basePath !== '') {
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(basePath)) problems.push(`BASE_PATH=${basePath} must start with / and hold only path characters`);
    basePath = basePath.replace(/\/+$/, '');
  }

  const redis = readRedisTarget(opt, bool, problems);
  const keyPrefix = str('REDIS_KEY_PREFIX', '{snap}:');
  const queuePrefix = str('QUEUE_PREFIX', '{snap}');
  if (queuePrefix.includes(':')) problems.push(`QUEUE_PREFIX=${queuePrefix} must not contain ':' (BullMQ adds its own separators)`);
  if (redis.kind === 'cluster') {
    // multi-key scripts and BullMQ's own scripts must find all their keys in one hash slot
    for (const [name, value] of [['REDIS_KEY_PREFIX', keyPrefix], ['QUEUE_PREFIX', queuePrefix]] as const) {
      if (!/^[^{]*\{[^}]+\}/.test(value)) problems.push(`${name}=${value} needs a hash tag such as {snap} on a Redis Cluster (keys must share one slot)`);
    }
  }

  const skewRaw = str('SNAP_MAX_CLOCK_SKEW_SECONDS', '300');
  let maxClockSkewSeconds: number | 'off' = 300;
  if (skewRaw.toLowerCase() === 'off') maxClockSkewSeconds = 'off';
  else maxClockSkewSeconds = int('SNAP_MAX_CLOCK_SKEW_SECONDS', 300, 1, 86_400);

  const faspayPublicKey = opt('FASPAY_PUBLIC_KEY');
  const faspayPublicKeyFile = opt('FASPAY_PUBLIC_KEY_FILE');
  const partnersFile = opt('PARTNERS_FILE')?.trim();
  if (faspayPublicKey !== undefined && faspayPublicKeyFile !== undefined) {
    problems.push('set FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE, not both');
  }
  if (partnersFile !== undefined) {
    // FASPAY_PUBLIC_KEY may stay: the file can name it ({ env: FASPAY_PUBLIC_KEY })
    const envPartner = ['FASPAY_PUBLIC_KEY_FILE', 'FASPAY_PARTNER_ID', 'TRUSTED_PROXIES'].filter((n) => opt(n) !== undefined);
    if (envPartner.length > 0) problems.push(`PARTNERS_FILE replaces ${envPartner.join(', ')}: put the partner's keys and ids in the file instead`);
  } else if (production && faspayPublicKey === undefined && faspayPublicKeyFile === undefined && role !== 'worker') {
    problems.push('FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE is required in production (the RSA public key Faspay gave you; or list partners in PARTNERS_FILE)');
  }
  const trustedProxies: Cidr[] = [];
  for (const item of (opt('TRUSTED_PROXIES') ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const c = parseCidr(item);
    if (c === undefined) problems.push(`TRUSTED_PROXIES: "${item}" is not a CIDR (e.g. 10.0.0.0/8)`);
    else trustedProxies.push(c);
  }
  const rateLimitRaw = str('SNAP_RATE_LIMIT', '1000/2000');
  let rateLimit: RateLimit | undefined = { requestsPerSecond: 1000, burst: 2000 };
  if (rateLimitRaw.toLowerCase() === 'off') rateLimit = undefined;
  else {
    const m = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(rateLimitRaw);
    if (m === null || Number(m[1]) <= 0 || Number(m[2]) < 1) problems.push(`SNAP_RATE_LIMIT=${rateLimitRaw} must be requestsPerSecond/burst (e.g. 1000/2000) or off`);
    else rateLimit = { requestsPerSecond: Number(m[1]), burst: Number(m[2]) };
  }
  const deprecations: string[] = [];
  if (opt('TRUST_PROXY') !== undefined) {
    deprecations.push('TRUST_PROXY is ignored: list your ingress or load balancer in TRUSTED_PROXIES (CIDRs), or trustedProxies in PARTNERS_FILE; believing X-Forwarded-For from any peer would let anyone spoof their address');
  }
  const faspay = readFaspaySettings(opt, int, problems, production, deprecations);
  if (partnersFile !== undefined && faspay.notifyIps.length > 0) problems.push('PARTNERS_FILE replaces FASPAY_NOTIFY_IPS: give the Faspay partner an ipList instead');
  const duration = (name: string, fallback: string, min: number, max: number, allowOff = false): number | undefined => {
    const raw = str(name, fallback);
    if (allowOff && raw.toLowerCase() === 'off') return undefined;
    const m = /^(\d+)(ms|s|m|h)?$/.exec(raw);
    const ms = m === null ? NaN : Number(m[1]) * ({ ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] ?? 1);
    if (!(ms >= min && ms <= max)) {
      problems.push(`${name}=${raw} must be a duration such as 30s, 10m or 2h (from ${min} ms to ${max / 3_600_000} h)${allowOff ? ', or off' : ''}`);
      return undefined;
    }
    return ms;
  };
  const apiBase = (opt('FASPAY_API_BASE_URL')?.trim() ?? (production ? '' : 'https://debit-sandbox.faspay.co.id')).replace(/\/+$/, '');
  if (apiBase !== '' && !/^https?:\/\/[^\s]+$/.test(apiBase)) problems.push(`FASPAY_API_BASE_URL=${apiBase} must be an http:// or https:// URL`);
  const faspayApi = Object.freeze({
    baseUrl: apiBase,
    merchantPrivateKeyFile: opt('MERCHANT_PRIVATE_KEY_FILE')?.trim(),
    partnerId: opt('FASPAY_PARTNER_ID')?.split(',')[0]?.trim() || opt('FASPAY_MERCHANT_ID')?.trim(),
    channelId: str('FASPAY_CHANNEL_ID', '77001'),
    vaChannelCode: opt('FASPAY_VA_CHANNEL_CODE')?.trim(),
    timeoutMs: int('FASPAY_API_TIMEOUT_MS', 5_000, 100, 60_000),
  });
  const reconcile = Object.freeze({
    intervalMs: duration('RECONCILE_INTERVAL', '10m', 1_000, 24 * 3_600_000, true),
    afterMs: duration('RECONCILE_AFTER', '15m', 0, 30 * 24 * 3_600_000) ?? 900_000,
    maxAgeMs: duration('RECONCILE_MAX_AGE', '72h', 60_000, 90 * 24 * 3_600_000) ?? 72 * 3_600_000,
    batch: int('RECONCILE_BATCH', 200, 1, 10_000),
    ratePerSecond: int('RECONCILE_RATE', 5, 1, 1_000),
  });
  const headersTimeoutMs = int('REQUEST_HEADERS_TIMEOUT_MS', 10_000, 1_000, 120_000);
  const requestTimeoutMs = int('REQUEST_TIMEOUT_MS', 30_000, 1_000, 300_000);
  if (requestTimeoutMs < headersTimeoutMs) problems.push(`REQUEST_TIMEOUT_MS=${requestTimeoutMs} must not be shorter than REQUEST_HEADERS_TIMEOUT_MS=${headersTimeoutMs}`);

  const internalApiToken = opt('INTERNAL_API_TOKEN');
  if (internalApiToken !== undefined && internalApiToken.length < 32) {
    problems.push('INTERNAL_API_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  }
  if (production && internalApiToken === undefined && role !== 'worker') {
    problems.push('INTERNAL_API_TOKEN is required in production (it guards the bill API on ADMIN_PORT)');
  }

  const orderWebhookUrl = opt('ORDER_WEBHOOK_URL');
  const orderWebhookSecret = opt('ORDER_WEBHOOK_SECRET');
  if ((orderWebhookUrl === undefined) !== (orderWebhookSecret === undefined)) {
    problems.push('set ORDER_WEBHOOK_URL and ORDER_WEBHOOK_SECRET together (the secret signs every delivery)');
  }
  for (const [name, url] of [['ORDER_WEBHOOK_URL', orderWebhookUrl], ['ORDER_SERVICE_URL', opt('ORDER_SERVICE_URL')]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) problems.push(`${name}=${url} must be an http:// or https:// URL`);
  }
  const billSource = oneOf<'registry' | 'http'>('BILL_SOURCE', 'registry', ['registry', 'http']);
  if (billSource === 'http' && opt('ORDER_SERVICE_URL') === undefined) problems.push('BILL_SOURCE=http needs ORDER_SERVICE_URL (the order service that answers GET /bills/{va})');

  const config: Config = {
    production,
    role,
    host: str('HOST', '0.0.0.0'),
    port: int('PORT', 8080, 0, 65_535),
    adminHost: str('ADMIN_HOST', '127.0.0.1'),
    adminPort: int('ADMIN_PORT', 9090, 0, 65_535),
    basePath,
    trustedProxies: Object.freeze(trustedProxies),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 65_536, 1_024, 10_485_760),
    headersTimeoutMs,
    requestTimeoutMs,
    partnersFile,
    rateLimit,
    deprecations: Object.freeze(deprecations),
    faspay,
    faspayApi,
    reconcile,
    redis,
    redisDefaulted: ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'].every((n) => opt(n) === undefined),
    keyPrefix,
    // Sentinel means a replica to fail over to, and a failover can drop acknowledged payments: one
    // written to the deposed primary before clients learn of the switch, or one a replica had not yet
    // received (README "Redis in production"). So Sentinel waits for one replica unless told not to.
    waitReplicas: int('REDIS_WAIT_REPLICAS', redis.kind === 'sentinel' ? 1 : 0, 0, 10),
    waitTimeoutMs: int('REDIS_WAIT_TIMEOUT_MS', 500, 10, 1_500), // below the request connection's 2 s command timeout
    evictionCheck: oneOf<'refuse' | 'warn' | 'off'>('REDIS_EVICTION_CHECK', production ? 'refuse' : 'warn', ['refuse', 'warn', 'off']),
    queuePrefix,
    enqueueInScript: oneOf<'auto' | 'off'>('ENQUEUE_IN_SCRIPT', 'auto', ['auto', 'off']),
    faspayPublicKey,
    faspayPublicKeyFile,
    faspayPartnerIds: Object.freeze(
      (opt('FASPAY_PARTNER_ID') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    ),
    maxClockSkewSeconds,
    repadCandidate: bool('SNAP_REPAD_CANDIDATE', true),
    dedupTtlSeconds: int('SNAP_DEDUP_TTL_SECONDS', MIN_DEDUP_TTL, MIN_DEDUP_TTL, 30 * 86_400),
    inflightLeaseMs: int('SNAP_INFLIGHT_LEASE_MS', 30_000, 1_000, 600_000),
    inflightWaitMs: int('SNAP_INFLIGHT_WAIT_MS', 3_000, 0, 60_000),
    paymentRecordTtlDays: int('PAYMENT_RECORD_TTL_DAYS', 400, 31, 3_650),
    completedJobRetentionDays: int('COMPLETED_JOB_RETENTION_DAYS', 14, 1, 365),
    outboxRelayIntervalMs: int('OUTBOX_RELAY_INTERVAL_MS', 5_000, 100, 600_000),
    internalApiToken,
    workerConcurrency: int('WORKER_CONCURRENCY', 10, 1, 1_000),
    orderWebhookUrl,
    orderWebhookSecret,
    subscribersFile: opt('SUBSCRIBERS_FILE'),
    deliveryTimeoutMs: int('DELIVERY_TIMEOUT_MS', 10_000, 100, 120_000),
    deliveryMaxAttempts: int('DELIVERY_MAX_ATTEMPTS', 40, 1, 1_000),
    deliveryBackoffBaseMs: int('DELIVERY_BACKOFF_BASE_MS', 10_000, 1, 3_600_000),
    deliveryBackoffCapMs: int('DELIVERY_BACKOFF_CAP_MS', 3_600_000, 1, 86_400_000),
    orderingRetryDelayMs: int('ORDERING_RETRY_DELAY_MS', 250, 10, 60_000),
    workerStalledIntervalMs: int('WORKER_STALLED_INTERVAL_MS', 30_000, 500, 600_000),
    billSource,
    orderServiceUrl: opt('ORDER_SERVICE_URL')?.replace(/\/+$/, ''),
    orderServiceTimeoutMs: int('ORDER_SERVICE_TIMEOUT_MS', 2_000, 50, 30_000),
    orderServiceBreakerFailures: int('ORDER_SERVICE_BREAKER_FAILURES', 5, 1, 1_000),
    orderServiceBreakerCooldownMs: int('ORDER_SERVICE_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    logLevel: oneOf('LOG_LEVEL', 'info', ['error', 'warn', 'info', 'debug']),
    varDir: str('VAR_DIR', './var'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function hostPorts(name: string, raw: string, problems: string[]): HostPort[] {
  const out: HostPort[] = [];
  for (const item of raw.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
    const port = m === null ? NaN : Number(m[2]);
    if (m === null || port < 1 || port > 65_535) problems.push(`${name}: ${item} must be host:port`);
    else out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
  }
  if (out.length === 0 && !problems.some((p) => p.startsWith(name))) problems.push(`${name} must list at least one host:port`);
  return out;
}

/** REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS (+ REDIS_SENTINEL_NAME): exactly one way to Redis. */
function readRedisTarget(
  opt: (name: string) => string | undefined,
  bool: (name: string, fallback: boolean) => boolean,
  problems: string[],
): RedisTarget {
  const url = opt('REDIS_URL')?.trim();
  const clusterNodes = opt('REDIS_CLUSTER_NODES');
  const sentinels = opt('REDIS_SENTINELS');
  const chosen = [['REDIS_URL', url], ['REDIS_CLUSTER_NODES', clusterNodes], ['REDIS_SENTINELS', sentinels]].filter(([, v]) => v !== undefined).map(([n]) => n);
  if (chosen.length > 1) problems.push(`set only one of ${chosen.join(', ')} (one way to reach Redis)`);
  const auth = { username: opt('REDIS_USERNAME')?.trim(), password: opt('REDIS_PASSWORD') };
  const tls = bool('REDIS_TLS', false);
  if (clusterNodes !== undefined) return { kind: 'cluster', nodes: hostPorts('REDIS_CLUSTER_NODES', clusterNodes, problems), auth, tls };
  if (sentinels !== undefined) {
    const name = opt('REDIS_SENTINEL_NAME')?.trim();
    if (name === undefined) problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the monitored primary\'s name, e.g. mymaster)');
    return { kind: 'sentinel', sentinels: hostPorts('REDIS_SENTINELS', sentinels, problems), name: name ?? '', sentinelPassword: opt('REDIS_SENTINEL_PASSWORD'), auth, tls };
  }
  const standalone = url ?? 'redis://127.0.0.1:6379';
  if (!/^(rediss?|unix):\/\//.test(standalone)) problems.push('REDIS_URL must start with redis://, rediss:// or unix://');
  if (tls && !standalone.startsWith('rediss://')) problems.push('REDIS_TLS=true with REDIS_URL: use a rediss:// URL instead');
  return { kind: 'standalone', url: standalone, auth };
}

const ROUTE = /^\/[A-Za-z0-9._~\-/]*$/;

/** FASPAY_* settings of the legacy card family (spec §6); a secret and its …_FILE are exclusive. */
function readFaspaySettings(
  opt: (name: string) => string | undefined,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  production: boolean,
  warnings: string[],
): Config['faspay'] {
  for (const name of ['FASPAY_PASSWORD', 'FASPAY_CC_TXN_PASSWORD']) {
    if (opt(name) !== undefined && opt(`${name}_FILE`) !== undefined) problems.push(`set ${name} or ${name}_FILE, not both`);
  }
  const merchantId = opt('FASPAY_MERCHANT_ID')?.trim();
  if (merchantId !== undefined && !/^\d{1,10}$/.test(merchantId)) problems.push(`FASPAY_MERCHANT_ID=${merchantId} must be Faspay's numeric merchant id (e.g. 98765)`);
  const recurringUrl = (opt('FASPAY_RECURRING_URL')?.trim() ?? 'https://fpg-sandbox.faspay.co.id/recurring').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(recurringUrl)) problems.push(`FASPAY_RECURRING_URL=${recurringUrl} must be an http:// or https:// URL`);
  if (production && opt('FASPAY_RECURRING_URL') === undefined && opt('FASPAY_USER_ID') !== undefined) {
    warnings.push('FASPAY_RECURRING_URL is not set: Update Card / Update Member go to Faspay\'s SANDBOX (https://fpg-sandbox.faspay.co.id/recurring)');
  }
  const unitRaw = opt('FASPAY_LEGACY_AMOUNT_UNIT')?.trim() ?? 'rupiah';
  if (unitRaw !== 'rupiah' && unitRaw !== 'sen') problems.push(`FASPAY_LEGACY_AMOUNT_UNIT=${unitRaw} must be rupiah or sen`);
  const unit: 'rupiah' | 'sen' = unitRaw === 'sen' ? 'sen' : 'rupiah';
  const notifyIps: Cidr[] = [];
  for (const item of (opt('FASPAY_NOTIFY_IPS') ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const c = parseCidr(item);
    if (c === undefined) problems.push(`FASPAY_NOTIFY_IPS: "${item}" is not a CIDR (Faspay sandbox: 149.129.213.81/32)`);
    else notifyIps.push(c);
  }
  const route = (name: string, fallback: string): string => {
    const v = opt(name)?.trim() ?? fallback;
    if (!ROUTE.test(v)) problems.push(`${name}=${v} must be a path starting with /`);
    return v;
  };
  return Object.freeze({
    userId: opt('FASPAY_USER_ID')?.trim(),
    password: opt('FASPAY_PASSWORD'),
    passwordFile: opt('FASPAY_PASSWORD_FILE')?.trim(),
    merchantId,
    ccMerchantId: opt('FASPAY_CC_MERCHANT_ID')?.trim(),
    ccTxnPassword: opt('FASPAY_CC_TXN_PASSWORD'),
    ccTxnPasswordFile: opt('FASPAY_CC_TXN_PASSWORD_FILE')?.trim(),
    recurringUrl,
    recurringTimeoutMs: int('FASPAY_RECURRING_TIMEOUT_MS', 10_000, 100, 120_000),
    notifyIps: Object.freeze(notifyIps),
    routes: Object.freeze({
      recurringPayment: route('FASPAY_RECURRING_NOTIFY_PATH', '/faspay/recurring/payment-notification'),
      ccExpired: route('FASPAY_CC_EXPIRED_PATH', '/faspay/recurring/cc-expired'),
      ccNotification: route('FASPAY_CC_NOTIFY_PATH', '/faspay/credit-card/notification'),
      debitNotification: route('FASPAY_DEBIT_NOTIFY_PATH', '/faspay/debit/notification'),
    }),
    legacyAmountUnit: unit,
  });
}
