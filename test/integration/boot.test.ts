import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { startPrivateRedis } from '../../src/dev/private-redis';
import { createLogger } from '../../src/logging/create-logger';
import { inquiryBody, INQUIRY } from '../helpers/harness';
import { connectTestRedis, deleteMatching, REDIS_ENV } from '../helpers/test-redis';
import { signedHeaders } from '../helpers/signer';
import { ensureBuilt, spawnService, until } from '../helpers/spawned-service';

beforeAll(ensureBuilt, 120_000);
const boot = spawnService;

describe('start-up', () => {
  it('starts with nothing configured: makes a development key pair, answers signed calls, and drains on SIGTERM', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'snap-var-'));
    const b = boot({ VAR_DIR: varDir, PORT: '0', ADMIN_PORT: '0', ...REDIS_ENV, REDIS_KEY_PREFIX: `{boot${process.pid}}:`, QUEUE_PREFIX: `{bootq${process.pid}}` });
    const started = await until(() => b.lines.find((l) => l.message === 'snap-receiver started'));
    const devKey = b.lines.find((l) => typeof l.privateKeyPath === 'string')!;
    expect(devKey.privateKeyPath).toBe(join(varDir, 'dev-keys', 'faspay-dev-private.pem'));
    const key = createPrivateKey(readFileSync(String(devKey.privateKeyPath)));
    const body = inquiryBody('8000000001');
    const res = await request(`http://127.0.0.1:${String(started.publicPort)}`).post(INQUIRY)
      .set(signedHeaders(key, body, { path: INQUIRY, timestampMs: Date.now() })).send(body);
    expect(res.body.responseCode).toBe('4042412');
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.lines.at(-1)!.message).toBe('snap-receiver stopped');
    expect(b.stderr()).toBe('');
    const r = connectTestRedis();
    for (const pattern of [`{boot${process.pid}}:*`, `{bootq${process.pid}}:*`]) await deleteMatching(r, pattern);
    await r.quit();
  }, 30_000);

  it('refuses to start in production without a Faspay key or token, saying what to set', async () => {
    const b = boot({ NODE_ENV: 'production' });
    expect(await b.exited).toBe(78);
    expect(b.stderr()).toContain('FASPAY_PUBLIC_KEY or FASPAY_PUBLIC_KEY_FILE is required in production');
    expect(b.stderr()).toContain('INTERNAL_API_TOKEN is required in production');
  });

  it('refuses to start in production when Redis does not answer', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'snap-var-'));
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(varDir, 'k.pem')], { stdio: 'ignore' });
    const pub = execFileSync('openssl', ['pkey', '-in', join(varDir, 'k.pem'), '-pubout']).toString();
    const b = boot({ NODE_ENV: 'production', FASPAY_PUBLIC_KEY: pub, INTERNAL_API_TOKEN: 'x'.repeat(32), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await b.exited).toBe(78);
    expect(b.stderr()).toContain('no Redis answers at redis://127.0.0.1:1');
  }, 20_000);

  it('refuses an unreadable key file with a clear message', async () => {
    const b = boot({ FASPAY_PUBLIC_KEY_FILE: '/nonexistent/faspay.pem' });
    expect(await b.exited).toBe(78);
    expect(b.stderr()).toContain('FASPAY_PUBLIC_KEY_FILE=/nonexistent/faspay.pem cannot be read');
  });
});

describe('private development Redis', () => {
  it('starts redis-server with its data under VAR_DIR and stops it with the service', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'snap-var-'));
    const logger = createLogger('error', true);
    const pr = await startPrivateRedis(varDir, logger);
    const r = new Redis(pr.url);
    await r.set('k', 'v');
    expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    r.disconnect();
    expect(existsSync(join(varDir, 'redis'))).toBe(true);
    await pr.stop();
    const probe = new Redis(pr.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    await expect(probe.connect()).rejects.toThrow();
  });
});
