import request from 'supertest';
import { INQUIRY, inquiryBody, startHarness, type Harness } from '../helpers/harness';

const limited = (publicKeyFile: string) => `trustedProxies: ["127.0.0.1/32"]
tokens: { signingKeys: [{ id: k, secret: { env: TOKEN_KEY } }] }
partners:
  - name: pjp
    partnerId: "PJP1"
    auth: snap-symmetric
    publicKeys: [{ file: ${publicKeyFile} }]
    clientSecret: { env: PJP_SECRET }
    rateLimit: { requestsPerSecond: 1, burst: 2 }
  - name: faspay
    partnerId: "82150"
    auth: faspay-rsa
    publicKeys: [{ file: ${publicKeyFile} }]
    rateLimit: { requestsPerSecond: 2, burst: 3 }
`;

describe('rate limit per partner and client address, in Redis', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const partnerEnv = { TOKEN_KEY: 'token-signing-key-of-the-rate-limit-test', PJP_SECRET: 'pjp-client-secret-0123' };
    a = await startHarness({ partnerEnv, partners: ({ publicKeyFile }) => limited(publicKeyFile) });
    // a second app instance on the same Redis namespace, with the same key pair trusted
    b = await startHarness({ partnerEnv, namespace: a.namespace, partners: () => limited(a.partnersFile!.replace('partners.yaml', 'faspay-public.pem')) });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const send = (h: Harness, ip: string, now: number) => {
    h.clock.now = now;
    return request(h.api).post(INQUIRY)
      .set({ ...require('../helpers/signer').signedHeaders(a.key.privateKey, inquiryBody('5600000001'), { path: INQUIRY, timestampMs: now }), 'X-Forwarded-For': ip })
      .send(inquiryBody('5600000001'));
  };

  it('is shared by two instances: the burst of 3 is spent across both, the 4th gets 429 with Retry-After', async () => {
    const t = a.clock.now;
    const codes = [];
    for (const h of [a, b, a]) codes.push((await send(h, '149.129.213.81', t)).body.responseCode);
    expect(codes).toEqual(['4042412', '4042412', '4042412']);
    const over = await send(b, '149.129.213.81', t);
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ responseCode: '4292400', responseMessage: 'Too Many Requests' });
    expect(over.headers['retry-after']).toBe('1');
  });

  it('refills at the configured rate: one request more every 500 ms', async () => {
    const t = a.clock.now;
    expect((await send(a, '149.129.213.81', t + 499)).status).toBe(429);
    expect((await send(a, '149.129.213.81', t + 500)).body.responseCode).toBe('4042412');
    expect((await send(b, '149.129.213.81', t + 500)).status).toBe(429);
  });

  it('keeps a separate budget for another client address', async () => {
    expect((await send(a, '149.129.213.82', a.clock.now)).body.responseCode).toBe('4042412');
  });

  it('limits the token endpoint too, in a round trip of its own', async () => {
    const { tokenRequestHeaders } = await import('../helpers/signer');
    const token = (h: Harness) => request(h.api).post('/v1.0/access-token/b2b')
      .set({ ...tokenRequestHeaders(a.key.privateKey, 'PJP1', a.clock.now), 'X-Forwarded-For': '149.129.213.81' }).send('{"grantType":"client_credentials"}')
      .then((res) => {
        if (typeof res.body.accessToken === 'string') a.secrets.add(res.body.accessToken);
        return res;
      });
    expect([(await token(a)).body.responseCode, (await token(b)).body.responseCode]).toEqual(['2007300', '2007300']);
    const over = await token(a);
    expect(over.body).toEqual({ responseCode: '4297300', responseMessage: 'Too Many Requests' });
    expect(over.headers['retry-after']).toBe('1');
  });

  it('counts what it refused and never limits an unauthenticated request (nothing written before the signature)', async () => {
    const metrics = (await request(a.admin).get('/metrics')).text;
    expect(metrics).toMatch(/snap_access_denied_total\{partner="faspay",rule="rate-limit"\} [1-9]/);
    const before = await a.keyCount();
    const res = await a.post(INQUIRY, inquiryBody('5600000002'), { signedBody: 'tampered' }, { 'X-Forwarded-For': '198.51.100.1' });
    expect(res.body.responseCode).toBe('4012400');
    expect(await a.keyCount()).toBe(before);
    expect(await a.redis.exists(`${a.keyPrefix}rl:faspay:198.51.100.1`)).toBe(0);
    // while a signed request from there does take from a bucket (it lives one interval, 500 ms)
    await send(a, '198.51.100.1', a.clock.now);
    expect(await a.redis.exists(`${a.keyPrefix}rl:faspay:198.51.100.1`)).toBe(1);
  });
});

describe('the rate limit inside the ledger scripts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('charges a request once even when it claims first and runs its business step later (BILL_SOURCE=http)', async () => {
    const { RequestLedger } = await import('../../src/redis/request-ledger');
    const { RedisKeys } = await import('../../src/redis/redis-keys');
    const keys = new RedisKeys(h.keyPrefix);
    const ledger = new RequestLedger(h.svc.redis, keys);
    const partner = { name: 'faspay', partnerIds: [], auth: 'faspay-rsa' as const, publicKeys: [], clockSkewSeconds: 300, access: {}, rateLimit: { requestsPerSecond: 1, burst: 1 } };
    const rateLimit = { key: keys.rateLimit('faspay', '198.51.100.9'), intervalMs: 1000, burst: 1, partner, clientIp: '198.51.100.9' };
    const claim = (xid: string, token: string) => ({
      dedupKey: keys.dedup('inquiry', '82150', xid, '20261122'), bodyDigest: 'd', nowMs: h.clock.now, leaseMs: 30_000, ttlSeconds: 172_800, token, rateLimit,
    });
    expect(await ledger.claim(claim('xid-a', 't1'))).toEqual({ kind: 'claimed' });
    // the same request's business step: not charged again
    expect((await ledger.inquiry(claim('xid-a', 't1'), [keys.bill('1'), keys.bill('1')])).kind).toBe('bill');
    // another request within the same second is over the burst of 1
    await expect(ledger.inquiry(claim('xid-b', 't2'), [keys.bill('1'), keys.bill('1')])).rejects.toMatchObject({ rule: 'rate-limit', retryAfterSeconds: 1 });
    // and took nothing: its X-EXTERNAL-ID is still free
    expect(await h.redis.exists(keys.dedup('inquiry', '82150', 'xid-b', '20261122'))).toBe(0);
  });
});
