import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import request from 'supertest';
import { bill, PAYMENT, paymentBody } from '../helpers/harness';
import { connectTestRedis, deleteMatching, REDIS_ENV } from '../helpers/test-redis';
import { makeKeyPair, signedHeaders } from '../helpers/signer';
import { ensureBuilt, spawnService, until, type Spawned } from '../helpers/spawned-service';

jest.setTimeout(60_000);

describe('two api processes sharing one Redis', () => {
  const ns = randomBytes(4).toString('hex');
  const key = makeKeyPair();
  const token = randomBytes(24).toString('hex');
  const env = {
    NODE_ENV: 'production', ROLE: 'api', HOST: '127.0.0.1', PORT: '0', ADMIN_PORT: '0', ...REDIS_ENV, LOG_LEVEL: 'info',
    REDIS_KEY_PREFIX: `{scale${ns}}:`, QUEUE_PREFIX: `{scaleq${ns}}`, FASPAY_PUBLIC_KEY: key.publicKeyPem, INTERNAL_API_TOKEN: token,
    VAR_DIR: mkdtempSync(join(tmpdir(), 'snap-scale-')),
  };
  const procs: Spawned[] = [];
  const ports: Array<{ api: string; admin: string }> = [];
  const redis = connectTestRedis();
  const queue = new Queue('snap-payments', { connection: redis, prefix: `{scaleq${ns}}` });

  beforeAll(async () => {
    ensureBuilt();
    for (let i = 0; i < 2; i++) {
      const p = spawnService(env);
      procs.push(p);
      const started = await until(() => p.lines.find((l) => l.message === 'snap-receiver started'));
      ports.push({ api: `http://127.0.0.1:${String(started.publicPort)}`, admin: `http://127.0.0.1:${String(started.adminPort)}` });
    }
  });
  afterAll(async () => {
    for (const p of procs) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    await queue.obliterate({ force: true });
    await deleteMatching(redis, `{scale${ns}}:*`);
    await queue.close();
    await redis.quit();
  });

  const register = (customerNo: string) => request(ports[0]!.admin).put('/internal/v1/bills').set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json').send(JSON.stringify(bill({ customerNo }))).expect(201);
  const jobs = async (): Promise<number> => Object.values(await queue.getJobCounts('waiting', 'active', 'completed', 'delayed')).reduce((a, b) => a + b, 0);

  it('50 identical payments split across both processes: one event, one answer', async () => {
    await register('2300000001');
    const body = paymentBody('2300000001');
    const headers = signedHeaders(key.privateKey, body, { path: PAYMENT, timestampMs: Date.now() });
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => request(ports[i % 2]!.api).post(PAYMENT).set(headers).send(body).then((r) => r)));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses[0]!.body.responseCode).toBe('2002500');
    expect(await jobs()).toBe(1);
  });

  it('the same payment retried on the other process under new X-EXTERNAL-IDs: 2002500 and still one event', async () => {
    await register('2300000002');
    const body = paymentBody('2300000002');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      request(ports[i % 2]!.api).post(PAYMENT).set(signedHeaders(key.privateKey, body, { path: PAYMENT, timestampMs: Date.now() })).send(body).then((r) => r)));
    expect(responses.every((r) => r.body.responseCode === '2002500')).toBe(true);
    expect(await jobs()).toBe(2);
  });

  it('a conflicting body under a used X-EXTERNAL-ID is refused by the other process', async () => {
    await register('2300000003');
    const body = paymentBody('2300000003');
    const headers = signedHeaders(key.privateKey, body, { path: PAYMENT, timestampMs: Date.now() });
    expect((await request(ports[0]!.api).post(PAYMENT).set(headers).send(body)).body.responseCode).toBe('2002500');
    const other = paymentBody('2300000003', { prid: 'other' });
    const res = await request(ports[1]!.api).post(PAYMENT)
      .set({ ...signedHeaders(key.privateKey, other, { path: PAYMENT, timestampMs: Date.now() }), 'X-EXTERNAL-ID': headers['X-EXTERNAL-ID']! }).send(other);
    expect(res.body.responseCode).toBe('4092500');
  });
});
