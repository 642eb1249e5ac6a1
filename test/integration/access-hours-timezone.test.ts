import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ON_CLUSTER, REDIS_URL } from '../helpers/test-redis';
import { ensureBuilt } from '../helpers/spawned-service';

beforeAll(ensureBuilt, 120_000);

// jest's sandbox cannot change its own process's zone: the service runs in a child process with TZ set
(ON_CLUSTER ? describe.skip : describe)('hour list mode on a host in America/New_York', () => {
  it('refuses from 02:00:00 to 02:59:59 Jakarta time and serves at 01:59:59 and 03:00:00', () => {
    const out = JSON.parse(execFileSync(process.execPath, [join(__dirname, '..', 'helpers', 'hour-list-child.js')], {
      env: { PATH: process.env.PATH ?? '', TZ: 'America/New_York', REDIS_URL },
      encoding: 'utf8',
      timeout: 30_000,
    })) as { hostHour: number; codes: Record<string, string> };
    // 02:00 in Jakarta is 14:00 of the day before in New York: the child really runs in that zone
    expect(out.hostHour).toBe(14);
    expect(out.codes).toEqual({ '01:59:59': '4042412', '02:00:00': '4032406', '02:59:59': '4032406', '03:00:00': '4042412' });
  });
});
