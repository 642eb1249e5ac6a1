import request from 'supertest';
import { INQUIRY, inquiryBody, startHarness, type Harness } from '../helpers/harness';

const limited = (publicKeyFile: string) => `trustedProxies: ["127.0.0.1/32"]
partners:
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
    a = await startHarness({ partners: ({ publicKeyFile }) => limited(publicKeyFile) });
    // a second app instance on the same Redis namespace, with the same key pair trusted
    b = await startHarness({ namespace: a.namespace, partners: () => limited(a.partnersFile!.replace('partners.yaml', 'faspay-public.pem')) });
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
