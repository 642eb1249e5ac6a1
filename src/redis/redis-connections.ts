import Redis, { type RedisOptions } from 'ioredis';

function baseOptions(url: string): { url: string; options: RedisOptions } {
  return { url, options: { lazyConnect: false, connectionName: 'snap-receiver' } };
}

/**
 * The request path's connection fails fast: a request must answer 5xx (and be retried by
 * Faspay) rather than hang in an offline queue while Redis is away.
 */
export function createRequestRedis(url: string): Redis {
  const { options } = baseOptions(url);
  return new Redis(url, {
    ...options,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
}

/** BullMQ requires `maxRetriesPerRequest: null` on its connections. */
export function createQueueRedis(url: string): Redis {
  const { options } = baseOptions(url);
  return new Redis(url, { ...options, maxRetriesPerRequest: null });
}

/** Resolves when the client is ready, rejects after `timeoutMs`. */
export async function waitReady(redis: Redis, timeoutMs: number): Promise<void> {
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
