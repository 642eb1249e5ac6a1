import { connect } from 'node:net';
import { INQUIRY, inquiryBody, startHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { REQUEST_HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '1500' } });
});
afterAll(async () => h.close());

/** Opens a raw connection, writes `chunks` (one every `everyMs`), resolves with what came back and when the socket closed. */
function trickle(chunks: string[], everyMs: number): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = connect(Number(new URL(h.api).port), '127.0.0.1');
    let reply = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < chunks.length && !sock.destroyed) sock.write(chunks[i++]!);
    }, everyMs);
    sock.on('data', (d) => {
      reply += d.toString();
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      resolve({ reply, closedAfterMs: Date.now() - started });
    });
    setTimeout(() => {
      clearInterval(timer);
      sock.destroy();
      reject(new Error('the server kept a slow client for more than 6 s'));
    }, 6_000);
  });
}

describe('public server time limits (slow clients are cut off)', () => {
  it('closes a connection whose headers never finish, after REQUEST_HEADERS_TIMEOUT_MS', async () => {
    const { reply, closedAfterMs } = await trickle(['POST /v1.0/transfer-va/inquiry HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n', 'X-B: 1\r\n', 'X-C: 1\r\n'], 400);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('closes a connection that trickles its body, after REQUEST_TIMEOUT_MS', async () => {
    const body = inquiryBody('6100000001');
    const head = `POST ${INQUIRY} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { reply, closedAfterMs } = await trickle([head, ...body.slice(0, 12).split('')], 300);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_400);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('still serves a normal request', async () => {
    expect((await h.post(INQUIRY, inquiryBody('6100000002'))).body.responseCode).toBe('4042412');
  });
});
