import { AccessDeniedError } from '../access/access-denied-error';
import type { Partner } from '../partners/partner';
import { defineScript, type ScriptFn } from './define-script';
import type { RedisClient } from './redis-connections';
import type { RedisKeys } from './redis-keys';

/**
 * GCRA (the token bucket as one timestamp): KEYS: bucket. ARGV: now (ms), ms per request,
 * burst. One key per (partner, client address), one round trip, atomic across replicas.
 * Returns {1} when allowed, {0, ms until the next request would be} when not.
 */
export const RATE_LIMIT_LUA = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = interval * tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local nextTat = tat + interval
if nextTat - now > tolerance then return {0, math.ceil(nextTat - now - tolerance)} end
redis.call('SET', KEYS[1], string.format('%.4f', nextTat), 'PX', math.max(1, math.ceil(nextTat - now)))
return {1}
`;

/** Per partner and client address, shared by every replica on the same Redis. */
export class RateLimiter {
  private readonly script: ScriptFn;

  constructor(redis: RedisClient, private readonly keys: RedisKeys) {
    this.script = defineScript(redis, 'snapRateLimit', 1, RATE_LIMIT_LUA);
  }

  /** Takes one request from the partner's budget at this address, or throws the 429 error with Retry-After. */
  async take(partner: Partner, clientIp: string, nowMs: number): Promise<void> {
    const limit = partner.rateLimit;
    if (limit === undefined) return;
    const r = (await this.script([this.keys.rateLimit(partner.name, clientIp)], [nowMs, 1000 / limit.requestsPerSecond, limit.burst])) as number[];
    if (r[0] === 1) return;
    throw new AccessDeniedError('rate-limit', `over ${limit.requestsPerSecond}/s (burst ${limit.burst}) from ${clientIp}`, Math.max(1, Math.ceil(r[1]! / 1000)));
  }
}
