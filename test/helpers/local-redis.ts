import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './spawned-service';

const SCRIPT = join(ROOT, 'test', 'cluster', 'local-redis.sh');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** `n` free loopback ports below 55536 whose +10000 (cluster bus) is free too. */
async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = 20_000 + Math.floor(Math.random() * 20_000);
    if (!out.includes(p) && (await portFree(p)) && (await portFree(p + 10_000))) out.push(p);
  }
  return out;
}

export interface LocalRedis {
  /** REDIS_CLUSTER_NODES or REDIS_SENTINELS value. */
  readonly address: string;
  readonly ports: readonly number[];
  /** The pid of the server on `port` (to pause it with SIGSTOP, say). */
  pidOf(port: number): number;
  stop(): void;
}

/** Starts a throwaway topology with test/cluster/local-redis.sh (Debian's redis-server). */
async function start(kind: 'cluster' | 'sentinel'): Promise<LocalRedis> {
  const dir = mkdtempSync(join(tmpdir(), `snap-${kind}-`));
  const ports = await freePorts(3);
  const address = execFileSync(SCRIPT, [kind, dir, ...ports.map(String)], { encoding: 'utf8' }).trim();
  return {
    address, ports,
    pidOf: (port) => Number(readFileSync(join(dir, String(port), 'redis.pid'), 'utf8')),
    stop: () => execFileSync(SCRIPT, ['stop', dir]),
  };
}

export const startLocalCluster = (): Promise<LocalRedis> => start('cluster');
/** Primary on ports[0], replica on ports[1], one sentinel on ports[2] watching `snapprimary`. */
export const startLocalSentinel = (): Promise<LocalRedis> => start('sentinel');
