import { runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';

// README "Proof under faults": latency with jitter, random cuts and a stalled direction between the service and Redis.
describe('a lossy link to Redis', () => {
  it('latency 40-60 ms, connections cut at random, replies stalled 3 s: exactly once still holds', async () => {
    const r = await runScenario({
      name: 'lossy link to Redis (latency, cuts, stall)',
      proxy: true,
      faultAfterMs: 1_000,
      fault: async ({ proxy, healed }) => {
        Object.assign(proxy!.settings, { latencyMs: 40, jitterMs: 20, cutsPerSecond: 0.1 });
        await sleep(4_000);
        proxy!.stall('toClient', 3_000); // the commands ran; their replies arrive after the clients gave up
        await sleep(5_000);
        proxy!.stall('toServer', 2_000);
        await sleep(3_000);
        Object.assign(proxy!.settings, { latencyMs: 0, jitterMs: 0, cutsPerSecond: 0 });
        healed();
      },
    });
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    expect(r.acknowledged).toBeGreaterThan(0);
  });
});
