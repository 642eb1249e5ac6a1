import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './spawned-service';

const SCRIPT = join(ROOT, 'test', 'cluster', 'local-redis.sh');

export interface LocalRedis {
  /** REDIS_CLUSTER_NODES or REDIS_SENTINELS value. */
  readonly address: string;
  readonly ports: readonly number[];
  /** Its data directory: one sub-directory per port. */
  readonly dir: string;
  /** The pid of the server on `port` (to pause it with SIGSTOP, say). */
  pidOf(port: number): number;
  stop(): void;
}

/** Starts a throwaway topology on free ports with test/cluster/local-redis.sh (Debian's redis-server). */
function start(kind: 'cluster' | 'sentinel'): LocalRedis {
  const dir = mkdtempSync(join(tmpdir(), `snap-${kind}-`));
  const address = execFileSync(SCRIPT, [kind, dir], { encoding: 'utf8' }).trim();
  const ports = readFileSync(join(dir, 'ports'), 'utf8').trim().split(' ').map(Number);
  return {
    address, ports, dir,
    pidOf: (port) => Number(readFileSync(join(dir, String(port), 'redis.pid'), 'utf8')),
    stop: () => execFileSync(SCRIPT, ['stop', dir]),
  };
}

export const startLocalCluster = async (): Promise<LocalRedis> => start('cluster');
/** The name under which local-redis.sh's sentinel monitors the primary (`sentinel monitor snapprimary …`). */
export const SENTINEL_NAME = 'snapprimary';
/** Primary on ports[0], replica on ports[1], one sentinel on ports[2] watching SENTINEL_NAME. */
export const startLocalSentinel = async (): Promise<LocalRedis> => start('sentinel');

/** The service's settings to reach a topology of startLocalSentinel through its sentinel. */
export const viaSentinel = (topology: LocalRedis): { REDIS_SENTINELS: string; REDIS_SENTINEL_NAME: string } => ({
  REDIS_SENTINELS: topology.address,
  REDIS_SENTINEL_NAME: SENTINEL_NAME,
});
