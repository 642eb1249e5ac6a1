import { AccessDeniedError } from '../access/access-denied-error';
import type { Partner } from '../partners/partner';
import { defineScript, type ScriptFn } from './define-script';
import { GCRA_FUNCTION } from './lua-scripts';
import type { RedisClient } from './redis-connections';
import type { RedisKeys } from './redis-keys';

/**
 * KEYS: bucket. ARGV: now (ms), ms per request, burst. Returns {1} when allowed, {0, ms until
 * the next request would be} when not. Kinds with an X-EXTERNAL-ID ledger run the same GCRA
 * inside their claim script instead (no extra round trip); this one is for the others.
 */
export const RATE_LIMIT_LUA = `${GCRA_FUNCTION}
local wait = rateLimited(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if wait then return {0, wait} end
return {1}
`;

/** What the ledger scripts need to apply a partner's limit in their own round trip. */
export interface RateLimitCheck {
  readonly key: string;
  readonly intervalMs: number;
  readonly burst: number;
  readonly partner: Partner;
  readonly clientIp: string;
}

export function rateLimitedError(check: RateLimitCheck, waitMs: number): AccessDeniedError {
  const limit = check.partner.rateLimit!;
  const detail = `over ${limit.requestsPerSecond}/s (burst ${limit.burst}) from ${check.clientIp}`;
  return new AccessDeniedError('rate-limit', detail, Math.max(1, Math.ceil(waitMs / 1000)));
}

/** Per partner and client address, shared by every replica on the same Redis. */
export class RateLimiter {
  private readonly script: ScriptFn;

  constructor(redis: RedisClient, private readonly keys: RedisKeys) {
    this.script = defineScript(redis, 'snapRateLimit', 1, RATE_LIMIT_LUA);
  }

  /** The partner's limit at this address, for a ledger script to apply; undefined: not limited. */
  check(partner: Partner, clientIp: string): RateLimitCheck | undefined {
    const limit = partner.rateLimit;
    if (limit === undefined) return undefined;
    return { key: this.keys.rateLimit(partner.name, clientIp), intervalMs: 1000 / limit.requestsPerSecond, burst: limit.burst, partner, clientIp };
  }

  /** Takes one request from the budget in a round trip of its own, or throws the 429 error with Retry-After. */
  async take(check: RateLimitCheck | undefined, nowMs: number): Promise<void> {
    if (check === undefined) return;
    const r = (await this.script([check.key], [nowMs, check.intervalMs, check.burst])) as number[];
    if (r[0] !== 1) throw rateLimitedError(check, r[1]!);
  }
}
