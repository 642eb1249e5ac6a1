import { runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';

// README "Proof under faults": Redis unreachable for 10 s (SIGSTOP … SIGCONT).
describe('Redis unreachable for 10 s', () => {
  it('answers fast while it lasts, keeps memory bounded, recovers by itself, and loses nothing', async () => {
    const r = await runScenario({
      name: 'Redis stopped 10 s (SIGSTOP/SIGCONT)',
      fault: async ({ redis, healed }) => {
        redis.pause();
        await sleep(10_000);
        redis.resume();
        healed();
      },
    });
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    // the bound README documents: an answer within two command timeouts of the request connection
    // (2 s each; with autopipelining a batch waits for the batch before it), nothing hangs
    expect(r.maxDuringFaultMs).toBeLessThan(4_500);
    expect(r.apiRssMaxMb! - r.apiRssBeforeMb!).toBeLessThan(100);
    expect(r.recoverMs).not.toBeNull();
    expect(r.recoverMs!).toBeLessThan(5_000);
  });
});
