import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connections';

export class ReplicationShortfallError extends Error {
  readonly reason = 'replication';
  constructor(readonly acked: number, readonly wanted: number, timeoutMs: number) {
    super(`only ${acked} of ${wanted} Redis replicas confirmed the write within ${timeoutMs} ms`);
    this.name = 'ReplicationShortfallError';
  }
}

/** WAIT succeeded, but on a primary that does not hold the record: it was written to another one. */
export class RecordElsewhereError extends Error {
  readonly reason = 'record_elsewhere';
  constructor(key: string) {
    super(`the Redis primary whose replicas confirmed does not hold ${key}: it was written to another primary (a deposed one, in a failover)`);
    this.name = 'RecordElsewhereError';
  }
}

interface Round {
  readonly fewest: number;
  /** EXISTS of each caller's record key, in the order they joined. */
  readonly present: readonly number[];
}

/**
 * Redis replicates asynchronously: a primary that fails right after acknowledging a write
 * may lose it in the failover. Before the service tells Faspay "paid", this writes a probe
 * into each slot that holds the payment (ledger prefix, queue prefix) and asks WAIT for
 * `replicas` acknowledgements. The replication stream is ordered, so a replica that has the
 * probe has every earlier write to that primary too: the payment record, the BullMQ job and
 * the stored answer, whichever connection wrote them.
 *
 * "That primary" is the catch in a failover: the request connection may have written to the
 * deposed primary while this one already asks the new one. So after WAIT, in the same round
 * trip, each caller's record key (it shares the first probe key's slot) must exist on the
 * primary that was asked; if not, the answer waits (README "Redis in production").
 *
 * WAIT blocks its connection, so the guard has its own, and callers share rounds (group
 * commit): a caller joins the next round to start, which begins after its writes finished.
 */
export class ReplicationGuard {
  private readonly probeKeys: readonly string[];
  private inFlight: Promise<Round> | undefined;
  private queued: { readonly recordKeys: string[]; readonly round: Promise<Round> } | undefined;

  /** `probeKeys[0]` must share a slot with the record keys callers confirm (the ledger's prefix). */
  constructor(
    private readonly redis: RedisClient,
    probeKeys: readonly string[],
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {
    this.probeKeys = [...new Set(probeKeys)];
  }

  /**
   * Resolves with the fewest acknowledgements seen; throws when fewer than asked for, or when
   * the primary asked does not hold `recordKey`.
   */
  confirm(recordKey: string): Promise<number> {
    this.queued ??= this.nextRound();
    const { recordKeys, round } = this.queued;
    const i = recordKeys.push(recordKey) - 1;
    return round.then((r) => {
      if (r.present[i] !== 1) throw new RecordElsewhereError(recordKey);
      return r.fewest;
    });
  }

  private nextRound(): { recordKeys: string[]; round: Promise<Round> } {
    const recordKeys: string[] = [];
    const after = this.inFlight ?? Promise.resolve();
    const round = after.catch(() => undefined).then(() => {
      this.queued = undefined;
      const r = this.round(recordKeys);
      this.inFlight = r;
      r.catch(() => undefined).finally(() => {
        if (this.inFlight === r) this.inFlight = undefined;
      });
      return r;
    });
    return { recordKeys, round };
  }

  private async round(recordKeys: readonly string[]): Promise<Round> {
    const now = String(Date.now());
    // one server: every probe, one WAIT and the EXISTS checks in a single round trip; a cluster: per slot owner
    const batches = this.redis instanceof Cluster ? this.probeKeys.map((k) => [k]) : [this.probeKeys];
    const batchResults = await Promise.all(batches.map(async (keys, b) => {
      const p = this.redis.pipeline();
      for (const k of keys) p.set(k, now, 'PX', 60_000);
      p.wait(this.replicas, this.timeoutMs);
      // after WAIT, on the same server: the records are read where the replicas confirmed
      if (b === 0) for (const k of recordKeys) p.exists(k);
      const res = (await p.exec()) ?? [];
      const failed = res.find(([err]) => err !== null);
      if (failed !== undefined) throw failed[0];
      return { acked: Number(res[keys.length]?.[1]), present: res.slice(keys.length + 1).map(([, v]) => Number(v)) };
    }));
    const fewest = Math.min(...batchResults.map((r) => r.acked));
    if (fewest < this.replicas) throw new ReplicationShortfallError(fewest, this.replicas, this.timeoutMs);
    return { fewest, present: batchResults[0]!.present };
  }
}
