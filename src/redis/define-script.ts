import type { RedisClient } from './redis-connections';

export type ScriptFn = (keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/** Registers a Lua script on the client (EVALSHA with automatic reload on NOSCRIPT). */
export function defineScript(redis: RedisClient, name: string, numberOfKeys: number, lua: string): ScriptFn {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  const fn = (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
  return (keys, args) => fn.call(redis, ...keys, ...args);
}
