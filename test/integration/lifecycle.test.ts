import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config';
import { startPrivateRedis } from '../../src/dev/private-redis';
import { createLogger } from '../../src/logging/create-logger';
import { startService } from '../../src/service';
import { parsePublicKeys } from '../../src/snap/public-keys';
import { bill, Capture, PAYMENT, paymentBody, REDIS_ENV, startHarness } from '../helpers/harness';
import { makeKeyPair, signedHeaders } from '../helpers/signer';

describe('graceful shutdown', () => {
  it('finishes a payment in flight before closing Redis, and refuses new connections', async () => {
    let release: (() => void) | undefined;
    const h = await startHarness({
      faults: { afterRecord: () => new Promise<void>((r) => { release = r; }) },
      env: { SHUTDOWN_GRACE_MS: '5000' },
    });
    await h.registerBill(bill({ customerNo: '9000000001' })).expect(201);
    const inFlight = h.post(PAYMENT, paymentBody('9000000001'));
    while (release === undefined) await new Promise((r) => setTimeout(r, 5));
    const stopped = h.svc.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect((await request(h.admin).get('/readyz')).status).toBe(503);
    release();
    expect((await inFlight).body.responseCode).toBe('2002500');
    await stopped;
    expect(await h.jobCount().catch(() => 'closed')).toBe('closed');
    await expect(request(h.api).get('/')).rejects.toThrow();
    await h.close();
  });
});

describe('Redis outage on the request path', () => {
  it('answers 5002501 quickly instead of hanging or acknowledging, and reports not ready', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'snap-outage-'));
    const logger = createLogger('error', true);
    const redis = await startPrivateRedis(varDir, logger);
    const key = makeKeyPair();
    const svc = await startService({
      config: loadConfig({ HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ROLE: 'api', INTERNAL_API_TOKEN: 'x'.repeat(32) }),
      redis: { kind: 'standalone', url: redis.url, auth: {} }, publicKeys: parsePublicKeys(key.publicKeyPem), internalApiToken: 'x'.repeat(32), logger,
    });
    const api = `http://127.0.0.1:${svc.publicPort}`;
    await redis.stop();
    const body = paymentBody('9000000002');
    const started = Date.now();
    const res = await request(api).post(PAYMENT).set(signedHeaders(key.privateKey, body, { path: PAYMENT, timestampMs: Date.now() })).send(body);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ responseCode: '5002501', responseMessage: 'Internal Server Error' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await request(`http://127.0.0.1:${svc.adminPort}`).get('/readyz')).status).toBe(503);
    await svc.stop();
  }, 30_000);
});

describe('readiness', () => {
  it('is not ready, naming the check, while Redis refuses writes (out of memory), and ready again after', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'snap-oom-'));
    const logger = createLogger('error', true);
    const redis = await startPrivateRedis(varDir, logger);
    const svc = await startService({
      config: loadConfig({ HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ROLE: 'all', INTERNAL_API_TOKEN: 'x'.repeat(32) }),
      redis: { kind: 'standalone', url: redis.url, auth: {} }, publicKeys: parsePublicKeys(makeKeyPair().publicKeyPem), internalApiToken: 'x'.repeat(32), logger,
    });
    const admin = request(`http://127.0.0.1:${svc.adminPort}`);
    const direct = new (await import('ioredis')).default(redis.url);
    try {
      expect((await admin.get('/readyz')).body.checks).toEqual({ draining: 'ok', ledger: 'ok', queue: 'ok', worker: 'ok', keys: 'ok' });
      await direct.config('SET', 'maxmemory', '1'); // noeviction: every write now fails with OOM
      const refused = await admin.get('/readyz');
      expect(refused.status).toBe(503);
      expect(refused.body.status).toBe('not ready');
      expect(refused.body.checks.ledger).toMatch(/^OOM /);
      expect(refused.body.checks.draining).toBe('ok');
      await direct.config('SET', 'maxmemory', '0');
      expect((await admin.get('/readyz')).status).toBe(200);
    } finally {
      await direct.quit();
      await svc.stop();
      await redis.stop();
    }
  }, 30_000);
});

describe('ROLE=worker', () => {
  it('consumes queued payment events and completes them', async () => {
    const h = await startHarness();
    await h.registerBill(bill({ customerNo: '9000000003' })).expect(201);
    await h.post(PAYMENT, paymentBody('9000000003'));
    const key = makeKeyPair();
    const worker = await startService({
      config: loadConfig({ ROLE: 'worker', ADMIN_PORT: '0', ...REDIS_ENV, REDIS_KEY_PREFIX: h.keyPrefix, QUEUE_PREFIX: h.queuePrefix }),
      publicKeys: parsePublicKeys(key.publicKeyPem), internalApiToken: 'x'.repeat(32), logger: createLogger('error', true),
    });
    expect(worker.publicPort).toBeUndefined();
    const queue = h.svc.queue!.queue;
    for (let i = 0; i < 100 && (await queue.getCompletedCount()) < 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queue.getCompletedCount()).toBe(1);
    await worker.stop();
    await h.close();
  }, 20_000);
});

describe('Redis eviction policy check', () => {
  it('refuses to start on a Redis that may evict keys, and only warns when told to', async () => {
    const { spawn } = await import('node:child_process');
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    const { redisAnswers } = await import('../../src/dev/private-redis');
    for (let i = 0; i < 50 && !(await redisAnswers(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
    const key = makeKeyPair();
    const base = { HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ROLE: 'api', INTERNAL_API_TOKEN: 'x'.repeat(32), NODE_ENV: 'production', FASPAY_PUBLIC_KEY: key.publicKeyPem };
    const opts = { redis: { kind: 'standalone', url, auth: {} } as const, publicKeys: parsePublicKeys(key.publicKeyPem), internalApiToken: 'x'.repeat(32) };
    try {
      await expect(startService({ ...opts, config: loadConfig(base), logger: createLogger('error', true) }))
        .rejects.toThrow('Redis maxmemory-policy is allkeys-lru');
      const capture = new Capture();
      const logger = createLogger('warn').clear().add(capture);
      const svc = await startService({ ...opts, config: loadConfig({ ...base, REDIS_EVICTION_CHECK: 'warn' }), logger });
      expect(capture.lines.some((l) => String(l.message).startsWith('Redis maxmemory-policy is allkeys-lru'))).toBe(true);
      await svc.stop();
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
