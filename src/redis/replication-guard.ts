import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connections';

export class ReplicationShortfallError extends Error {
  readonly reason = 'replication';
  constructor(readonly acked: number, readonly wanted: number, timeoutMs: number) {
    super(`only ${acked} of ${wanted} Redis replicas confirmed the write within ${timeoutMs} ms`);
    this.name = 'ReplicationShortfallError';
  }
}

/**
 * Redis replicates asynchronously: a primary that fails right after acknowledging a write
 * may lose it in the failover. Before the service tells Faspay "paid", this writes a probe
 * into each slot that holds the payment (ledger prefix, queue prefix) and asks WAIT for
 * `replicas` acknowledgements. The replication stream is ordered, so a replica that has the
 * probe has every earlier write to that primary too: the payment record, the BullMQ job and
 * the stored answer, whichever connection wrote them.
 *
 * WAIT blocks its connection, so the guard has its own, and callers share rounds (group
 * commit): a caller joins the next round to start, which begins after its writes finished.
 */
export class ReplicationGuard {
  private readonly probeKeys: readonly string[];
  private inFlight: Promise<number> | undefined;
  private queued: Promise<number> | undefined;

  constructor(
    private readonly redis: RedisClient,
    probeKeys: readonly string[],
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {
    this.probeKeys = [...new Set(probeKeys)];
  }

  /** Resolves with the fewest acknowledgements seen; throws when fewer than asked for. */
  confirm(): Promise<number> {
    if (this.queued !== undefined) return this.queued;
    const after = this.inFlight ?? Promise.resolve(0);
    const round = after.catch(() => 0).then(() => {
      this.queued = undefined;
      const r = this.round();
      this.inFlight = r;
      r.catch(() => 0).finally(() => {
        if (this.inFlight === r) this.inFlight = undefined;
      });
      return r;
    });
    this.queued = round;
    return round;
  }

  private async round(): Promise<number> {
    const now = String(Date.now());
    // one server: every probe and one WAIT in a single round trip; a cluster: per slot owner
    const batches = this.redis instanceof Cluster ? this.probeKeys.map((k) => [k]) : [this.probeKeys];
    const acked = await Promise.all(batches.map(async (keys) => {
      const p = this.redis.pipeline();
      for (const k of keys) p.set(k, now, 'PX', 60_000);
      const res = (await p.wait(this.replicas, this.timeoutMs).exec()) ?? [];
      const failed = res.find(([err]) => err !== null);
      if (failed !== undefined) throw failed[0];
      return Number(res.at(-1)?.[1]);
    }));
    const fewest = Math.min(...acked);
    if (fewest < this.replicas) throw new ReplicationShortfallError(fewest, this.replicas, this.timeoutMs);
    return fewest;
  }
}
