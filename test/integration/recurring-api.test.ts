import request from 'supertest';
import { FaspayRecurringStub } from '../../src/sim/faspay-recurring-stub';
import { formatJakarta } from '../../src/snap/timestamp';
import { startHarness, T0, type Harness } from '../helpers/harness';

// the credentials of spec V8, so the signature on the wire can be checked against the vector
const FASPAY = { userId: 'bot98765', password: 'p@ssw0rd', merchantId: '98765' };
const today = formatJakarta(T0).slice(0, 10);

let h: Harness;
const stub = new FaspayRecurringStub(FASPAY, 1_500);
beforeAll(async () => {
  const url = await stub.start();
  h = await startHarness({
    faspay: { faspay: FASPAY, missing: [] },
    env: { FASPAY_MERCHANT_ID: '98765', FASPAY_RECURRING_URL: url, FASPAY_RECURRING_TIMEOUT_MS: '500' },
  });
});
afterAll(async () => {
  await h.close();
  await stub.stop();
});

const schedule = (o: Record<string, unknown> = {}) => ({
  memberName: 'Budi Santoso', memberEmail: 'budi@example.id', memberEmailNotif: true, processDates: [3, 8, 13], recurringAmount: '150000.00',
  startDate: today, endDate: '2027-11-22', period: 'M', periodAt: 1, accumulate: false, accumulateAt: 0, status: 'active', cardExpireNotif: true, ...o,
});
const call = (memberId: string, body: unknown, o: { op?: string; key?: string; mode?: string; token?: string } = {}) => {
  let r = request(h.admin).post(`/internal/v1/recurring/members/${memberId}/${o.op ?? 'update-card'}${o.mode === undefined ? '' : `?mode=${o.mode}`}`)
    .set('Authorization', `Bearer ${o.token ?? h.token}`).set('Content-Type', 'application/json');
  if (o.key !== undefined) r = r.set('Idempotency-Key', o.key);
  return r.send(typeof body === 'string' ? body : JSON.stringify(body));
};

describe('Update Card toward Faspay (seed 001)', () => {
  it('posts the signed message under the seed\'s names (V8 on the wire) and answers normalized', async () => {
    const res = await call('201914030006', schedule());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, memberId: '201914030006', txnStatus: 'sales', txnStatusCode: 'S', errCode: '0', errDesc: 'Success', userMessage: 'Transaction approved' });
    expect(res.body.transactionId).toMatch(/^\d+$/);
    const sent = stub.calls.at(-1)!;
    expect(sent.path).toBe('/recurring');
    expect(sent.body).toEqual({
      recurring_type: '2', merchant_id: '98765', member_id: '201914030006', member_name: 'Budi Santoso', member_email: 'budi@example.id',
      member_email_notif: '1', process_date: '03,08,13', recurring_amount: '150000.00', recurring_start_date: today, recurring_end_date: '2027-11-22',
      recurring_period: 'M', recurring_perriod_at: '1', recurring_accumulate: 'f', recurring_accumulate_at: '0', recurring_status: 't',
      recurring_signature: '671914b100e5259512037cafa52ebf09b4225e2b',
    });
  });

  it('reads the response with either spelling of the seed\'s misspelled fields', async () => {
    const misspelled = await call('M-1', schedule());
    const spelled = await call('M-1-spelled', schedule());
    for (const r of [misspelled, spelled]) expect(r.body.schedule).toMatchObject({ recurringAmount: '150000.00', periodAt: '1', processDates: [3, 8, 13] });
  });

  it('maps every txn_status of the seed to words', async () => {
    const words: Record<string, string> = { A: 'authorized', S: 'sales', F: 'not-approved', E: 'error', B: 'blocked', RC: 'reconfirm', N: 'pending', I: 'incomplete' };
    for (const [code, word] of Object.entries(words)) {
      const r = await call(`M-txn-${code}`, schedule());
      expect([code, r.body.txnStatus, r.body.txnStatusCode]).toEqual([code, word, code]);
    }
  });

  it('answers err_code ≠ 0 with 422 and Faspay\'s words, and keeps no schedule', async () => {
    const r = await call('M-2-err', schedule());
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ ok: false, errCode: '3', errDesc: 'Card declined by the issuer', userMessage: 'Please use another card', txnStatus: 'not-approved' });
    expect((await request(h.admin).get('/internal/v1/recurring/members/M-2-err').set('Authorization', `Bearer ${h.token}`)).status).toBe(404);
  });

  it('keeps the member\'s current schedule after a successful update', async () => {
    await call('M-3', schedule({ processDates: [5, 10] }));
    const m = await request(h.admin).get('/internal/v1/recurring/members/M-3').set('Authorization', `Bearer ${h.token}`).expect(200);
    expect(m.body).toMatchObject({ memberId: 'M-3', lastOperation: 'update-card', schedule: { processDates: [5, 10], recurringAmount: '150000.00' }, faspay: { ok: true } });
  });

  it('refuses every field outside the seed\'s table with 400 naming it, and sends nothing', async () => {
    const before = stub.calls.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ memberName: 'x'.repeat(51) }, 'memberName'], [{ memberName: undefined }, 'memberName'], [{ memberEmail: 'nope' }, 'memberEmail'],
      [{ memberEmailNotif: 1 }, 'memberEmailNotif'], [{ processDates: [] }, 'processDates'], [{ processDates: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, 'processDates'],
      [{ processDates: [0] }, 'processDates[0]'], [{ processDates: [5, 5] }, 'processDates'], [{ recurringAmount: 150000 }, 'recurringAmount'],
      [{ recurringAmount: '12345678901.00' }, 'recurringAmount'], [{ startDate: '2026-11-21' }, 'startDate'], [{ startDate: '22-11-2026' }, 'startDate'],
      [{ endDate: '2026-11-21' }, 'endDate'], [{ period: 'W' }, 'period'], [{ periodAt: 0 }, 'periodAt'], [{ accumulate: 'no' }, 'accumulate'],
      [{ accumulateAt: -1 }, 'accumulateAt'], [{ status: 'on' }, 'status'],
    ];
    for (const [o, field] of cases) {
      const r = await call('M-4', schedule(o));
      expect([field, r.status, r.body.field]).toEqual([field, 400, field]);
    }
    expect((await call('bad member', schedule())).body.field).toBe('memberId');
    expect((await call('M-4', '{"memberName":')).status).toBe(400);
    expect(stub.calls.length).toBe(before);
  });

  it('answers 504 on a timeout and 502 on a 5xx or a garbled answer, saying what happened', async () => {
    const slow = await call('M-5-slow', schedule());
    expect(slow.status).toBe(504);
    expect(slow.body).toMatchObject({ ok: false, error: 'faspay_timeout' });
    expect(slow.body.message).toContain('Faspay did not answer within 500 ms');
    const down = await call('M-5-5xx', schedule());
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ error: 'faspay_unavailable', faspayHttpStatus: 503, message: 'Faspay answered HTTP 503' });
    const html = await call('M-5-html', schedule());
    expect([html.status, html.body.error]).toEqual([502, 'faspay_response']);
  });

  it('returns the stored result for a retry with the same Idempotency-Key instead of posting twice', async () => {
    const before = stub.calls.length;
    const first = await call('M-6', schedule(), { key: 'order-77-card' });
    const retry = await call('M-6', schedule(), { key: 'order-77-card' });
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(stub.calls.length).toBe(before + 1);
    const other = await call('M-6', schedule({ recurringAmount: '1.00' }), { key: 'order-77-card' });
    expect([other.status, other.body.error]).toEqual([422, 'idempotency_key_reused']);
  });

  it('lets a retry after a timeout post again under the same key (an update sets the schedule: harmless twice)', async () => {
    const before = stub.calls.length;
    expect((await call('M-7-slow', schedule(), { key: 'k-slow' })).status).toBe(504);
    expect((await call('M-7-slow', schedule(), { key: 'k-slow' })).status).toBe(504);
    expect(stub.calls.length).toBe(before + 2);
  });

  it('hands back the signed form for the Merchant Window instead of posting (?mode=window)', async () => {
    const before = stub.calls.length;
    const r = await call('201914030006', schedule(), { mode: 'window' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ mode: 'window', method: 'POST', action: expect.stringMatching(/\/recurring$/), fields: { recurring_signature: '671914b100e5259512037cafa52ebf09b4225e2b', recurring_type: '2' } });
    expect(stub.calls.length).toBe(before);
    expect((await call('M-8', schedule(), { mode: 'popup' })).body.field).toBe('mode');
  });
});

describe('Update Member toward Faspay', () => {
  it('posts to /process/update with the Update Member page\'s spellings', async () => {
    const r = await call('M-9', schedule({ period: 'D', startDate: '2026-01-01' }), { op: 'update-member' });
    expect(r.status).toBe(200);
    const sent = stub.calls.at(-1)!;
    expect(sent.path).toBe('/recurring/process/update');
    expect(sent.body).toMatchObject({ request: 'Update Member', recurring_period: 'D', recurring_period_at: '1', recurring_status: '1', card_expire_notif: '1', signature: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });
});

describe('the recurring API\'s edges', () => {
  it('needs the internal token', async () => {
    expect((await call('M-10', schedule(), { token: 'wrong' })).status).toBe(401);
  });

  it('answers 503 when the Faspay credentials are missing', async () => {
    const bare = await startHarness();
    try {
      const r = await request(bare.admin).post('/internal/v1/recurring/members/M-1/update-card').set('Authorization', `Bearer ${bare.token}`)
        .set('Content-Type', 'application/json').send(JSON.stringify(schedule()));
      expect(r.status).toBe(503);
      expect(r.body.message).toContain('set FASPAY_USER_ID, FASPAY_PASSWORD (or _FILE) and FASPAY_MERCHANT_ID');
    } finally {
      await bare.close();
    }
  });
});

describe('snap-sim faspay-recurring (the stand-in as a command)', () => {
  it('serves on a port until Ctrl-C and checks recurring_signature', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { ensureBuilt, ROOT } = await import('../helpers/spawned-service');
    const { recurringSignature } = await import('../../src/legacy/recurring-update');
    ensureBuilt();
    const pwFile = join(mkdtempSync(join(tmpdir(), 'snap-stub-')), 'pw');
    writeFileSync(pwFile, FASPAY.password);
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'snap-sim.js'), 'faspay-recurring', '--port', '0', '--user-id', FASPAY.userId, '--password-file', pwFile, '--merchant-id', FASPAY.merchantId], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /at (http:\/\/\S+)/.exec(d.toString());
        if (m !== null) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error('stub exited')));
    });
    const post = (signature: string) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ member_id: 'M-1', recurring_signature: signature }) }).then((r) => r.json() as Promise<Record<string, string>>);
    expect((await post(recurringSignature(FASPAY, 'M-1'))).err_code).toBe('0');
    expect(await post('0'.repeat(40))).toMatchObject({ err_code: '5', err_desc: 'Invalid signature' });
    child.kill('SIGINT');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  }, 30_000);
});
