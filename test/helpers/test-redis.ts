import Redis, { Cluster } from 'ioredis';
import { primaries, type RedisClient } from '../../src/redis/redis-connections';
import type { RedisTarget } from '../../src/redis/redis-target';

/**
 * The Redis the suite runs against: the standalone one at REDIS_URL, or, when
 * REDIS_CLUSTER_NODES is set (test/cluster/run-on-cluster.sh), a Redis Cluster.
 */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CLUSTER_NODES = process.env.REDIS_CLUSTER_NODES;
export const ON_CLUSTER = CLUSTER_NODES !== undefined && CLUSTER_NODES !== '';

/** The settings that point a service (in-process or spawned) at the test Redis. */
export const REDIS_ENV: Record<string, string> = ON_CLUSTER ? { REDIS_CLUSTER_NODES: CLUSTER_NODES! } : { REDIS_URL };

export const TEST_TARGET: RedisTarget = ON_CLUSTER
  ? { kind: 'cluster', nodes: CLUSTER_NODES!.split(',').map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), auth: {}, tls: false }
  : { kind: 'standalone', url: REDIS_URL, auth: {} };

/** A plain client for assertions; BullMQ-safe (`maxRetriesPerRequest: null`). */
export function connectTestRedis(): RedisClient {
  if (!ON_CLUSTER) return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const t = TEST_TARGET as Extract<RedisTarget, { kind: 'cluster' }>;
  return new Cluster(t.nodes.map((n) => ({ host: n.host, port: n.port })), { redisOptions: { maxRetriesPerRequest: null } });
}

/** KEYS on every primary: on a cluster one node holds only its own slots. */
export async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  const all = await Promise.all(primaries(redis).map((n) => n.keys(pattern)));
  return all.flat();
}

/** Deletes a test's namespace (one key at a time: keys may sit in different slots). */
export async function deleteMatching(redis: RedisClient, pattern: string): Promise<void> {
  for (const key of await keysMatching(redis, pattern)) await redis.del(key);
}
