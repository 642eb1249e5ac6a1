import { connect } from 'node:net';
import fc from 'fast-check';
import { bill, INQUIRY, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { formatJakarta } from '../../src/snap/timestamp';

// Property tests of the HTTP app (README "Proof under faults" → fuzzing): raw bytes on a real socket, so
// malformed header lines reach Node's parser exactly as an attacker would send them. Seeded:
// FUZZ_SEED=<seed> replays a failure, FUZZ_RUNS raises the count.
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SNAP_PATHS = [INQUIRY, PAYMENT, '/v1.0/debit/notify', '/v1.0/qr/qr-mpm-notify', '/v1.0/access-token/b2b', '/v1.0/transfer-va/status'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { SNAP_RATE_LIMIT: 'off' } });
});
afterAll(async () => h.close());

interface RawAnswer { readonly status: number; readonly headers: string; readonly body: string }

/** One request as raw bytes on its own connection; resolves with the parsed answer. */
function sendRaw(bytes: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(h.svc.publicPort!, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => { socket.destroy(); reject(new Error('no answer within 10 s')); });
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => { /* the server may close before reading everything we sent */ });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (m === null || split < 0) { reject(new Error(`not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`)); return; }
      resolve({ status: Number(m[1]), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.end(bytes);
  });
}

/** The property every answer holds: a SNAP JSON body whose code starts with the HTTP status. */
function expectSnapAnswer(a: RawAnswer): void {
  expect(a.headers).toMatch(/\r\ncontent-type: application\/json/i);
  const body = JSON.parse(a.body) as { responseCode: unknown; responseMessage: unknown };
  expect(body.responseCode).toMatch(/^\d{7}$/);
  expect(typeof body.responseMessage).toBe('string');
  expect(String(body.responseCode).slice(0, 3)).toBe(String(a.status));
  expect(a.body).not.toMatch(/at .*\.(ts|js):\d+/);
}

const SNAP_HEADERS = ['X-TIMESTAMP', 'X-SIGNATURE', 'X-PARTNER-ID', 'X-EXTERNAL-ID', 'CHANNEL-ID', 'Content-Type', 'Authorization', 'X-CLIENT-KEY', 'X-Forwarded-For', 'Accept'];

/** Header values as bytes: plausible, empty, huge, non-ASCII, with CR/LF (bare or as injection). */
const headerValue: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }).map((s) => Buffer.from(s)) },
  { weight: 4, arbitrary: fc.constantFrom('', formatJakarta(Date.parse('2026-11-22T10:00:00+07:00')), '2026-11-22T10:00:00+07:00', '9999-12-31T23:59:59+07:00', '0000-01-01T00:00:00Z',
    '82150', 'application/json', 'application/xml', 'text/plain; charset=utf-16', 'Bearer x').map((s) => Buffer.from(s)) },
  fc.integer({ min: 8_000, max: 20_000 }).map((n) => Buffer.alloc(n, 'a')),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((a) => Buffer.from(a.map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b)))),
  fc.constantFrom('a\rb', 'a\nb', 'a\r\nX-Injected: 1', 'a\r\n\r\n', '\r\n X-Folded').map((s) => Buffer.from(s)),
);

/** The headers Faspay sends, with a signature that is well-formed base64 but signs nothing. */
const plausibleHeaders = fc.record({
  'X-TIMESTAMP': fc.constantFrom(formatJakarta(Date.parse('2026-11-22T10:00:00+07:00')), '2026-11-22T10:04:59+07:00', '2026-11-22T09:55:00+07:00'),
  'X-SIGNATURE': fc.uint8Array({ minLength: 1, maxLength: 256 }).map((a) => Buffer.from(a).toString('base64')),
  'X-PARTNER-ID': fc.constantFrom('82150', '82150 ', '12345', ''),
  'X-EXTERNAL-ID': fc.stringMatching(/^\d{1,36}$/),
  'CHANNEL-ID': fc.constant('77001'),
  'Content-Type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
}, { requiredKeys: [] }).map((r) => Object.entries(r).map(([k, v]) => [k, Buffer.from(v)] as const));

const header = fc.tuple(fc.oneof(fc.constantFrom(...SNAP_HEADERS), fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/)), headerValue);

/** Bodies of every shape but the legacy Debit notification's (which is answered in its own format). */
const body: fc.Arbitrary<Buffer> = fc.oneof(
  fc.json({ depthSize: 'medium' }).map((s) => Buffer.from(s)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Buffer.from(`{"partnerServiceId":"   82150","customerNo":"1","paidAmount":{"value":${n},"currency":"IDR"}}`)),
  fc.string({ unit: 'grapheme', maxLength: 80 }).map((s) => Buffer.from(JSON.stringify({ partnerServiceId: s, customerNo: s, virtualAccountNo: s, paymentRequestId: s, inquiryRequestId: s }))),
  fc.uint8Array({ maxLength: 3_000 }).map((a) => Buffer.from(a)),
).filter((b) => !/Payment Notification|<faspay/i.test(b.toString('latin1')));

function rawRequest(method: string, path: string, headers: ReadonlyArray<readonly [string, Buffer]>, payload: Buffer): Buffer {
  const lines: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${payload.length}\r\n`)];
  for (const [name, value] of headers) lines.push(Buffer.from(`${name}: `), value, Buffer.from('\r\n'));
  lines.push(Buffer.from('\r\n'), payload);
  return Buffer.concat(lines);
}

describe('fuzzing the HTTP app with unsigned and badly signed requests', () => {
  it('answers every request with a SNAP body whose code matches the status, writes nothing, and still takes a valid payment', async () => {
    const keysBefore = await h.keyCount();
    const request = fc.record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
      path: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...SNAP_PATHS) },
        { weight: 1, arbitrary: fc.constantFrom(...SNAP_PATHS).map((p) => `${p}?x=1`) },
        { weight: 1, arbitrary: fc.webPath().filter((p) => p.startsWith('/')) },
      ),
      plausible: plausibleHeaders,
      headers: fc.oneof(fc.constant([]), fc.array(header, { maxLength: 8 })),
      duplicate: fc.boolean(),
      body,
    });
    let seen = 0;
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const all = [...r.plausible, ...r.headers];
      const headers = r.duplicate && all.length > 0 ? [...all, all[0]!, all[0]!] : all;
      const answer = await sendRaw(rawRequest(r.method, r.path, headers, r.body));
      expectSnapAnswer(answer);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      seen++;
    }), { seed: SEED, numRuns: RUNS });
    expect(seen).toBeGreaterThanOrEqual(RUNS);
    expect(await h.keyCount()).toBe(keysBefore);

    await h.registerBill(bill({ customerNo: '7100000001' })).expect(201);
    const paid = await h.post(PAYMENT, paymentBody('7100000001'));
    expect(paid.body.responseCode).toBe('2002500');
  }, 180_000);

  it('answers signed requests with arbitrary bodies with a SNAP body whose code matches the status', async () => {
    const paths = fc.constantFrom(INQUIRY, PAYMENT, '/v1.0/debit/notify', '/v1.0/qr/qr-mpm-notify');
    await fc.assert(fc.asyncProperty(paths, body, async (path, payload) => {
      const res = await h.post(path, payload.toString('utf8'));
      expect(res.headers['content-type']).toBe('application/json');
      expect(String(res.body.responseCode)).toMatch(/^\d{7}$/);
      expect(String(res.status)).toBe(String(res.body.responseCode).slice(0, 3));
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }), { seed: SEED, numRuns: RUNS });
  }, 180_000);

  it('answers a header line with a bare CR, which Node refuses before Express, as SNAP 4000000', async () => {
    const answer = await sendRaw(rawRequest('POST', PAYMENT, [['X-SIGNATURE', Buffer.from('a\rb')]], Buffer.from('{}')));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ responseCode: '4000000', responseMessage: 'Bad Request' });
  });

  it('answers headers over 16 KB as SNAP 4000000 rather than a bare 431', async () => {
    const answer = await sendRaw(rawRequest('POST', INQUIRY, [['X-SIGNATURE', Buffer.alloc(20_000, 'a')]], Buffer.from('{}')));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ responseCode: '4000000', responseMessage: 'Bad Request' });
  });
});
