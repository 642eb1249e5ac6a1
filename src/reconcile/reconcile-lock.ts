import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/redis-connections';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * One sweeper at a time across replicas: a Redis lock with a lease, renewed while the sweep
 * runs. A sweeper that dies loses it when the lease runs out; the next run picks up.
 */
export class ReconcileLock {
  private readonly token = randomUUID();

  constructor(private readonly redis: RedisClient, private readonly key: string, private readonly leaseMs: number) {}

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, this.leaseMs)) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
