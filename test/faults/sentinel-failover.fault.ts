import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';
import { SENTINEL_NAME } from '../helpers/local-redis';

// README "Proof under faults": the Sentinel-managed primary SIGKILLed mid-load; the replica is promoted.
async function killPrimary(ctx: Parameters<Parameters<typeof runScenario>[0]['fault']>[0]): Promise<void> {
  const topology = ctx.sentinel!;
  process.kill(topology.pidOf(topology.ports[0]!), 'SIGKILL');
  const sentinel = new Redis(topology.ports[2]!, '127.0.0.1');
  try {
    for (let i = 0; i < 200; i++) {
      const [, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME)) as string[];
      if (Number(port) === topology.ports[1]) break;
      await sleep(100);
    }
  } finally {
    sentinel.disconnect();
  }
  ctx.healed();
  // as an orchestrator would: the old primary comes back, as a replica of the new one
  await sleep(3_000);
  const [old, promoted] = [topology.ports[0]!, topology.ports[1]!];
  const d = join(topology.dir, String(old));
  spawnSync('redis-server', ['--bind', '127.0.0.1', '--port', String(old), '--dir', d, '--save', '', '--appendonly', 'no', '--daemonize', 'yes',
    '--pidfile', join(d, 'redis.pid'), '--logfile', join(d, 'redis.log'), '--replicaof', '127.0.0.1', String(promoted)]);
}

describe('Sentinel failover mid-load (primary SIGKILLed)', () => {
  it('with REDIS_WAIT_REPLICAS=1 nothing acknowledged is lost', async () => {
    const r = await runScenario({ name: 'Sentinel failover, REDIS_WAIT_REPLICAS=1', sentinel: true, env: { REDIS_WAIT_REPLICAS: '1' }, fault: killPrimary });
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    expect(r.gaveUp).toBe(0); // answers resume once the old primary is back as a replica
  });

  it('with it turned off (the default is 1 under Sentinel), the loss is measured: at most what the replica had not received when the primary died', async () => {
    const r = await runScenario({ name: 'Sentinel failover, REDIS_WAIT_REPLICAS=0', sentinel: true, env: { REDIS_WAIT_REPLICAS: '0' }, fault: killPrimary });
    // asynchronous replication on loopback lags by well under a second of load (README)
    expect(r.lost).toBeLessThanOrEqual(r.acknowledged * 0.05);
    expect(r.doubled).toBe(0);
    expect(r.gaveUp).toBe(0);
  });
});
