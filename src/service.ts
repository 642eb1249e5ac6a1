import { createServer, type RequestListener, type Server } from 'node:http';
import { Queue } from 'bullmq';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import type { Config } from './config/load-config';
import { CircuitBreaker, OrderServiceBills } from './bills/order-service-bills';
import { createAdminApp } from './http/admin-app';
import { createPublicApp } from './http/public-app';
import { OutboxRelay } from './queue/outbox-relay';
import { PAYMENT_QUEUE_NAME, PaymentQueue } from './queue/payment-queue';
import { scriptEnqueueFor } from './queue/script-enqueue-for';
import { Authenticator } from './auth/authenticator';
import { publicKinds } from './kinds/snap-kinds';
import type { LoadedFaspayCredentials } from './config/load-faspay-credentials';
import { MemberStore } from './redis/member-store';
import { RecurringService } from './recurring/recurring-service';
import type { KeyObject } from 'node:crypto';
import { faspaySnapClient, sweepDeps } from './reconcile/reconcile-deps';
import { startReconcileWorker } from './reconcile/reconcile-worker';
import { sweep, type SweepDeps, type SweepOptions, type SweepResult } from './reconcile/sweeper';
import { VaService } from './virtual-accounts/va-service';
import { FaspayRecurringClient } from './outbound/faspay-recurring-client';
import type { FaultHooks } from './kinds/virtual-account/va-deps';
import type { Partner, PartnerRegistry } from './partners/partner';
import { envPartnerSource, type PartnerSource } from './partners/partner-source';
import type { PublicKeyEntry } from './snap/public-keys';
import { PartnerRegistryHolder, type ReloadResult, type ReloadTrigger } from './partners/partner-registry-holder';
import { Pipeline } from './pipeline/pipeline';
import { RateLimiter } from './redis/rate-limiter';
import { BillStore } from './redis/bill-store';
import { checkEvictionPolicy } from './redis/eviction-policy';
import { checkReplicas } from './redis/replica-check';
import { closeRedis, createQueueRedis, createRequestRedis, waitReady, type RedisClient } from './redis/redis-connections';
import type { RedisTarget } from './redis/redis-target';
import { RedisKeys } from './redis/redis-keys';
import { ReplicationGuard } from './redis/replication-guard';
import { writeProbe } from './redis/write-probe';
import { RequestLedger } from './redis/request-ledger';
import type { Subscriber, WebhookSubscriber } from './config/load-subscribers';
import { createDeliveryQueue, DELIVERY_QUEUE_NAME, type DeliveryPolicy } from './delivery/delivery-queue';
import { startDeliveryWorker } from './delivery/delivery-worker';
import { startFanOutWorker } from './delivery/fan-out-worker';
import { OrderingGate } from './delivery/ordering-gate';
import { ServiceMetrics } from './metrics/service-metrics';
import { answerClientErrors } from './http/client-errors';

/** A request waits this long for BullMQ's add (the request connection's own budget is 2 s). */
const ENQUEUE_BUDGET_MS = 3_000;

export interface ServiceOptions {
  readonly config: Config;
  /** Redis to use instead of config.redis: the dev boot's private one. */
  readonly redis?: RedisTarget;
  /** The partner registry at boot, and how to read it again on SIGHUP or a change of the file. */
  readonly partners?: PartnerSource;
  /** Shorthand for the implicit env partner with these keys (no PARTNERS_FILE). */
  readonly publicKeys?: readonly PublicKeyEntry[];
  readonly internalApiToken: string;
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly faults?: FaultHooks;
  /** Faspay's legacy credentials (card notifications, Update Card / Member); none: those routes answer "not configured". */
  readonly faspay?: LoadedFaspayCredentials;
  /** The merchant's private key for its own calls to Faspay (MERCHANT_PRIVATE_KEY_FILE or the development pair). */
  readonly merchantKey?: KeyObject | undefined;
  /** Where payment events are delivered (ROLE worker/all); none: events are only fanned out and logged. */
  readonly subscribers?: readonly Subscriber[];
}

export interface RunningService {
  readonly publicPort: number | undefined;
  readonly adminPort: number;
  readonly queue: PaymentQueue | undefined;
  readonly relay: OutboxRelay | undefined;
  /** The X-EXTERNAL-ID ledger of the public port (ROLE api or all). */
  readonly ledger: RequestLedger | undefined;
  readonly redis: RedisClient;
  /** Reads PARTNERS_FILE again; a broken file keeps the registry in force. */
  reloadPartners(trigger: ReloadTrigger): ReloadResult;
  /** A reconciliation sweep now (ROLE api or all, with Faspay's API configured); undefined otherwise. */
  readonly reconcile?: ((o?: SweepOptions) => Promise<SweepResult>) | undefined;
  stop(): Promise<void>;
}

function listen(app: RequestListener, port: number, host: string, timeouts?: { headersTimeoutMs: number; requestTimeoutMs: number }): Promise<Server> {
  return new Promise((resolve, reject) => {
    // slow clients (a body trickled byte by byte, headers never finished) are cut off, not waited for
    const server = timeouts === undefined
      ? createServer(app)
      : createServer({ headersTimeout: timeouts.headersTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, connectionsCheckingInterval: 500 }, app);
    answerClientErrors(server);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Wires config, Redis, BullMQ and the two HTTP apps for the configured ROLE. */
export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const { config, logger } = opts;
  const clock = opts.clock ?? Date.now;
  const serveApi = config.role !== 'worker';
  let boardQueues: Queue[] = [];
  const metrics = new ServiceMetrics(async () => {
    const out: Record<string, Record<string, number>> = {};
    for (const q of boardQueues) out[q.name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    return out;
  });
  const redisError = (connection: string) => (err: Error): void => {
    metrics.redisErrors.inc({ connection });
    logger.warn('redis connection error', { connection, error: err.message });
  };
  const target = opts.redis ?? config.redis;
  const redis = createRequestRedis(target);
  redis.on('error', redisError('request'));
  await waitReady(redis, 10_000);
  try {
    await checkEvictionPolicy(redis, config.evictionCheck, (msg, meta) => logger.warn(msg, meta));
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  const keys = new RedisKeys(config.keyPrefix);
  const source = opts.partners ?? envPartnerSource(config, opts.publicKeys ?? []);
  metrics.watchPartners(() => partners.get(), (p) => validKeys(p, clock()));
  const partners = new PartnerRegistryHolder(source.initial, source.load, logger, (outcome) => metrics.partnerReloads.inc({ outcome }));
  if (source.watchFile !== undefined) partners.watch(source.watchFile);
  const recordTtlSeconds = config.paymentRecordTtlDays * 86_400;
  const bills = new BillStore(redis, keys, recordTtlSeconds);
  const members = new MemberStore(redis, keys);
  let draining = false;

  let queueRedis: RedisClient | undefined;
  let waitRedis: RedisClient | undefined;
  let queue: PaymentQueue | undefined;
  let relay: OutboxRelay | undefined;
  let ledger: RequestLedger | undefined;
  let publicServer: Server | undefined;
  if (serveApi) {
    queueRedis = createRequestRedis(target);
    queueRedis.on('error', redisError('queue'));
    await waitReady(queueRedis, 10_000);
    queue = new PaymentQueue(queueRedis, config.queuePrefix, config.completedJobRetentionDays, ENQUEUE_BUDGET_MS);
    await checkReplicas(redis, config.waitReplicas, (msg, meta) => logger.warn(msg, meta));
    if (config.waitReplicas > 0) {
      waitRedis = createRequestRedis(target); // WAIT blocks its connection: never the shared request one
      waitRedis.on('error', redisError('replication'));
      await waitReady(waitRedis, 10_000);
    }
    ledger = new RequestLedger(redis, keys, await scriptEnqueueFor(config, target, queue, (msg, meta) => logger.warn(msg, meta)));
    const kinds = publicKinds({
      va: {
        ledger,
        keys,
        queue,
        billSource: config.billSource === 'http'
          ? new OrderServiceBills(config.orderServiceUrl!, config.orderServiceTimeoutMs, bills, new CircuitBreaker(config.orderServiceBreakerFailures, config.orderServiceBreakerCooldownMs, clock))
          : undefined,
        faults: opts.faults,
        paymentRecordTtlSeconds: recordTtlSeconds,
      },
      card: {
        ledger, queue, faults: opts.faults, recordTtlSeconds, members,
        faspay: opts.faspay?.faspay, card: opts.faspay?.card, merchantId: config.faspay.merchantId, routes: config.faspay.routes,
      },
      debit: {
        ledger, queue, faults: opts.faults, recordTtlSeconds, faspay: opts.faspay?.faspay, merchantId: config.faspay.merchantId,
        path: config.faspay.routes.debitNotification, amountUnit: config.faspay.legacyAmountUnit,
      },
    });
    const pipeline = new Pipeline({
      registry: () => partners.get(),
      authenticator: new Authenticator({ repadCandidate: config.repadCandidate }),
      rateLimiter: new RateLimiter(redis, keys),
      ledger,
      keys,
      clock,
      replication: waitRedis === undefined
        ? undefined
        : new ReplicationGuard(waitRedis, [`${config.keyPrefix}replication-probe`, `${config.queuePrefix}:replication-probe`], config.waitReplicas, config.waitTimeoutMs),
      settings: {
        dedupTtlSeconds: config.dedupTtlSeconds,
        inflightLeaseMs: config.inflightLeaseMs,
        inflightWaitMs: config.inflightWaitMs,
      },
    });
    const publicApp = createPublicApp({ pipeline, kinds, basePath: config.basePath, bodyLimitBytes: config.bodyLimitBytes, logger, clock, metrics });
    publicServer = await listen(publicApp, config.port, config.host, config);
    relay = new OutboxRelay(redis, keys, queue, logger);
    relay.start(config.outboxRelayIntervalMs, clock);
  }

  const faspayApi = faspaySnapClient(config, opts.merchantKey, logger, clock, (service, code) => metrics.faspayApiCalls.inc({ service, response_code: code }));
  const sweepDepsFor = (q: PaymentQueue): SweepDeps => sweepDeps({
    config, redis, keys, client: faspayApi!, queue: q, registry: () => partners.get(), logger, clock, faults: opts.faults, onFound: () => metrics.reconciledPayments.inc(),
  });

  let closeWorkers: ((graceMs: number) => Promise<void>) | undefined;
  let workerRedis: RedisClient | undefined;
  if (config.role !== 'api') {
    workerRedis = createQueueRedis(target);
    workerRedis.on('error', redisError('worker'));
    const subscribers = opts.subscribers ?? [];
    const policy: DeliveryPolicy = {
      attempts: config.deliveryMaxAttempts,
      backoffBaseMs: config.deliveryBackoffBaseMs,
      backoffCapMs: config.deliveryBackoffCapMs,
      completedRetentionDays: config.completedJobRetentionDays,
    };
    const gate = new OrderingGate(redis, config.keyPrefix);
    const deliveries = createDeliveryQueue(workerRedis, config.queuePrefix);
    const common = { connection: workerRedis, prefix: config.queuePrefix, gate, policy, concurrency: config.workerConcurrency, stalledIntervalMs: config.workerStalledIntervalMs, logger };
    const fanOut = startFanOutWorker({ ...common, subscribers, deliveries });
    const delivery = startDeliveryWorker({
      ...common,
      subscribers: subscribers.filter((s): s is WebhookSubscriber => s.kind === 'webhook'),
      orderingRetryDelayMs: config.orderingRetryDelayMs,
      metrics,
    });
    let reconcile: { close(): Promise<void> } | undefined;
    let reconcileQueue: PaymentQueue | undefined;
    if (faspayApi !== undefined && config.reconcile.intervalMs !== undefined) {
      reconcileQueue = new PaymentQueue(workerRedis, config.queuePrefix, config.completedJobRetentionDays);
      reconcile = await startReconcileWorker({
        connection: workerRedis, prefix: config.queuePrefix, everyMs: config.reconcile.intervalMs, logger,
        onRun: (outcome) => metrics.reconcileRuns.inc({ outcome }),
        sweep: sweepDepsFor(reconcileQueue),
      });
    }
    closeWorkers = async (graceMs) => {
      await Promise.all([fanOut.close(), delivery.close(graceMs), reconcile?.close()]);
      await deliveries.close(); // after the fan-out worker, which adds to it
      await reconcileQueue?.close();
    };
  }

  boardQueues = [PAYMENT_QUEUE_NAME, DELIVERY_QUEUE_NAME].map((name) => new Queue(name, { connection: redis, prefix: config.queuePrefix }));
  const adminApp = createAdminApp({
    virtualAccounts: new VaService({ client: faspayApi, bills, redis, keys, logger, clock, defaultChannelCode: config.faspayApi.vaChannelCode }),
    recurring: new RecurringService({
      credentials: opts.faspay?.faspay,
      client: new FaspayRecurringClient(config.faspay.recurringUrl, config.faspay.recurringTimeoutMs),
      members, logger, clock, memberTtlSeconds: recordTtlSeconds,
    }),
    members,
    queues: boardQueues,
    metrics,
    bills,
    token: opts.internalApiToken,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    clock,
    ready: async () => {
      const probe = (client: RedisClient | undefined, key: string): Promise<string | undefined> =>
        client === undefined ? Promise.resolve(undefined) : writeProbe(client, key, clock());
      const [ledger, queueCheck, worker] = await Promise.all([
        probe(redis, `${config.keyPrefix}readyz`),
        probe(queueRedis, `${config.queuePrefix}:readyz`),
        probe(workerRedis, `${config.queuePrefix}:readyz`),
      ]);
      const checks: Record<string, string> = { draining: draining ? 'draining' : 'ok', ledger: ledger! };
      if (queueCheck !== undefined) checks.queue = queueCheck;
      if (worker !== undefined) checks.worker = worker;
      if (serveApi) checks.keys = keysCheck(partners.get(), clock());
      return checks;
    },
  });
  const adminServer = await listen(adminApp, config.adminPort, config.adminHost);
  const portOf = (s: Server): number => (s.address() as AddressInfo).port;
  logger.info('snap-receiver started', {
    role: config.role,
    publicPort: publicServer === undefined ? undefined : portOf(publicServer),
    adminPort: portOf(adminServer),
    partners: partners.get().partners.map((p) => ({ name: p.name, auth: p.auth, keys: p.publicKeys.map((k) => k.id) })),
    partnersSource: partners.get().source,
    // 'script': the ledger script queues each event (one round trip); 'add': Queue.add after it
    enqueue: ledger === undefined ? undefined : ledger.folded ? 'script' : 'add',
    waitReplicas: ledger === undefined ? undefined : config.waitReplicas,
  });
  for (const message of config.deprecations) logger.warn(message);
  for (const p of partners.get().partners) {
    if (validKeys(p, clock()) === 0) logger.warn('partner has no public key valid now: its calls are answered 5xx until a valid key is configured', { partner: p.name });
  }

  let stopping: Promise<void> | undefined;
  return {
    publicPort: publicServer === undefined ? undefined : portOf(publicServer),
    adminPort: portOf(adminServer),
    queue,
    relay,
    ledger,
    redis,
    reloadPartners: (trigger) => partners.reload(trigger),
    reconcile: faspayApi === undefined || queue === undefined ? undefined : (o?: SweepOptions) => sweep(sweepDepsFor(queue!), o),
    stop: () => (stopping ??= (async () => {
      draining = true;
      partners.stop();
      // the API drains its requests while the workers finish (or hand back) their jobs, both within the grace period
      await Promise.all([
        (async () => {
          if (publicServer !== undefined) await closeServer(publicServer, config.shutdownGraceMs);
          await relay?.stop();
        })(),
        closeWorkers?.(config.shutdownGraceMs),
      ]);
      await queue?.close();
      await closeServer(adminServer, 1_000);
      for (const q of boardQueues) await q.close();
      for (const r of [queueRedis, waitRedis, workerRedis, redis]) if (r !== undefined) await closeRedis(r);
      logger.info('snap-receiver stopped');
    })()),
  };
}

/**
 * /readyz: some partner can be served. One partner whose keys all lie outside their window is
 * that partner's outage, not the service's: it shows in snap_partner_valid_keys and the log.
 */
function keysCheck(registry: PartnerRegistry, nowMs: number): string {
  if (registry.partners.some((p) => validKeys(p, nowMs) > 0)) return 'ok';
  return registry.partners.every((p) => p.publicKeys.length === 0) ? 'no public key loaded' : 'no partner has a public key valid now (notBefore / notAfter)';
}

export function validKeys(p: Partner, nowMs: number): number {
  return p.publicKeys.filter((k) => (k.notBeforeMs === undefined || nowMs >= k.notBeforeMs) && (k.notAfterMs === undefined || nowMs <= k.notAfterMs)).length;
}

