import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, T0, type Harness } from '../helpers/harness';

const at = (jakarta: string) => Date.parse(`2026-11-22T${jakarta}+07:00`);
const partnerYaml = (publicKeyFile: string, name: string, id: string, lists: string) => `  - name: ${name}
    partnerId: "${id}"
    auth: faspay-rsa
    publicKeys: [{ file: ${publicKeyFile} }]
${lists}`;

const metric = async (h: Harness, name: string): Promise<string[]> =>
  (await request(h.admin).get('/metrics').expect(200)).text.split('\n').filter((l) => l.startsWith(name));

describe('the access policy: list modes checked before the signature, nothing written when they refuse', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      partners: ({ publicKeyFile }) => `trustedProxies: ["127.0.0.1/32", "10.0.0.0/8"]
partners:
${partnerYaml(publicKeyFile, 'faspay', '82150', '    ipList: { mode: allow, cidrs: ["149.129.213.0/30", "2001:db8::/126"] }')}
${partnerYaml(publicKeyFile, 'blocked-net', '70001', '    ipList: { mode: deny, cidrs: ["203.0.113.0/24"] }')}
${partnerYaml(publicKeyFile, 'night-off', '70002', '    hourList: { mode: deny, hours: ["02:00-03:00"] }')}
${partnerYaml(publicKeyFile, 'inquiry-only', '70003', '    services: { mode: allow, list: [inquiry] }')}
${partnerYaml(publicKeyFile, 'no-payments', '70004', '    services: { mode: deny, list: [payment] }')}
${partnerYaml(publicKeyFile, 'office-hours', '70005', '    hourList: { mode: allow, hours: ["08:00-17:00"] }')}
`,
    });
  });
  afterAll(async () => h.close());
  afterEach(() => {
    h.clock.now = T0;
  });

  const from = (xff: string) => ({ 'X-Forwarded-For': xff });

  it('serves the first and the last address of an allowed block, behind a trusted proxy', async () => {
    for (const addr of ['149.129.213.0', '149.129.213.3']) {
      const res = await h.post(INQUIRY, inquiryBody('5100000001'), {}, from(addr));
      expect(res.body.responseCode).toBe('4042412');
    }
  });

  it('refuses the neighbours of the block with 4012400 [Unknown client], writes nothing and keeps the X-EXTERNAL-ID free', async () => {
    const before = await h.keyCount();
    for (const addr of ['149.129.212.255', '149.129.213.4']) {
      const res = await h.post(INQUIRY, inquiryBody('5100000002'), { externalId: 'xid-ip-denied' }, from(addr));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ responseCode: '4012400', responseMessage: 'Unauthorized. [Unknown client]' });
    }
    expect(await h.keyCount()).toBe(before);
    const allowed = await h.post(INQUIRY, inquiryBody('5100000002'), { externalId: 'xid-ip-denied' }, from('149.129.213.1'));
    expect(allowed.body.responseCode).toBe('4042412');
  });

  it('matches an IPv6 block at both ends', async () => {
    expect((await h.post(INQUIRY, inquiryBody('5100000003'), {}, from('2001:db8::3'))).body.responseCode).toBe('4042412');
    expect((await h.post(INQUIRY, inquiryBody('5100000003'), {}, from('2001:db8::4'))).body.responseCode).toBe('4012400');
  });

  it('takes the right-most untrusted hop of a chain of proxies and ignores what the client wrote left of it', async () => {
    // the client wrote an allowed address itself; the hop our proxies saw is 198.51.100.7
    expect((await h.post(INQUIRY, inquiryBody('5100000004'), {}, from('149.129.213.1, 198.51.100.7, 10.1.2.3'))).body.responseCode).toBe('4012400');
    expect((await h.post(INQUIRY, inquiryBody('5100000004'), {}, from('198.51.100.7, 149.129.213.1, 10.1.2.3'))).body.responseCode).toBe('4042412');
  });

  it('logs and counts each refusal with the partner and the rule, never in the answer', async () => {
    await h.post(INQUIRY, inquiryBody('5100000005'), {}, from('149.129.213.9'));
    const line = h.logs.filter((l) => l.message === 'snap request' && l.failure === 'ip-list').at(-1)!;
    expect(line).toMatchObject({ partner: 'faspay', clientIp: '149.129.213.9', responseCode: '4012400' });
    expect(String(line.denied)).toContain('149.129.213.9 is in no allowed block');
    expect(await metric(h, 'snap_access_denied_total{partner="faspay",rule="ip-list"}')).toHaveLength(1);
  });

  it('IP deny list: refuses an address inside the block and serves one outside', async () => {
    expect((await h.post(INQUIRY, inquiryBody('5100000006'), { partnerId: '70001' }, from('203.0.113.255'))).body.responseCode).toBe('4012400');
    expect((await h.post(INQUIRY, inquiryBody('5100000006'), { partnerId: '70001' }, from('203.0.114.1'))).body.responseCode).toBe('4042412');
  });

  it('hour deny list: serves at 01:59:59 and 03:00:00 Jakarta time, refuses from 02:00:00 to 02:59:59 with 403xx06', async () => {
    for (const [time, code] of [['01:59:59', '4042412'], ['02:00:00', '4032406'], ['02:59:59', '4032406'], ['03:00:00', '4042412']] as const) {
      h.clock.now = at(time);
      const res = await h.post(INQUIRY, inquiryBody('5100000007'), { partnerId: '70002' });
      expect([time, res.body.responseCode]).toEqual([time, code]);
    }
    h.clock.now = at('02:30:00');
    const res = await h.post(PAYMENT, paymentBody('5100000007'), { partnerId: '70002' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ responseCode: '4032506', responseMessage: 'Feature Not Allowed At This Time' });
  });

  it('hour allow list: serves inside office hours only', async () => {
    h.clock.now = at('08:00:00');
    expect((await h.post(INQUIRY, inquiryBody('5100000008'), { partnerId: '70005' })).body.responseCode).toBe('4042412');
    h.clock.now = at('17:00:00');
    expect((await h.post(INQUIRY, inquiryBody('5100000008'), { partnerId: '70005' })).body.responseCode).toBe('4032406');
  });

  it('service allow list: serves inquiry and refuses payment with 4032501 Feature Not Allowed, before anything is written', async () => {
    await h.registerBill(bill({ customerNo: '5100000009' })).expect(201);
    expect((await h.post(INQUIRY, inquiryBody('5100000009'), { partnerId: '70003' })).body.responseCode).toBe('2002400');
    const before = await h.keyCount();
    const jobs = await h.jobCount();
    const res = await h.post(PAYMENT, paymentBody('5100000009'), { partnerId: '70003' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ responseCode: '4032501', responseMessage: 'Feature Not Allowed' });
    expect(await h.keyCount()).toBe(before);
    expect(await h.jobCount()).toBe(jobs);
  });

  it('service deny list: refuses the denied service only', async () => {
    expect((await h.post(PAYMENT, paymentBody('5100000010'), { partnerId: '70004' })).body.responseCode).toBe('4032501');
    expect((await h.post(INQUIRY, inquiryBody('5100000010'), { partnerId: '70004' })).body.responseCode).toBe('4042412');
  });

  it('checks the lists before the signature: a badly signed call from a denied address learns nothing more', async () => {
    const res = await h.post(INQUIRY, inquiryBody('5100000011'), { signedBody: 'tampered' }, from('149.129.213.9'));
    expect(res.body.responseCode).toBe('4012400');
    expect(res.body.responseMessage).toBe('Unauthorized. [Unknown client]');
  });

  it('answers an unknown X-PARTNER-ID like an IP refusal', async () => {
    const res = await h.post(INQUIRY, inquiryBody('5100000012'), { partnerId: '99999' });
    expect(res.body).toEqual({ responseCode: '4012400', responseMessage: 'Unauthorized. [Unknown client]' });
  });
});

describe('X-Forwarded-For from an untrusted peer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      partners: ({ publicKeyFile }) => `partners:\n${partnerYaml(publicKeyFile, 'faspay', '82150', '    ipList: { mode: allow, cidrs: ["149.129.213.81/32", "127.0.0.1/32"] }')}`,
    });
  });
  afterAll(async () => h.close());

  it('is ignored: spoofing an allowed address does not work', async () => {
    const h2 = await startHarness({
      namespace: h.namespace,
      partners: ({ publicKeyFile }) => `partners:\n${partnerYaml(publicKeyFile, 'faspay', '82150', '    ipList: { mode: allow, cidrs: ["149.129.213.81/32"] }')}`,
    });
    try {
      const res = await h2.post(INQUIRY, inquiryBody('5200000001'), {}, { 'X-Forwarded-For': '149.129.213.81' });
      expect(res.body.responseCode).toBe('4012400');
      expect(h2.logs.filter((l) => l.message === 'snap request').at(-1)).toMatchObject({ clientIp: '127.0.0.1', failure: 'ip-list' });
    } finally {
      await h2.close();
    }
  });

  it('leaves the socket peer as the client', async () => {
    expect((await h.post(INQUIRY, inquiryBody('5200000002'), {}, { 'X-Forwarded-For': '203.0.113.1' })).body.responseCode).toBe('4042412');
  });
});

describe('IPv4-mapped IPv6 peers (a dual-stack listener)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      host: '::',
      partners: ({ publicKeyFile }) => `partners:\n${partnerYaml(publicKeyFile, 'faspay', '82150', '    ipList: { mode: allow, cidrs: ["127.0.0.1/32"] }')}`,
    });
  });
  afterAll(async () => h.close());

  it('matches ::ffff:127.0.0.1 against an IPv4 rule and refuses ::1 against it', async () => {
    const v4 = await request(h.api.replace('[::1]', '127.0.0.1')).post(INQUIRY)
      .set((await import('../helpers/signer')).signedHeaders(h.key.privateKey, inquiryBody('5300000001'), { path: INQUIRY, timestampMs: h.clock.now }))
      .send(inquiryBody('5300000001'));
    expect(v4.body.responseCode).toBe('4042412');
    expect(h.logs.filter((l) => l.message === 'snap request').at(-1)!.clientIp).toBe('127.0.0.1');
    const v6 = await h.post(INQUIRY, inquiryBody('5300000001'));
    expect(v6.body.responseCode).toBe('4012400');
    expect(h.logs.filter((l) => l.message === 'snap request').at(-1)!.clientIp).toBe('::1');
  });
});

describe('content type: application/json only on SNAP routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('refuses text/plain, form bodies and no content type with 400xx00 before anything is written', async () => {
    const before = await h.keyCount();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', '']) {
      const res = await h.post(PAYMENT, paymentBody('5400000001'), {}, { 'Content-Type': type });
      expect([type, res.status, res.body]).toEqual([type, 400, { responseCode: '4002500', responseMessage: 'Bad Request' }]);
    }
    expect(await h.keyCount()).toBe(before);
  });

  it('accepts parameters and any letter case', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      expect((await h.post(INQUIRY, inquiryBody('5400000002'), {}, { 'Content-Type': type })).body.responseCode).toBe('4042412');
    }
  });

  it('answers without CORS headers, also to a preflight', async () => {
    const res = await h.post(INQUIRY, inquiryBody('5400000003'), {}, { Origin: 'https://evil.example' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(h.api).options(INQUIRY).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.body.responseCode).toBe('4052400');
  });
});

describe('public key validity windows from the partners file', () => {
  let h: Harness;
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  beforeAll(async () => {
    h = await startHarness({
      partners: ({ publicKeyFile }) => `partners:
  - name: rotating
    partnerId: "82150"
    auth: faspay-rsa
    publicKeys:
      - { file: ${publicKeyFile}, notBefore: "${iso(T0 - 3_600_000)}", notAfter: "${iso(T0 + 3_600_000)}" }
  - name: expired
    partnerId: "70009"
    auth: faspay-rsa
    publicKeys:
      - { file: ${publicKeyFile}, notAfter: "${iso(T0 - 1000)}" }
`,
    });
  });
  afterAll(async () => h.close());
  afterEach(() => {
    h.clock.now = T0;
  });

  it('accepts the key inside its window and refuses it before notBefore and after notAfter', async () => {
    const codeAt = async (now: number) => {
      h.clock.now = now;
      return (await h.post(INQUIRY, inquiryBody('6000000001'))).body.responseCode as string;
    };
    expect(await codeAt(T0)).toBe('4042412');
    expect(await codeAt(T0 - 3_600_000)).toBe('4042412');
    expect(await codeAt(T0 + 3_600_000)).toBe('4042412');
    // no key of the partner is valid then: the operator's problem, answered 500 so Faspay retries
    expect(await codeAt(T0 - 3_600_001)).toBe('5002400');
    expect(await codeAt(T0 + 3_600_001)).toBe('5002400');
    expect(h.logs.filter((l) => l.message === 'snap request').at(-1)).toMatchObject({ failure: 'key_window' });
  });

  it('shows a partner without a valid key in snap_partner_valid_keys and keeps the service ready for the others', async () => {
    expect((await request(h.admin).get('/readyz')).status).toBe(200);
    const text = (await request(h.admin).get('/metrics')).text;
    expect(text).toContain('snap_partner_valid_keys{partner="expired"} 0');
    expect(text).toContain('snap_partner_valid_keys{partner="rotating"} 1');
    expect(h.logs.find((l) => l.message === 'partner has no public key valid now: its calls are answered 5xx until a valid key is configured')).toMatchObject({ partner: 'expired' });
  });
});
