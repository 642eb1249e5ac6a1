import { startHarness, type Harness } from '../helpers/harness';
import { startLocalSentinel, viaSentinel, type LocalRedis } from '../helpers/local-redis';

jest.setTimeout(60_000);

const replicaWarnings = (h: Harness) => h.logs.filter((l) => l.level === 'warn' && String(l.message).startsWith('the Redis primary has'));

describe('at boot, REDIS_WAIT_REPLICAS against the replicas each primary has', () => {
  let topology: LocalRedis;
  const started: Harness[] = [];
  const start = async (...args: Parameters<typeof startHarness>): Promise<Harness> => {
    const h = await startHarness(...args);
    started.push(h);
    return h;
  };
  beforeAll(async () => {
    topology = await startLocalSentinel();
  });
  afterAll(async () => {
    for (const h of started) await h.close();
    topology?.stop();
  });

  it('is quiet when the primary has the replica the Sentinel default waits for', async () => {
    const h = await start({ redisEnv: viaSentinel(topology) });
    expect(replicaWarnings(h)).toEqual([]);
  });

  it('warns that a failover may drop paid payments when the primary has a replica and WAIT is off, naming the primary', async () => {
    const h = await start({ redisEnv: viaSentinel(topology), env: { REDIS_WAIT_REPLICAS: '0' } });
    expect(replicaWarnings(h)).toEqual([expect.objectContaining({
      message: expect.stringContaining('REDIS_WAIT_REPLICAS=0: a failover may drop payments already answered "paid"'),
      primary: `127.0.0.1:${topology.ports[0]}`, replicas: 1,
    })]);
  });

  it('warns that payments answer 5002501 when WAIT asks for more replicas than the primary has', async () => {
    const h = await start({ redisEnv: viaSentinel(topology), env: { REDIS_WAIT_REPLICAS: '2' } });
    expect(replicaWarnings(h)).toEqual([expect.objectContaining({ message: expect.stringContaining('fewer replicas than REDIS_WAIT_REPLICAS=2'), replicas: 1 })]);
  });

  it('is quiet with one Redis without replicas and WAIT off (the quickstart)', async () => {
    const h = await start();
    expect(replicaWarnings(h)).toEqual([]);
  });
});
