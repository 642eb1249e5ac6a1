import { LOAD, runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';

// README "Proof under faults": Redis SIGKILLed mid-load and started again on its AOF.
describe('Redis killed with SIGKILL mid-load and restarted', () => {
  it('appendfsync always: every acknowledged payment delivered, none twice', async () => {
    const r = await runScenario({
      name: 'Redis SIGKILL + restart (appendfsync always)',
      appendfsync: 'always',
      fault: async ({ redis, healed }) => {
        await redis.kill();
        await sleep(2_000);
        await redis.start();
        healed();
      },
    });
    expect(r.acknowledged).toBeGreaterThan(LOAD.rate * LOAD.seconds * 0.9);
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    expect(r.badSignatures).toBe(0);
    expect(r.recoverMs).not.toBeNull();
  });

  it('appendfsync everysec: a killed process loses nothing the kernel has; the bound for a host crash holds', async () => {
    const r = await runScenario({
      name: 'Redis SIGKILL + restart (appendfsync everysec)',
      appendfsync: 'everysec',
      fault: async ({ redis, healed }) => {
        await redis.kill();
        await sleep(2_000);
        await redis.start();
        healed();
      },
    });
    // a host crash may lose up to ~2 s of writes (README); a process kill should lose none
    expect(r.lost).toBeLessThanOrEqual(LOAD.rate * 2);
    expect(r.doubled).toBe(0);
  });
});
