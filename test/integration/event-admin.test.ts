import request from 'supertest';
import { run } from '../../src/cli/events-cli';
import { parseDuration, parseSince } from '../../src/cli/event-admin';
import { bill, PAYMENT, paymentBody, REDIS_ENV, startHarness, type Harness } from '../helpers/harness';
import { newSecret, SubscriberServer, waitFor, webhookSubscriber } from '../helpers/subscriber-server';

const orders = new SubscriberServer();
const secret = newSecret();
let h: Harness;

beforeAll(async () => {
  await orders.start();
  h = await startHarness({
    env: { ROLE: 'all', DELIVERY_BACKOFF_BASE_MS: '20', DELIVERY_BACKOFF_CAP_MS: '50', DELIVERY_MAX_ATTEMPTS: '2', WORKER_STALLED_INTERVAL_MS: '1000' },
    subscribers: [webhookSubscriber('order-system', orders.url, [secret])],
  });
  Object.assign(process.env, {
    ...REDIS_ENV, QUEUE_PREFIX: h.queuePrefix, REDIS_KEY_PREFIX: h.keyPrefix,
    ORDER_WEBHOOK_URL: orders.url, ORDER_WEBHOOK_SECRET: secret, DELIVERY_MAX_ATTEMPTS: '2',
  });
});
afterAll(async () => {
  await h.close();
  await orders.stop();
});

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await run(args, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

let n = 0;
async function pay(): Promise<string> {
  n++;
  const customerNo = `13000000${String(n).padStart(2, '0')}`;
  await h.registerBill(bill({ customerNo })).expect(201);
  await h.post(PAYMENT, paymentBody(customerNo, { prid: `adm-${n}` }));
  const job = (await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed'])).find((j) => j.data.paymentRequestId === `adm-${n}`)!;
  return job.data.id;
}
const deliveredTimes = (id: string) => orders.received.filter((r) => r.headers['webhook-id'] === id).length;

describe('dead letters and replay (snap-events CLI)', () => {
  it('lists a dead-lettered delivery, shows its attempts, and replays it so it really is delivered', async () => {
    orders.respond = () => ({ status: 410 });
    const id = await pay();
    await waitFor(async () => (await cli('list', '--failed', '--json')).out.includes(id), 10_000, 'dead letter');
    const shown = JSON.parse((await cli('show', id, '--json')).out) as { deliveries: Array<{ state: string; attempts: Array<{ status: number }> }> };
    expect(shown.deliveries[0]).toMatchObject({ state: 'failed', attempts: [{ status: 410 }] });
    expect((await cli('show', id)).out).toContain('order-system: failed (subscriber gone (HTTP 410))');

    orders.respond = () => ({ status: 200 });
    const replay = await cli('replay', id);
    expect(replay.code).toBe(0);
    await waitFor(() => deliveredTimes(id) === 2, 10_000, 'replayed delivery');
    expect((await cli('list', '--failed')).out).not.toContain(id);
  });

  it('replays an event that was already delivered with a new job id instead of being swallowed', async () => {
    orders.respond = () => ({ status: 200 });
    const id = await pay();
    await waitFor(() => deliveredTimes(id) === 1, 10_000, 'first delivery');
    const r = await cli('replay', id);
    expect(r.out).toMatch(new RegExp(`${id}\\.order-system\\.replay-\\d+`));
    await waitFor(() => deliveredTimes(id) === 2, 10_000, 'replayed delivery');
    expect((await cli('show', id)).out.match(/order-system: completed/g)).toHaveLength(2);
  });

  it('refuses to replay an unknown event id with a clear error', async () => {
    await expect(cli('replay', 'pay_does_not_exist')).rejects.toThrow('unknown event id pay_does_not_exist');
  });

  it('replays every dead letter since a time and reports a summary', async () => {
    orders.respond = () => ({ status: 500 });
    const ids = [await pay(), await pay(), await pay()];
    await waitFor(async () => (JSON.parse((await cli('list', '--failed', '--json')).out) as unknown[]).length >= 3, 10_000, 'three dead letters');
    orders.respond = () => ({ status: 200 });
    const r = await cli('replay', '--failed', '--since', '1h');
    expect(r.out).toMatch(/^replayed [3-9]\d* dead-lettered deliveries$/);
    await waitFor(() => ids.every((id) => deliveredTimes(id) === 3), 10_000, 'two failed attempts and one replay each');
  });

  it('purges finished jobs older than a duration', async () => {
    const r = await cli('purge', '--older-than', '0s');
    expect(r.out).toMatch(/^purged \d+ delivery jobs and \d+ payment jobs older than 0s$/);
    expect((await cli('list', '--failed', '--json')).out).toBe('[]');
  });

  it('explains its usage errors', async () => {
    await expect(cli('purge')).rejects.toThrow('purge needs --older-than DURATION');
    await expect(cli('list')).rejects.toThrow('list needs --failed');
    await expect(cli('replay', '--failed', '--since', 'whenever')).rejects.toThrow('give an ISO-8601 time or a duration');
    expect((await cli('--help')).out).toContain('usage: snap-events');
  });

  it('reads durations and times', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseSince('2h', 10_000_000)).toBe(10_000_000 - 7_200_000);
    expect(parseSince('2026-11-22T00:00:00Z', 0)).toBe(Date.parse('2026-11-22T00:00:00Z'));
  });
});

describe('queue UI on ADMIN_PORT', () => {
  it('refuses requests without the internal token and asks the browser for it', async () => {
    const res = await request(h.admin).get('/admin/queues');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="snap-receiver"');
    expect((await request(h.admin).get('/admin/queues/api/queues').set('Authorization', 'Bearer wrong')).status).toBe(401);
  });

  it('serves the dashboard and its API with the token, as Bearer or as the Basic password', async () => {
    expect((await request(h.admin).get('/admin/queues').set('Authorization', `Bearer ${h.token}`)).status).toBe(200);
    const basic = Buffer.from(`ops:${h.token}`).toString('base64');
    const api = await request(h.admin).get('/admin/queues/api/queues').set('Authorization', `Basic ${basic}`);
    expect(api.status).toBe(200);
    expect(api.text).toContain('snap-deliveries');
  });
});
