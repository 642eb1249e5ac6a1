import { primaries, type RedisClient } from './redis-connections';

/** `connected_slaves` of an `INFO replication` reply; undefined when absent (a managed Redis may trim INFO). */
export function connectedReplicas(info: string): number | undefined {
  const m = /^connected_slaves:(\d+)\r?$/m.exec(info);
  return m === null ? undefined : Number(m[1]);
}

/**
 * At boot, compares REDIS_WAIT_REPLICAS with the replicas each primary has: a primary with replicas
 * and no WAIT may lose payments already answered "paid" in a failover; a primary with fewer replicas
 * than WAIT asks for answers every payment 5002501 until they connect. Both start, with a warning:
 * replicas come and go, and the operator may know better.
 */
export async function checkReplicas(redis: RedisClient, waitReplicas: number, warn: (msg: string, meta?: object) => void): Promise<void> {
  for (const node of primaries(redis)) {
    const replicas = await node.info('replication').then(connectedReplicas, () => undefined);
    if (replicas === undefined) continue;
    // the socket's peer, read once connected: under Sentinel the options do not say which server was resolved
    const primary = `${node.stream?.remoteAddress ?? '?'}:${node.stream?.remotePort ?? '?'}`;
    if (waitReplicas === 0 && replicas > 0) {
      warn('the Redis primary has replicas but REDIS_WAIT_REPLICAS=0: a failover may drop payments already answered "paid"; set REDIS_WAIT_REPLICAS=1', { primary, replicas });
    } else if (replicas < waitReplicas) {
      warn(`the Redis primary has fewer replicas than REDIS_WAIT_REPLICAS=${waitReplicas}: payments are answered 5002501 until enough connect`, { primary, replicas });
    }
  }
}
