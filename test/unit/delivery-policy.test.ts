import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../src/config/load-config';
import { loadSubscribers } from '../../src/config/load-subscribers';
import { parseRetryAfter, retryDelayMs, verdictOf } from '../../src/delivery/retry-policy';
import { decodeWebhookSecret, webhookSignature } from '../../src/delivery/webhook-signature';
import { newSecret } from '../helpers/subscriber-server';

describe('delivery verdicts', () => {
  it.each([
    [200, 'delivered'], [204, 'delivered'], [299, 'delivered'], [300, 'permanent'], [400, 'permanent'], [401, 'permanent'],
    [404, 'permanent'], [408, 'retry'], [410, 'gone'], [425, 'retry'], [429, 'retry'], [500, 'retry'], [503, 'retry'], [199, 'permanent'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(verdictOf(status).kind).toBe(kind);
  });
  it('keeps Retry-After for 429 and 503 only', () => {
    expect(verdictOf(429, 5000)).toEqual({ kind: 'retry', retryAfterMs: 5000 });
    expect(verdictOf(500, 5000)).toEqual({ kind: 'retry' });
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', Date.parse('2026-11-22T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', Date.parse('2026-11-22T10:00:00Z'))).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

describe('retry delays', () => {
  it('doubles from the base up to the cap, with jitter between half and all of it', () => {
    expect(retryDelayMs(1, 10_000, 3_600_000, 0)).toBe(5_000);
    expect(retryDelayMs(1, 10_000, 3_600_000, 1)).toBe(10_000);
    expect(retryDelayMs(4, 10_000, 3_600_000, 1)).toBe(80_000);
    expect(retryDelayMs(30, 10_000, 3_600_000, 1)).toBe(3_600_000);
  });
  it('lets Retry-After win, within the cap', () => {
    expect(retryDelayMs(1, 10_000, 3_600_000, 0.5, 90_000)).toBe(90_000);
    expect(retryDelayMs(1, 10_000, 3_600_000, 0.5, 86_400_000)).toBe(3_600_000);
  });
  it('spreads the default 40 attempts over about a day', () => {
    let total = 0;
    for (let retry = 1; retry < 40; retry++) total += retryDelayMs(retry, 10_000, 3_600_000, 0.5);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(26);
  });
});

describe('Standard Webhooks signature', () => {
  it('is accepted by the standardwebhooks library', () => {
    const secret = newSecret();
    const body = '{"id":"pay_1"}';
    const ts = Math.floor(Date.now() / 1000);
    const signature = webhookSignature([decodeWebhookSecret(secret)], 'pay_1', ts, body);
    expect(new Webhook(secret).verify(body, { 'webhook-id': 'pay_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature })).toEqual({ id: 'pay_1' });
  });
  it('refuses malformed and too short secrets', () => {
    expect(() => decodeWebhookSecret('secret')).toThrow('whsec_<base64>');
    expect(() => decodeWebhookSecret('whsec_AAAA')).toThrow('24 to 64 bytes');
  });
});

describe('subscribers configuration', () => {
  const file = (content: unknown): string => {
    const p = join(mkdtempSync(join(tmpdir(), 'subs-')), 'subscribers.json');
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  it('combines ORDER_WEBHOOK_URL with the subscribers file', () => {
    const subs = loadSubscribers(loadConfig({
      ORDER_WEBHOOK_URL: 'http://orders.internal/hook', ORDER_WEBHOOK_SECRET: `${newSecret()} ${newSecret()}`,
      SUBSCRIBERS_FILE: file([{ name: 'ledger', url: 'https://ledger.internal/x', secrets: [newSecret()], timeoutMs: 500 }, { name: 'analytics', queue: 'snap-events-analytics' }]),
    }));
    expect(subs.map((s) => [s.name, s.kind])).toEqual([['order-system', 'webhook'], ['ledger', 'webhook'], ['analytics', 'queue']]);
    expect(subs[0]!.kind === 'webhook' && subs[0]!.keys.length).toBe(2);
  });
  it.each([
    [[{ name: 'Bad Name', url: 'http://x', secrets: [] }], 'subscriber #1: "name" must be'],
    [[{ name: 'a', url: 'ftp://x', secrets: ['whsec_x'] }], '"url" must be an http(s) URL'],
    [[{ name: 'a', url: 'http://x' }], 'give "secrets"'],
    [[{ name: 'a', url: 'http://x', secrets: ['nope'] }], 'subscriber #1 (a): a webhook secret must look like whsec_'],
    [[{ name: 'a', queue: 'a:b' }], '"queue" must be a BullMQ queue name'],
    [[{ name: 'a', queue: 'q' }, { name: 'a', queue: 'r' }], 'subscriber name "a" is used twice'],
    [{ name: 'a' }, 'must hold a JSON array'],
    ['{', 'SUBSCRIBERS_FILE='],
    [[null], 'subscriber #1 must be an object'],
    [[{ name: 'a', url: 'http://x', secrets: [newSecret()], timeoutMs: 5 }], '"timeoutMs" must be a whole number'],
  ])('refuses %j with a message that says what to fix', (content, message) => {
    expect(() => loadSubscribers(loadConfig({ SUBSCRIBERS_FILE: file(content) }))).toThrow(message);
  });
  it('refuses a webhook URL without its secret', () => {
    expect(() => loadConfig({ ORDER_WEBHOOK_URL: 'http://x' })).toThrow('set ORDER_WEBHOOK_URL and ORDER_WEBHOOK_SECRET together');
  });
});
