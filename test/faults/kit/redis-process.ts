import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort, sleep } from './free-port';

export interface RedisProcessOptions {
  /** AOF fsync policy; the AOF is always on (the durability the README asks operators for). */
  readonly appendfsync?: 'always' | 'everysec';
  readonly port?: number;
  readonly extraArgs?: readonly string[];
}

/**
 * A throwaway redis-server (Debian's) on a free port with its own data directory, which the
 * scenarios kill, pause and restart. A restart reuses port and directory: the AOF is replayed.
 */
export class RedisProcess {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'snap-fault-redis-'));
  port = 0;

  constructor(private readonly o: RedisProcessOptions = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<this> {
    if (this.port === 0) this.port = this.o.port ?? (await freePort());
    this.child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', this.o.appendfsync ?? 'always', '--maxmemory-policy', 'noeviction',
      ...(this.o.extraArgs ?? []),
    ], { stdio: 'ignore' });
    await this.waitReady();
    return this;
  }

  /** SIGKILL: no shutdown, no final fsync; what the kernel already has of the AOF survives. */
  async kill(): Promise<void> {
    const c = this.child;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await r.connect();
        // loading the AOF answers LOADING until done
        if ((await r.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        r.disconnect();
      }
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }
}
