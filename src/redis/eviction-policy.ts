import { primaries, type RedisClient } from './redis-connections';

export class EvictionPolicyError extends Error {
  constructor(policy: string) {
    super(`Redis maxmemory-policy is ${policy}: under memory pressure Redis may evict queued payment events, idempotency records and bills. ` +
      'Set maxmemory-policy noeviction (or REDIS_EVICTION_CHECK=warn to start anyway)');
    this.name = 'EvictionPolicyError';
  }
}

/**
 * A payment queue must never lose keys to eviction. Reads `maxmemory-policy` at boot:
 * anything but `noeviction` refuses the start (or only warns, by config). Managed Redis
 * services that hide CONFIG are given the benefit of the doubt, with a warning.
 */
export async function checkEvictionPolicy(redis: RedisClient, mode: 'refuse' | 'warn' | 'off', warn: (msg: string, meta?: object) => void): Promise<void> {
  if (mode === 'off') return;
  // on a cluster every primary holds part of the data, so every one must be checked
  for (const node of primaries(redis)) {
    let policy: string | undefined;
    try {
      const reply = (await node.config('GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
    } catch (e) {
      warn('cannot read Redis maxmemory-policy (CONFIG is disabled?); make sure it is noeviction', { error: (e as Error).message });
      continue;
    }
    if (policy === undefined || policy === 'noeviction') continue;
    if (mode === 'refuse') throw new EvictionPolicyError(policy);
    warn(new EvictionPolicyError(policy).message, { maxmemoryPolicy: policy });
  }
}
