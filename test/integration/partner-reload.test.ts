import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { makeKeyPair, signedHeaders } from '../helpers/signer';
import { connectTestRedis, deleteMatching, REDIS_ENV } from '../helpers/test-redis';
import { ensureBuilt, spawnService, until } from '../helpers/spawned-service';

const partnerFile = (publicKeyFile: string, ipList: string) => `partners:
  - name: faspay
    partnerId: "82150"
    auth: faspay-rsa
    publicKeys: [{ file: ${publicKeyFile} }]
    ipList: ${ipList}
`;
const ALLOW_LOCAL = '{ mode: allow, cidrs: ["127.0.0.1/32"] }';
const DENY_LOCAL = '{ mode: deny, cidrs: ["127.0.0.1/32"] }';

describe('reloading PARTNERS_FILE', () => {
  let h: Harness;
  let keyFile: string;
  beforeAll(async () => {
    h = await startHarness({ partners: ({ publicKeyFile }) => {
      keyFile = publicKeyFile;
      return partnerFile(publicKeyFile, ALLOW_LOCAL);
    } });
  });
  afterAll(async () => h.close());
  const code = async () => (await h.post(INQUIRY, inquiryBody('5800000001'))).body.responseCode as string;
  const reloads = async (outcome: string) => {
    const line = (await request(h.admin).get('/metrics')).text.split('\n').find((l) => l.startsWith(`snap_partner_reloads_total{outcome="${outcome}"}`));
    return line === undefined ? 0 : Number(line.split(' ')[1]);
  };

  it('keeps the old registry in force when the new file is broken, logs why, counts it, and stays ready', async () => {
    expect(await code()).toBe('4042412');
    writeFileSync(h.partnersFile!, partnerFile(keyFile, '{ mode: deny, cidrs: ["127.0.0.300/32"] }'));
    expect(h.svc.reloadPartners('manual')).toEqual({ ok: false, problems: ['partners[0].ipList.cidrs[0]: "127.0.0.300/32" is not a CIDR'] });
    expect(await code()).toBe('4042412');
    expect(await reloads('failed')).toBeGreaterThanOrEqual(1);
    expect(h.logs.find((l) => l.message === 'partner registry reload failed: the previous registry stays in force')).toMatchObject({ trigger: 'manual' });
    expect((await request(h.admin).get('/readyz')).status).toBe(200);
  });

  it('applies a good new file on its own when the file changes (no signal needed)', async () => {
    writeFileSync(h.partnersFile!, partnerFile(keyFile, DENY_LOCAL));
    await until(() => (h.logs.some((l) => l.message === 'partner registry reloaded' && l.trigger === 'file-change') ? true : undefined), 10_000);
    expect(await code()).toBe('4012400');
    expect(await reloads('ok')).toBeGreaterThanOrEqual(1);
  });

  it('drops no request in flight: payments racing a reload are all answered by one registry or the other', async () => {
    writeFileSync(h.partnersFile!, partnerFile(keyFile, ALLOW_LOCAL));
    h.svc.reloadPartners('manual');
    const customers = Array.from({ length: 20 }, (_, i) => `58100000${String(i).padStart(2, '0')}`);
    for (const c of customers) await h.registerBill(bill({ customerNo: c })).expect(201);
    const racing = customers.map((c) => h.post(PAYMENT, paymentBody(c)));
    for (let i = 0; i < 5; i++) h.svc.reloadPartners('manual');
    const answers = await Promise.all(racing);
    expect(answers.map((r) => r.body.responseCode)).toEqual(customers.map(() => '2002500'));
  });
});

describe('PARTNERS_FILE in the real process', () => {
  beforeAll(ensureBuilt, 120_000);

  it('refuses to start with a bad file and names the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-partners-'));
    const file = join(dir, 'partners.yaml');
    writeFileSync(file, 'partners:\n  - name: faspay\n    partnerId: "1"\n    auth: faspay-rsa\n    publicKeys: [{ file: /nope.pem }]\n  - name: x\n    partnerId: "2"\n    auth: faspay-rsa\n    publicKeys: [{ pem: "x" }]\n    ipList: { mode: allow, cidrs: ["10.0.0.300/8"] }\n');
    const b = spawnService({ PARTNERS_FILE: file, VAR_DIR: dir, ...REDIS_ENV });
    expect(await b.exited).toBe(78);
    expect(b.stderr()).toContain(`PARTNERS_FILE=${file} is invalid:`);
    expect(b.stderr()).toContain('partners[1].ipList.cidrs[0]: "10.0.0.300/8" is not a CIDR');
  });

  it('reloads on SIGHUP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-partners-'));
    const pair = makeKeyPair();
    const keyFile = join(dir, 'faspay.pem');
    writeFileSync(keyFile, pair.publicKeyPem);
    const file = join(dir, 'partners.yaml');
    writeFileSync(file, partnerFile(keyFile, ALLOW_LOCAL));
    const ns = `sighup${process.pid}`;
    const b = spawnService({ PARTNERS_FILE: file, VAR_DIR: dir, PORT: '0', ADMIN_PORT: '0', ROLE: 'api', ...REDIS_ENV, REDIS_KEY_PREFIX: `{${ns}}:`, QUEUE_PREFIX: `{${ns}q}` });
    try {
      const started = await until(() => b.lines.find((l) => l.message === 'snap-receiver started'));
      expect(started).toMatchObject({ partnersSource: file, partners: [expect.objectContaining({ name: 'faspay', auth: 'faspay-rsa' })] });
      const send = () => {
        const body = inquiryBody('5900000001');
        return request(`http://127.0.0.1:${String(started.publicPort)}`).post(INQUIRY).set(signedHeaders(pair.privateKey, body, { path: INQUIRY, timestampMs: Date.now() })).send(body);
      };
      expect((await send()).body.responseCode).toBe('4042412');
      // the file watcher would pick this up too; SIGHUP must not wait for it
      writeFileSync(file, partnerFile(keyFile, DENY_LOCAL));
      b.child.kill('SIGHUP');
      await until(() => b.lines.find((l) => l.message === 'partner registry reloaded'));
      expect((await send()).body.responseCode).toBe('4012400');
      expect(b.lines.filter((l) => l.message === 'partner registry reloaded').map((l) => l.trigger)).toContain('sighup');
    } finally {
      b.child.kill('SIGTERM');
      await b.exited;
      const r = connectTestRedis();
      for (const p of [`{${ns}}:*`, `{${ns}q}:*`]) await deleteMatching(r, p);
      await r.quit();
    }
  }, 30_000);
});
