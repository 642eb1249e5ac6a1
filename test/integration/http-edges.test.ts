import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { bill, INQUIRY, inquiryBody, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { waitFor } from '../helpers/subscriber-server';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { BASE_PATH: '/snap', FASPAY_PARTNER_ID: '82150,99999', BODY_LIMIT_BYTES: '2048' } });
});
afterAll(async () => h.close());

const snapShape = (res: request.Response): void => {
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-timestamp']).toMatch(/\+07:00$/);
  expect(String(res.status)).toBe(res.body.responseCode.slice(0, 3));
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
};

describe('every answer is a SNAP answer', () => {
  it('answers an unknown route with 4040000 as JSON', async () => {
    const res = await request(h.api).get('/wp-login.php');
    snapShape(res);
    expect(res.body).toEqual({ responseCode: '4040000', responseMessage: 'Not Found' });
  });

  it('answers a GET on a SNAP path with 405xx00', async () => {
    const res = await request(h.api).get(INQUIRY);
    snapShape(res);
    expect(res.body.responseCode).toBe('4052400');
  });

  it('answers an oversized body with 4002500 and never reads it into the receiver', async () => {
    const res = await request(h.api).post(PAYMENT).set('Content-Type', 'application/json').send(`{"x":"${'a'.repeat(4096)}"}`);
    snapShape(res);
    expect(res.body).toEqual({ responseCode: '4002500', responseMessage: 'Bad Request [Payload Too Large]' });
  });

  it('answers a chunked body that grows past the limit with 4002500, and one just under it normally', async () => {
    const chunked = (size: number): Promise<{ status: number; body: { responseCode: string; responseMessage: string } }> => new Promise((resolve, reject) => {
      const req = httpRequest(`${h.api}${PAYMENT}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      for (let sent = 0; sent < size; sent += 512) req.write('a'.repeat(Math.min(512, size - sent)));
      req.end();
    });
    const over = await chunked(4096);
    expect(over).toEqual({ status: 400, body: { responseCode: '4002500', responseMessage: 'Bad Request [Payload Too Large]' } });
    expect((await chunked(2000)).body.responseCode).toBe('4002502'); // read, then refused for its missing X-TIMESTAMP
  });

  it('lets go of a request whose client hangs up mid-body, writing nothing, and serves the next one', async () => {
    const keys = await h.keyCount();
    const port = Number(new URL(h.api).port);
    await new Promise<void>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(`POST ${PAYMENT} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"partial":`);
        setTimeout(() => { sock.destroy(); resolve(); }, 50);
      });
      sock.on('error', reject);
    });
    await waitFor(async () => h.logs.some((l) => l.error === 'bad_body'), 5_000, 'the abandoned request to be let go');
    expect(await h.keyCount()).toBe(keys);
    expect((await h.post(PAYMENT, paymentBody('1'), {}, { 'X-TIMESTAMP': '' })).body.responseCode).toBe('4002502');
  });

  it('refuses a compressed body with 4002500 [Content-Encoding] before reading it', async () => {
    const res = await request(h.api).post(PAYMENT).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(paymentBody('1'));
    snapShape(res);
    expect(res.body).toEqual({ responseCode: '4002500', responseMessage: 'Bad Request [Content-Encoding]' });
    expect((await h.post(PAYMENT, paymentBody('1'), {}, { 'Content-Encoding': 'identity' })).body.responseCode).not.toBe('4002500');
  });

  it('routes as before: path case and one trailing slash do not matter, the query string is ignored, anything else is 404', async () => {
    await h.registerBill(bill({ customerNo: '6000000009' })).expect(201);
    for (const path of [`${INQUIRY}/`, INQUIRY.toUpperCase(), `${INQUIRY}?x=1`]) {
      const res = await h.post(path, inquiryBody('6000000009', { inquiryRequestId: `r-${path.length}-${path.charCodeAt(1)}` }), { signedPath: path.split('?')[0]! });
      expect(res.body.responseCode).toBe('2002400');
    }
    expect((await request(h.api).post(`${INQUIRY}x`).send('{}')).body.responseCode).toBe('4040000');
    expect((await request(h.api).post(`${INQUIRY}//`).send('{}')).body.responseCode).toBe('4040000');
  });

  it('answers a GET on a legacy notification path in the legacy format with 405 and Allow: POST', async () => {
    const res = await request(h.api).get('/faspay/debit/notification');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.response_code).not.toBe('00');
  });

  it('answers a missing X-SIGNATURE with 4012400 [Signature]', async () => {
    const res = await h.post(INQUIRY, inquiryBody('1'), {}, { 'X-SIGNATURE': '' });
    snapShape(res);
    expect(res.body).toEqual({ responseCode: '4012400', responseMessage: 'Unauthorized. [Signature]' });
  });

  it('answers a missing X-TIMESTAMP with 4002402 {X-TIMESTAMP}', async () => {
    const res = await h.post(PAYMENT, paymentBody('1'), {}, { 'X-TIMESTAMP': '' });
    expect(res.body).toEqual({ responseCode: '4002502', responseMessage: 'Invalid Mandatory Field {X-TIMESTAMP}' });
  });

  it('answers a missing X-EXTERNAL-ID with 4002402 {X-EXTERNAL-ID}', async () => {
    const res = await h.post(INQUIRY, inquiryBody('1'), {}, { 'X-EXTERNAL-ID': '' });
    expect(res.body).toEqual({ responseCode: '4002402', responseMessage: 'Invalid Mandatory Field {X-EXTERNAL-ID}' });
  });

  it('answers a stale timestamp with 4012400 [Timestamp]', async () => {
    const res = await h.post(INQUIRY, inquiryBody('1'), { timestampMs: h.clock.now - 301_000 });
    expect(res.body).toEqual({ responseCode: '4012400', responseMessage: 'Unauthorized. [Timestamp]' });
  });

  it('answers an unparseable X-TIMESTAMP with 4002401 {X-TIMESTAMP}', async () => {
    const res = await h.post(INQUIRY, inquiryBody('1'), { timestamp: 'yesterday' });
    expect(res.body).toEqual({ responseCode: '4002401', responseMessage: 'Invalid Field Format {X-TIMESTAMP}' });
  });

  it('answers an X-PARTNER-ID outside FASPAY_PARTNER_ID with 4012400 [Unknown client]', async () => {
    const res = await h.post(INQUIRY, inquiryBody('1'), { partnerId: '12345' });
    expect(res.body).toEqual({ responseCode: '4012400', responseMessage: 'Unauthorized. [Unknown client]' });
    expect((await h.post(INQUIRY, inquiryBody('1'), { partnerId: '99999' })).body.responseCode).toBe('4042412');
  });

  it('serves the endpoints under BASE_PATH too, verifying the canonical or the actual path', async () => {
    await h.registerBill(bill({ customerNo: '6000000001' })).expect(201);
    const canonical = await h.post(`/snap${INQUIRY}`, inquiryBody('6000000001'), { signedPath: INQUIRY });
    expect(canonical.body.responseCode).toBe('2002400');
    const actual = await h.post(`/snap${INQUIRY}`, inquiryBody('6000000001', { inquiryRequestId: 'b' }));
    expect(actual.body.responseCode).toBe('2002400');
    expect(h.logs.filter((l) => l.signature !== undefined).slice(-2).map((l) => (l.signature as { path: string }).path)).toEqual(['canonical', 'actual']);
  });

  it('accepts a pretty-printed body signed in its minified form and logs which candidate matched', async () => {
    await h.registerBill(bill({ customerNo: '6000000002' })).expect(201);
    const compact = inquiryBody('6000000002');
    const pretty = JSON.stringify(JSON.parse(compact), null, 4);
    const res = await h.post(INQUIRY, pretty, { signedBody: compact });
    expect(res.body.responseCode).toBe('2002400');
    expect(h.logs.at(-1)).toMatchObject({ signature: { body: 'minified' } });
  });

  it('accepts a PHP-style \\/-escaped body', async () => {
    await h.registerBill(bill({ customerNo: '6000000003' })).expect(201);
    const body = String.raw`{"partnerServiceId":"  088899","customerNo":"6000000003","virtualAccountNo":"  0888996000000003","inquiryRequestId":"a\/b","additionalInfo":{"url":"https:\/\/shop.test\/x","name":"Budi \u015aantoso"}}`;
    const res = await h.post(INQUIRY, body);
    expect(res.body.responseCode).toBe('2002400');
    expect(res.body.virtualAccountData.inquiryRequestId).toBe('a/b');
  });

  it('accepts the sandbox padding quirk (signed 8-padded, sent 1-space padded)', async () => {
    await h.registerBill(bill({ customerNo: '6000000004' })).expect(201);
    const wire = JSON.stringify({ partnerServiceId: ' 088899', customerNo: '6000000004', virtualAccountNo: ' 0888996000000004', inquiryRequestId: 'q' });
    const signed = JSON.stringify({ partnerServiceId: '  088899', customerNo: '6000000004', virtualAccountNo: '  0888996000000004', inquiryRequestId: 'q' });
    const res = await h.post(INQUIRY, wire, { signedBody: signed });
    expect(res.body.responseCode).toBe('2002400');
    expect(res.body.virtualAccountData.partnerServiceId).toBe(' 088899');
  });

  it('writes one log line per request without signatures, keys or customer names', async () => {
    await h.registerBill(bill({ customerNo: '6000000005' })).expect(201);
    const res = await h.post(PAYMENT, paymentBody('6000000005'), {}, { 'X-Request-Id': 'req-42' });
    const line = h.logs.find((l) => l.requestId === 'req-42')!;
    expect(line).toMatchObject({ snapService: 'payment', partnerId: '82150', responseCode: '2002500', dedup: 'new', payment: 'accepted', httpStatus: 200 });
    expect(typeof line.latencyMs).toBe('number');
    expect(res.headers['x-request-id']).toBe('req-42');
    const all = JSON.stringify(h.logs);
    expect(all).not.toMatch(/[A-Za-z0-9+/]{300,}/); // no X-SIGNATURE (344 base64 characters)
    expect(all).not.toContain('Jokul Doe');
    expect(all).not.toContain('jokul@email.com');
    expect(all).not.toContain(h.token);
    expect(all).toContain('J**** D**');
  });
});

describe('security headers', () => {
  it('sets helmet\'s headers on every public answer, SNAP and not', async () => {
    for (const res of [await h.post(INQUIRY, inquiryBody('9100000001')), await request(h.api).get('/nowhere')]) {
      expect(res.headers).toMatchObject({ 'strict-transport-security': 'max-age=31536000; includeSubDomains', 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('answer framing', () => {
  it('writes every header once and a Content-Length that counts the bytes of a non-ASCII answer, not its characters', async () => {
    const name = 'Siti Nurhalizá ✓';
    await h.registerBill({ ...bill({ customerNo: '9100000002' }), virtualAccountName: name }).expect(201);
    const res = await h.post(INQUIRY, inquiryBody('9100000002'), {}, { 'X-Request-Id': 'req-framing' });
    expect(res.body.responseCode).toBe('2002400');
    expect(res.body.virtualAccountData.virtualAccountName).toBe(name);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(Number(res.headers['content-length'])).toBeGreaterThan(res.text.length);
    const names = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    for (const n of ['content-type', 'content-length', 'x-timestamp', 'x-request-id', 'strict-transport-security', 'date']) expect(names.filter((x) => x === n)).toHaveLength(1);
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['x-request-id']).toBe('req-framing');
  });
});
