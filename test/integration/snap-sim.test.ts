import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, renderExchange } from '../../src/cli/snap-sim';
import { describeCode, serialise } from '../../src/sim/snap-client';
import { REDIS_ENV, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
let keyFile: string;
const dir = mkdtempSync(join(tmpdir(), 'snap-sim-'));

beforeAll(async () => {
  h = await startHarness();
  Object.defineProperty(h.clock, 'now', { get: () => Date.now() }); // the simulator signs with the real clock
  keyFile = join(dir, 'faspay-private.pem');
  writeFileSync(keyFile, h.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
});
afterAll(async () => h.close());

async function sim(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main([...args, '--url', h.api, '--admin-url', h.admin, '--token', h.token, '--key', keyFile], (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

describe('snap-sim', () => {
  it('runs the UAT scenarios against a running service, all passing, and writes a Markdown report', async () => {
    const report = join(dir, 'uat.md');
    const r = await sim('uat', '--report', report);
    expect(r.out).toContain('all 29 scenarios passed');
    expect(r.code).toBe(0);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('**29/29 passed**');
    expect(md).toContain('| 11.5 | Duplicate X-EXTERNAL-ID with another body, same day | 4092400 | 4092400 | PASS |');
  });

  it('fails the UAT run, with a non-zero exit, when the service is signed with another key', async () => {
    const other = join(dir, 'other.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(other, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const lines: string[] = [];
    const code = await main(['uat', '--json', '--url', h.api, '--admin-url', h.admin, '--token', h.token, '--key', other, '--report', join(dir, 'bad.md')], (s) => lines.push(s));
    expect(code).toBe(1);
    expect(JSON.parse(lines.at(-1)!).failed).toBeGreaterThan(10);
  });

  it('runs a flow: registers a bill, inquires and pays', async () => {
    const r = await sim('flow', '--json');
    const x = JSON.parse(r.out) as Array<{ response: { body: { responseCode: string } }; meaning: string }>;
    expect(x.map((e) => e.response.body.responseCode)).toEqual(['2002400', '2002500']);
    expect(x[1]!.meaning).toBe('Successful (HTTP 200, payment, case 00)');
  });

  it('shows the queued event at the end of a flow', async () => {
    Object.assign(process.env, { ...REDIS_ENV, QUEUE_PREFIX: h.queuePrefix });
    const r = await sim('flow');
    expect(r.code).toBe(0);
    expect(r.out).toContain('bill after the flow: paid');
    expect(r.out).toMatch(/queued event pay_[0-9a-f]{40}:\n\{\n  "id": "pay_/);
    expect(r.out).toContain('"type": "va.payment.received"');
  });

  it('reproduces a duplicate X-EXTERNAL-ID and a retried payment', async () => {
    const flow = JSON.parse((await sim('flow', '--json', '--psid', '088899', '--amount', '5000.00')).out) as unknown[];
    expect(flow).toHaveLength(2);
    const dup = JSON.parse((await sim('inquiry', '--json', '--duplicate-external-id')).out) as Array<{ response: { body: { responseCode: string } } }>;
    expect(dup.map((e) => e.response.body.responseCode)).toEqual(['4042412', '4092400']);
  });

  it('sends the quirks it is asked for', async () => {
    expect(JSON.parse((await sim('inquiry', '--json', '--stale')).out)[0].response.body.responseCode).toBe('4012400');
    expect(JSON.parse((await sim('payment', '--json', '--tamper', '--va', '0888991234')).out)[0].response.body.responseCode).toBe('4012500');
    await expect(sim('payment', '--va', '12')).rejects.toThrow('must be digits starting with the partnerServiceId 088899');
  });

  it('explains response codes in words', () => {
    expect(describeCode('4042514')).toBe('Paid Bill (HTTP 404, payment, case 14)');
    expect(describeCode('4052400')).toBe('Requested Function Is Not Supported (HTTP 405, inquiry, case 00)');
    expect(describeCode(undefined)).toBe('not a SNAP answer');
  });

  it('serialises PHP escapes, pretty bodies and the 1-space pad', () => {
    const body = { partnerServiceId: '  088899', customerNo: '1', virtualAccountNo: '  0888991', inquiryRequestId: 'a/b é' };
    expect(serialise(body, { phpEscapes: true }).wire).toContain('"inquiryRequestId":"a\\/b \\u00e9"');
    expect(serialise(body, { pretty: true }).wire).toContain('\n  "customerNo": "1"');
    const pad = serialise(body, { pad1: true });
    expect(pad.wire).toContain('"partnerServiceId":" 088899"');
    expect(pad.signed).toContain('"partnerServiceId":"  088899"');
  });

  it('prints request and response side by side on a wide terminal', () => {
    const x = { request: { method: 'POST', url: 'u', headers: { 'X-SIGNATURE': 'x'.repeat(40) }, body: '{}' }, response: { status: 200, headers: {}, body: '{"responseCode":"2002400"}', json: { responseCode: '2002400' } }, meaning: 'Successful' };
    expect(renderExchange(x, 200)).toContain('  │  HTTP 200');
    expect(renderExchange(x, 20)).toContain('── response ──');
  });
});

describe('snap-sim in token mode (--auth snap-symmetric)', () => {
  let t: Harness;
  const secret = 'bca-client-secret-for-the-simulator';
  const secretFile = join(dir, 'bca-secret');
  beforeAll(async () => {
    writeFileSync(secretFile, `${secret}\n`);
    t = await startHarness({
      partnerEnv: { BCA_SECRET: secret, TOKEN_KEY: 'token-signing-key-of-the-sim-test-0123456789' },
      partners: ({ publicKeyFile }) => `tokens: { signingKeys: [{ id: k1, secret: { env: TOKEN_KEY } }] }
partners:
  - { name: bca, partnerId: "BCA01", auth: snap-symmetric, publicKeys: [{ file: ${publicKeyFile} }], clientSecret: { env: BCA_SECRET } }
`,
    });
    Object.defineProperty(t.clock, 'now', { get: () => Date.now() });
    writeFileSync(join(dir, 'bca-private.pem'), t.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  });
  afterAll(async () => t.close());

  const tsim = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await main([...args, '--url', t.api, '--admin-url', t.admin, '--token', t.token, '--key', join(dir, 'bca-private.pem'),
      '--auth', 'snap-symmetric', '--client-secret-file', secretFile, '--partner-id', 'BCA01'], (s) => lines.push(s));
    return { code, out: lines.join('\n') };
  };

  it('runs the UAT scenarios with the token scenarios first, all passing', async () => {
    const report = join(dir, 'uat-token.md');
    const r = await tsim('uat', '--report', report);
    expect(r.out).toContain('all 34 scenarios passed');
    expect(r.code).toBe(0);
    const md = readFileSync(report, 'utf8');
    expect(md).toContain('X-PARTNER-ID: BCA01 (token mode: B2B token + HMAC-SHA512)');
    expect(md).toContain('| T4 | Inquiry without an access token | 4012403 | 4012403 | PASS |');
  });

  it('gets a token and runs a flow with it', async () => {
    const token = JSON.parse((await tsim('token', '--json')).out) as Array<{ response: { body: { responseCode: string; tokenType: string } } }>;
    expect(token[0]!.response.body).toMatchObject({ responseCode: '2007300', tokenType: 'Bearer' });
    const flow = JSON.parse((await tsim('flow', '--json')).out) as Array<{ response: { body: { responseCode: string } } }>;
    expect(flow.map((e) => e.response.body.responseCode)).toEqual(['2002400', '2002500']);
    expect(JSON.parse((await tsim('inquiry', '--json', '--no-token')).out)[0].response.body.responseCode).toBe('4012403');
  });

  it('refuses token mode without a client secret file', async () => {
    await expect(main(['inquiry', '--auth', 'snap-symmetric', '--key', join(dir, 'bca-private.pem')], () => undefined)).rejects.toThrow('--auth snap-symmetric needs --client-secret-file FILE');
  });
});

describe('snap-sim for the card notifications', () => {
  let c: Harness;
  const pw = join(dir, 'faspay-password');
  const ccPw = join(dir, 'cc-password');
  beforeAll(async () => {
    writeFileSync(pw, 'sim-recurring-password-01\n');
    writeFileSync(ccPw, 'sim-cc-txn-password-01\n');
    c = await startHarness({
      faspay: { faspay: { userId: 'bot98765', password: 'sim-recurring-password-01', merchantId: '98765' }, card: { ccMerchantId: 'TEST01', ccTxnPassword: 'sim-cc-txn-password-01' }, missing: [] },
      env: { FASPAY_MERCHANT_ID: '98765', FASPAY_NOTIFY_IPS: '127.0.0.1/32' },
    });
    Object.defineProperty(c.clock, 'now', { get: () => Date.now() });
    writeFileSync(join(dir, 'card-harness-private.pem'), c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  });
  afterAll(async () => c.close());
  const creds = ['--user-id', 'bot98765', '--password-file', pw, '--merchant-id', '98765', '--cc-merchant-id', 'TEST01', '--cc-txn-password-file', ccPw];
  const csim = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await main([...args, '--url', c.api, '--admin-url', c.admin, '--token', c.token, '--key', join(dir, 'card-harness-private.pem'), ...creds], (s) => lines.push(s));
    return { code, out: lines.join('\n') };
  };

  it('sends a signed recurring notification and its resend, both acknowledged', async () => {
    const r = await csim('cc-payment-notify', '--json', '--retry', '--trx-id', 'SIM-T1', '--member-id', 'SIM-M1');
    expect(r.code).toBe(0);
    const x = JSON.parse(r.out) as Array<{ response: { body: { response_code: string } }; meaning: string }>;
    expect(x.map((e) => e.response.body.response_code)).toEqual(['00', '00']);
    expect(x[0]!.meaning).toBe('acknowledged (Faspay stops resending)');
  });

  it('tampers on request and the service refuses it', async () => {
    const r = await csim('cc-callback', '--json', '--tamper', '--form');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)[0].response.body.response_code).toBe('01');
    expect(JSON.parse((await csim('cc-expired', '--json', '--member-id', 'SIM-NOBODY')).out)[0].response.body.response_code).toBe('03');
  });

  it('runs the UAT scenarios with the card and legacy Debit scenarios, all passing', async () => {
    const r = await csim('uat', '--report', join(dir, 'uat-card.md'));
    expect(r.out).toContain('all 39 scenarios passed');
    expect(readFileSync(join(dir, 'uat-card.md'), 'utf8')).toContain('| C3 | Recurring notification with a changed status | 01 | 01 | PASS |');
  });

  it('sends legacy Debit notifications as XML or JSON, to the Debit URL or to the SNAP payment URL', async () => {
    const xml = await csim('legacy-notify', '--json', '--format', 'xml', '--retry', '--bill-no', 'SIM-B1');
    expect(xml.code).toBe(0);
    const x = JSON.parse(xml.out) as Array<{ response: { body: string } }>;
    expect(x).toHaveLength(2);
    expect(x[0]!.response.body).toContain('<response_code>00</response_code>');
    const snapUrl = JSON.parse((await csim('legacy-notify', '--json', '--to-snap-url', '--status', '4')).out) as Array<{ request: { url: string }; response: { body: { response_code: string } } }>;
    expect(snapUrl[0]!.request.url).toMatch(/\/v1\.0\/transfer-va\/payment$/);
    expect(snapUrl[0]!.response.body.response_code).toBe('00');
    await expect(csim('legacy-notify', '--format', 'yaml')).rejects.toThrow('--format is xml or json');
  });

  it('sends SNAP Direct Debit and QRIS notifications, with the quirks', async () => {
    const dd = JSON.parse((await csim('dd-notify', '--json', '--retry', '--reference', 'SIM-DD-1', '--status', '03')).out) as Array<{ response: { body: { responseCode: string } }; meaning: string }>;
    expect(dd.map((e) => e.response.body.responseCode)).toEqual(['2005600', '2005600']);
    expect(dd[0]!.meaning).toBe('Successful (HTTP 200, direct debit notify, case 00)');
    expect(JSON.parse((await csim('qris-notify', '--json', '--pretty')).out)[0].response.body.responseCode).toBe('2005200');
    expect(JSON.parse((await csim('qris-notify', '--json', '--tamper')).out)[0].response.body.responseCode).toBe('4015200');
  });

  it('says which credentials a card command needs', async () => {
    await expect(main(['cc-callback', '--url', c.api], () => undefined)).rejects.toThrow('cc-callback needs --cc-merchant-id and --cc-txn-password-file');
  });
});
