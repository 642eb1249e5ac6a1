import { PROFILE, runScenario } from './kit/scenario';
import { sleep } from './kit/free-port';

// README "Proof under faults": the api and the worker SIGKILLed again and again mid-load.
describe('api and worker killed with SIGKILL, several cycles', () => {
  it('every acknowledged payment delivered, none as two events', async () => {
    const cycles = PROFILE === 'full' ? 10 : 4;
    const r = await runScenario({
      name: `api and worker SIGKILLed (${cycles} cycles each)`,
      faultAfterMs: 1_000,
      fault: async ({ api, worker, healed }) => {
        for (let i = 0; i < cycles; i++) {
          await api.kill();
          await api.start();
          await sleep(1_000);
          await worker.kill();
          await worker.start();
          await sleep(1_500);
        }
        healed();
      },
    });
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    // a worker killed after the order system said 200 but before BullMQ heard it delivers that
    // event again, with the same webhook-id (README): at most its concurrency per kill
    expect(r.redelivered).toBeLessThanOrEqual(cycles * 20);
  });
});
