import type { RedisClient } from '../redis/redis-connections';
import { defineScript, type ScriptFn } from '../redis/define-script';

// KEYS: lane. ARGV: sequence, TTL. Moves the lane forward, never back.
const FINISH_LUA = `
local done = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > done then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) else redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

const LANE_TTL_SECONDS = 400 * 86_400;

/**
 * Per (subscriber, virtual account) delivery order. Each event carries `vaSequence` (the
 * receipt order that the atomic payment step assigns). A lane remembers the highest
 * sequence finished (delivered or dead-lettered); event n is delivered only once n-1 has
 * finished. The fan-out step opens a lane at n-1 for a subscriber that has never seen this
 * VA, so a subscriber added later is not blocked by events it was never sent.
 */
export class OrderingGate {
  private readonly finishScript: ScriptFn;

  constructor(private readonly redis: RedisClient, private readonly keyPrefix: string) {
    this.finishScript = defineScript(redis, 'snapLaneFinish', 1, FINISH_LUA);
  }

  private lane(subscriber: string, va: string): string {
    return `${this.keyPrefix}lane:${subscriber}:${va}`;
  }

  async open(subscriber: string, va: string, sequence: number): Promise<void> {
    await this.redis.set(this.lane(subscriber, va), String(sequence - 1), 'EX', LANE_TTL_SECONDS, 'NX');
  }

  async mayDeliver(subscriber: string, va: string, sequence: number): Promise<boolean> {
    const done = await this.redis.get(this.lane(subscriber, va));
    return done === null || Number(done) >= sequence - 1;
  }

  async finish(subscriber: string, va: string, sequence: number): Promise<void> {
    await this.finishScript([this.lane(subscriber, va)], [sequence, LANE_TTL_SECONDS]);
  }
}
