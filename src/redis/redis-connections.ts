import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { FailoverSafeSentinelConnector } from './failover-safe-sentinel-connector';
import type { RedisTarget } from './redis-target';

/** What every adapter talks to: one server, a Sentinel-managed primary, or a Cluster. */
export type RedisClient = Redis | Cluster;

function connect(target: RedisTarget, options: RedisOptions, clusterOptions: ClusterOptions = {}): RedisClient {
  const auth = { ...(target.auth.username === undefined ? {} : { username: target.auth.username }), ...(target.auth.password === undefined ? {} : { password: target.auth.password }) };
  const common: RedisOptions = { connectionName: 'snap-receiver', ...options, ...auth };
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
        name: target.name,
        ...(target.sentinelPassword === undefined ? {} : { sentinelPassword: target.sentinelPassword }),
        // after a failover the old primary answers READONLY until Sentinel reconfigures it:
        // reconnect (asking Sentinel again) without resending; the caller sees an error and retries
        failoverDetector: true,
        Connector: FailoverSafeSentinelConnector,
        reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      });
    case 'cluster':
      return new Cluster(target.nodes.map((n) => ({ host: n.host, port: n.port })), {
        // writes go to primaries only: a replica may lag behind the ledger it is asked about
        scaleReads: 'master',
        slotsRefreshTimeout: 2_000,
        ...clusterOptions,
        redisOptions: { ...common, ...(target.tls ? { tls: {} } : {}) },
      });
  }
}

/**
 * The request path's connection fails fast: a request must answer 5xx (and be retried by
 * Faspay) rather than hang in an offline queue while Redis is away.
 *
 * No autopipelining: a request makes one script call, and ioredis keeps one autopipeline in flight
 * per node, so each call waited for the previous batch's round trip; requests lived longer, their
 * objects survived young-generation GCs into the old space, and every batch built a Pipeline.
 * Without it, payments cost 8–22 % less CPU on Node 20 and about the same on Node 24 at higher
 * throughput (test/bench/HISTORY.md, 2026-12-07).
 */
export function createRequestRedis(target: RedisTarget): RedisClient {
  const retry = (times: number): number => Math.min(times * 100, 2_000);
  return connect(
    target,
    { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000, retryStrategy: retry },
    { enableOfflineQueue: false, clusterRetryStrategy: retry, maxRedirections: 4 },
  );
}

/** BullMQ requires `maxRetriesPerRequest: null` on its connections. */
export function createQueueRedis(target: RedisTarget): RedisClient {
  return connect(target, { maxRetriesPerRequest: null });
}

/** The primaries that hold data: every node of a cluster, or the one server. */
export function primaries(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** Resolves when the client is ready, rejects after `timeoutMs`. */
export async function waitReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/**
 * QUIT, then drop whatever is left: with Sentinel's failover detector ioredis keeps a
 * subscriber socket to the sentinel open after QUIT, which would hold the process alive.
 */
export async function closeRedis(redis: RedisClient): Promise<void> {
  await redis.quit().catch(() => undefined);
  redis.disconnect();
}
