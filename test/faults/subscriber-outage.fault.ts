import { PROFILE, runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';

// README "Proof under faults": the order system away, then back.
describe('the order system down, then back', () => {
  it('deliveries wait and retry; every acknowledged payment arrives once', async () => {
    const outageMs = PROFILE === 'full' ? 60_000 : 10_000;
    const r = await runScenario({
      name: `subscriber down ${outageMs / 1000} s`,
      fault: async ({ subscriber, healed }) => {
        await subscriber.stop();
        await sleep(outageMs);
        await subscriber.start();
        healed();
      },
    });
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    expect(r.redelivered).toBe(0);
  });
});
