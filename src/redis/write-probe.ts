import type { RedisClient } from './redis-connections';

/**
 * 'ok' when Redis takes a write on this connection within `timeoutMs`, else what went wrong.
 * A write, not a PING: a Redis out of memory (noeviction) or demoted to replica still answers PING.
 */
export async function writeProbe(client: RedisClient, key: string, nowMs: number, timeoutMs = 1_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.set(key, String(nowMs), 'PX', 10_000), timeout]);
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  } finally {
    clearTimeout(timer);
  }
}
