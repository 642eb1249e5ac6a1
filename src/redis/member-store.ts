import type { RedisClient } from './redis-connections';
import type { RedisKeys } from './redis-keys';

/** A recurring member as this service last set it at Faspay (Update Card / Update Member). */
export interface MemberRecord {
  readonly memberId: string;
  readonly schedule: unknown;
  readonly lastOperation: 'update-card' | 'update-member';
  readonly faspay: unknown;
  readonly updatedAt: string;
}

/** Recurring members and the idempotency records of the calls that changed them. */
export class MemberStore {
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys) {}

  async save(record: MemberRecord, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.member(record.memberId), JSON.stringify(record), 'EX', ttlSeconds);
  }

  async get(memberId: string): Promise<MemberRecord | undefined> {
    const v = await this.redis.get(this.keys.member(memberId));
    return v === null ? undefined : (JSON.parse(v) as MemberRecord);
  }

  async exists(memberId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.member(memberId))) === 1;
  }

  /**
   * Takes an Idempotency-Key for one request digest: 'new' (go on), 'busy' (the same key is
   * in progress), 'mismatch' (the key was used for another body), or the stored result.
   */
  async claimIdempotency(key: string, digest: string, leaseSeconds: number): Promise<{ kind: 'new' | 'busy' | 'mismatch' } | { kind: 'done'; result: string }> {
    const k = this.keys.idempotency(key);
    if ((await this.redis.set(k, JSON.stringify({ digest, state: 'pending' }), 'EX', leaseSeconds, 'NX')) === 'OK') return { kind: 'new' };
    const v = await this.redis.get(k);
    if (v === null) return this.claimIdempotency(key, digest, leaseSeconds);
    const stored = JSON.parse(v) as { digest: string; state: string; result?: string };
    if (stored.digest !== digest) return { kind: 'mismatch' };
    return stored.state === 'done' ? { kind: 'done', result: stored.result! } : { kind: 'busy' };
  }

  async finishIdempotency(key: string, digest: string, result: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.idempotency(key), JSON.stringify({ digest, state: 'done', result }), 'EX', ttlSeconds);
  }

  async releaseIdempotency(key: string): Promise<void> {
    await this.redis.del(this.keys.idempotency(key));
  }
}
