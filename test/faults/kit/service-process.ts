import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, spawnService, type Spawned } from '../../helpers/spawned-service';
import { freePort, sleep } from './free-port';

/**
 * One `node dist/main.js` of the service (ROLE api, worker or all) that a scenario can
 * SIGKILL and start again with the same settings and ports.
 */
export class ServiceProcess {
  private current: Spawned | undefined;
  port = 0;
  adminPort = 0;
  starts = 0;
  private previous: Array<Record<string, unknown>> = [];
  readonly varDir = mkdtempSync(join(tmpdir(), 'snap-fault-svc-'));

  constructor(private readonly env: () => Record<string, string>) {}

  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  /** Starts it and waits until /readyz answers 200 (or `readyTimeoutMs` passes). */
  async start(readyTimeoutMs = 30_000): Promise<this> {
    ensureBuilt();
    if (this.port === 0) [this.port, this.adminPort] = [await freePort(), await freePort()];
    this.current = spawnService({
      HOST: '127.0.0.1', ADMIN_HOST: '127.0.0.1', PORT: String(this.port), ADMIN_PORT: String(this.adminPort), VAR_DIR: this.varDir, ...this.env(),
    });
    this.starts++;
    const end = Date.now() + readyTimeoutMs;
    for (;;) {
      if (this.current.child.exitCode !== null) throw new Error(`service exited at boot: ${this.current.stderr().slice(-2_000)}`);
      if ((await status(`${this.adminUrl}/readyz`)) === 200) return this;
      if (Date.now() > end) throw new Error(`service not ready after ${readyTimeoutMs} ms: ${this.current.stderr().slice(-2_000)}`);
      await sleep(100);
    }
  }

  async kill(): Promise<void> {
    const c = this.current;
    if (c === undefined) return;
    c.child.kill('SIGKILL');
    await c.exited;
    this.previous = [...this.previous, ...c.lines].slice(-5_000);
    this.current = undefined;
  }

  async stop(): Promise<void> {
    const c = this.current;
    if (c === undefined) return;
    c.child.kill('SIGTERM');
    const timer = setTimeout(() => c.child.kill('SIGKILL'), 15_000);
    await c.exited;
    clearTimeout(timer);
    this.current = undefined;
  }

  /** The JSON log lines of this process and the ones before it (kept across restarts). */
  logLines(): Array<Record<string, unknown>> {
    return [...this.previous, ...(this.current?.lines ?? [])];
  }
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
