import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';
import { openApiProblems } from '../helpers/openapi-validator';
import { symmetricHeaders, tokenRequestHeaders } from '../helpers/signer';

const TOKEN_PATH = '/v1.0/access-token/b2b';
const BCA_SECRET = 'bca-client-secret-0123456789';
const DOKU_SECRET = 'doku-client-secret-9876543210';
const KEY_1 = 'first-token-signing-key-0123456789abcdef';
const KEY_2 = 'second-token-signing-key-0123456789abcdef';

const partnersYaml = (publicKeyFile: string, dir: string, keys: string) => `tokens:
  signingKeys:
${keys}
partners:
  - name: bca
    partnerId: "BCA01"
    auth: snap-symmetric
    publicKeys: [{ file: ${publicKeyFile} }]
    clientSecret: { env: BCA_SECRET }
  - name: doku
    partnerId: "DOKU1"
    auth: snap-symmetric
    publicKeys: [{ file: ${publicKeyFile} }]
    clientSecret: { file: ${join(dir, 'doku-secret')} }
  - name: faspay
    partnerId: "82150"
    auth: faspay-rsa
    publicKeys: [{ file: ${publicKeyFile} }]
`;
const K1 = '    - { id: k1, secret: { env: TOKEN_KEY_1 } }';
const K2 = '    - { id: k2, secret: { env: TOKEN_KEY_2 } }';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('generic SNAP token mode (auth: snap-symmetric)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      partnerEnv: { BCA_SECRET, TOKEN_KEY_1: KEY_1, TOKEN_KEY_2: KEY_2 },
      partners: ({ publicKeyFile, dir }) => {
        writeFileSync(join(dir, 'doku-secret'), `${DOKU_SECRET}\n`);
        return partnersYaml(publicKeyFile, dir, K1);
      },
    });
    h.secrets.add(DOKU_SECRET);
  });
  afterAll(async () => h.close());
  afterEach(() => {
    h.clock.now = T0;
  });

  const getToken = async (clientKey = 'BCA01', o: { body?: string; headers?: Record<string, string> } = {}) =>
    request(h.api).post(TOKEN_PATH).set({ ...tokenRequestHeaders(h.key.privateKey, clientKey, h.clock.now), ...o.headers })
      .send(o.body ?? '{"grantType":"client_credentials"}')
      .then((res) => {
        if (typeof res.body.accessToken === 'string') h.secrets.add(res.body.accessToken);
        expect(openApiProblems({ method: 'POST', path: TOKEN_PATH, status: res.status, body: res.body })).toBeUndefined();
        return res;
      });
  const call = (path: string, body: string, token: string, o: { secret?: string; partnerId?: string; signedBody?: string } = {}) =>
    request(h.api).post(path)
      .set(symmetricHeaders(o.secret ?? BCA_SECRET, token, body, { path, timestampMs: h.clock.now, partnerId: o.partnerId ?? 'BCA01', signedBody: o.signedBody }))
      .send(body)
      .then((res) => {
        expect(openApiProblems({ method: 'POST', path, status: res.status, body: res.body })).toBeUndefined();
        return res;
      });

  it('issues a B2B token: 2007300, Bearer, expiresIn "900", X-CLIENT-KEY echoed, a JWT for this partner', async () => {
    const res = await getToken();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ responseCode: '2007300', responseMessage: 'Successful', tokenType: 'Bearer', expiresIn: '900' });
    expect(res.headers['x-client-key']).toBe('BCA01');
    expect(res.headers['x-timestamp']).toMatch(/\+07:00$/);
    const [header] = String(res.body.accessToken).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const claims = claimsOf(res.body.accessToken);
    expect(claims).toMatchObject({ iss: 'snap-receiver', aud: 'BCA01', sub: 'BCA01', iat: T0 / 1000, exp: T0 / 1000 + 900 });
  });

  it('runs token calls through the same pipeline: inquiry, payment, one event, idempotent retry', async () => {
    const { body: { accessToken } } = await getToken();
    await h.registerBill(bill({ customerNo: '5700000001' })).expect(201);
    expect((await call(INQUIRY, inquiryBody('5700000001'), accessToken)).body.responseCode).toBe('2002400');
    const jobs = await h.jobCount();
    const paid = await call(PAYMENT, paymentBody('5700000001'), accessToken);
    expect(paid.body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(jobs + 1);
    expect((await call(PAYMENT, paymentBody('5700000001'), accessToken)).body.responseCode).toBe('2002500');
    expect(await h.jobCount()).toBe(jobs + 1);
    const line = h.logs.filter((l) => l.message === 'snap request' && l.snapService === 'payment').at(-1)!;
    expect(line).toMatchObject({ partner: 'bca', signature: { keyId: 'hmac', path: 'canonical', body: 'raw' } });
  });

  it('accepts a token up to its last second and refuses it at exp with 4012401', async () => {
    const { body: { accessToken } } = await getToken();
    h.clock.now = T0 + 899_000;
    expect((await call(INQUIRY, inquiryBody('5700000002'), accessToken)).body.responseCode).toBe('4042412');
    h.clock.now = T0 + 900_000;
    const res = await call(INQUIRY, inquiryBody('5700000002'), accessToken);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ responseCode: '4012401', responseMessage: 'Invalid Token (B2B)' });
  });

  it('refuses alg none, another algorithm, a forged signature and another partner\'s token', async () => {
    const { body: { accessToken } } = await getToken();
    const claims = claimsOf(accessToken);
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
    const hs512Input = `${b64url({ alg: 'HS512', typ: 'JWT', kid: 'k1' })}.${b64url(claims)}`;
    const hs512 = `${hs512Input}.${createHmac('sha512', KEY_1).update(hs512Input).digest('base64url')}`;
    const forgedInput = `${b64url({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${b64url({ ...claims, exp: Number(claims.exp) + 86_400 })}`;
    const forged = `${forgedInput}.${createHmac('sha256', 'not-our-key').update(forgedInput).digest('base64url')}`;
    const dokus = (await getToken('DOKU1')).body.accessToken as string;
    for (const token of [none, hs512, forged, dokus]) {
      expect((await call(INQUIRY, inquiryBody('5700000003'), token)).body.responseCode).toBe('4012401');
    }
    // DOKU's token is fine for DOKU
    expect((await call(INQUIRY, inquiryBody('5700000003'), dokus, { partnerId: 'DOKU1', secret: DOKU_SECRET })).body.responseCode).toBe('4042412');
  });

  it('refuses an HMAC over a tampered body or with another secret: 4012400 [Signature], nothing written', async () => {
    const { body: { accessToken } } = await getToken();
    const before = await h.keyCount();
    const body = paymentBody('5700000004');
    const tampered = await call(PAYMENT, body.replace('150000.00', '1.00'), accessToken, { signedBody: body });
    expect(tampered.body).toEqual({ responseCode: '4012500', responseMessage: 'Unauthorized. [Signature]' });
    expect((await call(PAYMENT, body, accessToken, { secret: DOKU_SECRET })).body.responseCode).toBe('4012500');
    expect(await h.keyCount()).toBe(before);
  });

  it('answers 4012403 without a token and 4012401 for an Authorization that is not a Bearer token', async () => {
    const body = inquiryBody('5700000005');
    const noToken = await h.post(INQUIRY, body, { partnerId: 'BCA01' });
    expect(noToken.body).toEqual({ responseCode: '4012403', responseMessage: 'Token Not Found (B2B)' });
    const basic = await h.post(INQUIRY, body, { partnerId: 'BCA01' }, { Authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.body.responseCode).toBe('4012401');
  });

  it('refuses token requests: bad signature, unknown client, a Faspay-mode partner, stale timestamp', async () => {
    const wrongKey = await getToken('BCA01', { headers: { 'X-CLIENT-KEY': 'DOKU1' } });
    expect(wrongKey.body).toEqual({ responseCode: '4017300', responseMessage: 'Unauthorized. [Signature]' });
    expect((await getToken('NOBODY')).body).toEqual({ responseCode: '4017300', responseMessage: 'Unauthorized. [Unknown client]' });
    expect((await getToken('82150')).body).toEqual({ responseCode: '4017300', responseMessage: 'Unauthorized. [Unknown client]' });
    const stale = await request(h.api).post(TOKEN_PATH).set(tokenRequestHeaders(h.key.privateKey, 'BCA01', h.clock.now - 301_000)).send('{"grantType":"client_credentials"}');
    expect(stale.body).toEqual({ responseCode: '4017300', responseMessage: 'Unauthorized. [Timestamp]' });
  });

  it('refuses bad token request bodies with 4007300, 4007301 and 4007302', async () => {
    expect((await getToken('BCA01', { body: 'grantType=client_credentials' })).body).toEqual({ responseCode: '4007300', responseMessage: 'Bad Request' });
    expect((await getToken('BCA01', { body: '{"grantType":"password"}' })).body).toEqual({ responseCode: '4007301', responseMessage: 'Invalid Field Format {grantType}' });
    expect((await getToken('BCA01', { body: '{}' })).body).toEqual({ responseCode: '4007302', responseMessage: 'Invalid Mandatory Field {grantType}' });
    const noKey = await request(h.api).post(TOKEN_PATH).set({ 'Content-Type': 'application/json', 'X-TIMESTAMP': '2026-11-22T10:00:00+07:00' }).send('{"grantType":"client_credentials"}');
    expect(noKey.body).toEqual({ responseCode: '4007302', responseMessage: 'Invalid Mandatory Field {X-CLIENT-KEY}' });
  });

  it('rotates the signing key without downtime: old tokens verify until the old key is removed', async () => {
    const old = (await getToken()).body.accessToken as string;
    writeFileSync(h.partnersFile!, partnersYaml(h.partnersFile!.replace('partners.yaml', 'faspay-public.pem'), h.dir, `${K2}\n${K1}`));
    expect(h.svc.reloadPartners('manual')).toEqual({ ok: true });
    const fresh = (await getToken()).body.accessToken as string;
    expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString()).kid).toBe('k2');
    expect((await call(INQUIRY, inquiryBody('5700000006'), old)).body.responseCode).toBe('4042412');
    expect((await call(INQUIRY, inquiryBody('5700000006'), fresh)).body.responseCode).toBe('4042412');
    writeFileSync(h.partnersFile!, partnersYaml(h.partnersFile!.replace('partners.yaml', 'faspay-public.pem'), h.dir, K2));
    expect(h.svc.reloadPartners('manual')).toEqual({ ok: true });
    expect((await call(INQUIRY, inquiryBody('5700000006'), old)).body.responseCode).toBe('4012401');
    expect((await call(INQUIRY, inquiryBody('5700000006'), fresh)).body.responseCode).toBe('4042412');
  });
});
