import { QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { createDeliveryQueue, DELIVERY_QUEUE_NAME } from '../../src/delivery/delivery-queue';
import type { PaymentReceivedEvent } from '../../src/snap/payment-event';
import { bill, PAYMENT, paymentBody, startHarness, type Harness } from '../helpers/harness';
import { connectTestRedis } from '../helpers/test-redis';
import { newSecret, SubscriberServer, waitFor, webhookSubscriber } from '../helpers/subscriber-server';

const orders = new SubscriberServer();
const ledger = new SubscriberServer();
const ordersSecrets = [newSecret(), newSecret()];
const ledgerSecret = newSecret();
let h: Harness;
let deliveries: ReturnType<typeof createDeliveryQueue>;
let queueEvents: QueueEvents;
const deadLettered: Array<Record<string, string>> = [];

beforeAll(async () => {
  await orders.start();
  await ledger.start();
  h = await startHarness({
    env: {
      ROLE: 'all', WORKER_CONCURRENCY: '20', DELIVERY_BACKOFF_BASE_MS: '40', DELIVERY_BACKOFF_CAP_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '4', ORDERING_RETRY_DELAY_MS: '20', WORKER_STALLED_INTERVAL_MS: '1000',
    },
    subscribers: [
      webhookSubscriber('orders', orders.url, ordersSecrets, 300),
      webhookSubscriber('ledger', ledger.url, [ledgerSecret]),
      { kind: 'queue', name: 'analytics', queue: 'snap-events-analytics' },
    ],
  });
  deliveries = createDeliveryQueue(h.redis, h.queuePrefix);
  queueEvents = new QueueEvents(DELIVERY_QUEUE_NAME, { connection: connectTestRedis(), prefix: h.queuePrefix });
  queueEvents.on('dead-lettered' as 'completed', (args: unknown) => deadLettered.push(args as Record<string, string>));
  await queueEvents.waitUntilReady();
});
afterAll(async () => {
  await queueEvents.close();
  await deliveries.close();
  await h.close();
  await orders.stop();
  await ledger.stop();
});
beforeEach(() => {
  orders.respond = () => ({ status: 200 });
  ledger.respond = () => ({ status: 200 });
});

let n = 0;
async function pay(opts: { customerNo?: string; amount?: string } = {}): Promise<string> {
  n++;
  const customerNo = opts.customerNo ?? `11000000${String(n).padStart(2, '0')}`;
  if (opts.customerNo === undefined) await h.registerBill(bill({ customerNo })).expect(201);
  const res = await h.post(PAYMENT, paymentBody(customerNo, { prid: `prid-${n}`, ...(opts.amount ? { amount: opts.amount } : {}) }));
  expect(res.body.responseCode).toBe('2002500');
  const job = (await h.svc.queue!.queue.getJobs(['waiting', 'active', 'completed', 'delayed'])).find((j) => j.data.paymentRequestId === `prid-${n}`)!;
  return job.data.id;
}
const to = (s: SubscriberServer, id: string) => s.received.filter((r) => r.headers['webhook-id'] === id);

describe('delivery to order systems', () => {
  it('POSTs the event signed the Standard Webhooks way, verifiable with the public library and either secret', async () => {
    const id = await pay();
    await waitFor(() => to(orders, id).length === 1, 10_000, 'delivery');
    const r = to(orders, id)[0]!;
    const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of ordersSecrets) {
      const event = new Webhook(secret).verify(r.body, headers) as PaymentReceivedEvent;
      expect(event.id).toBe(id);
      expect(event.type).toBe('va.payment.received');
    }
    expect(() => new Webhook(ledgerSecret).verify(r.body, headers)).toThrow();
    expect(() => new Webhook(ordersSecrets[0]!).verify(r.body.replace('150000.00', '1.00'), headers)).toThrow();
    expect(r.headers['content-type']).toBe('application/json');
  });

  it('gives every subscriber every event, and copies it to a queue subscriber', async () => {
    const id = await pay();
    await waitFor(() => to(orders, id).length === 1 && to(ledger, id).length === 1, 10_000, 'both deliveries');
    const { Queue } = await import('bullmq');
    const analytics = new Queue('snap-events-analytics', { connection: h.redis.duplicate(), prefix: h.queuePrefix });
    await waitFor(async () => (await analytics.getJob(id)) !== undefined, 5_000, 'queue copy');
    expect((await analytics.getJob(id))!.data.id).toBe(id);
    await analytics.close();
  });

  it('a failing subscriber does not hold back another one', async () => {
    orders.respond = () => ({ status: 500 });
    const id = await pay();
    await waitFor(() => to(ledger, id).length === 1, 5_000, 'ledger delivery');
    await waitFor(() => to(orders, id).length === 4, 10_000, 'orders retries');
    expect(to(ledger, id)).toHaveLength(1);
  });

  it('retries 5xx and timeouts, then succeeds, keeping webhook-id and signing each attempt anew', async () => {
    orders.respond = (_r, i) => (i % 3 === 0 ? { status: 502 } : i % 3 === 1 ? { status: 200, delayMs: 600 } : { status: 200 });
    orders.received.length = 0;
    const id = await pay();
    await waitFor(async () => (await deliveries.getJob(`${id}.orders`))?.finishedOn !== undefined, 10_000, 'job done');
    const job = (await deliveries.getJob(`${id}.orders`))!;
    expect(await job.getState()).toBe('completed');
    const attempts = (await deliveries.getJobLogs(job.id!)).logs.map((l) => JSON.parse(l) as { status: number | null; error?: string });
    expect(attempts.map((a) => a.status)).toEqual([502, null, 200]);
    expect(attempts[1]!.error).toBe('timeout after 300 ms');
    expect(new Set(to(orders, id).map((r) => r.headers['webhook-id']))).toEqual(new Set([id]));
  });

  it('honours Retry-After on 429', async () => {
    orders.respond = (_r, i) => (orders.received.length === 1 || i === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 });
    orders.received.length = 0;
    const id = await pay();
    await waitFor(() => to(orders, id).length === 2, 10_000, 'second attempt');
    const [a, b] = to(orders, id);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(190); // capped at DELIVERY_BACKOFF_CAP_MS=200 here
  });

  it('dead-letters at once on 410 Gone, keeps the job failed with its attempts, and publishes dead-lettered', async () => {
    orders.respond = () => ({ status: 410 });
    const id = await pay();
    await waitFor(async () => (await deliveries.getJob(`${id}.orders`))?.failedReason !== undefined, 10_000, 'failure');
    const job = (await deliveries.getJob(`${id}.orders`))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('subscriber gone (HTTP 410)');
    await waitFor(() => deadLettered.some((d) => d.eventId === id), 5_000, 'dead-lettered event');
    expect(deadLettered.find((d) => d.eventId === id)).toMatchObject({ subscriber: 'orders', reason: 'subscriber gone (HTTP 410)' });
  });

  it('fails a 400 permanently without burning retries', async () => {
    orders.respond = () => ({ status: 400 });
    const id = await pay();
    await waitFor(async () => (await deliveries.getJob(`${id}.orders`))?.failedReason !== undefined, 10_000, 'failure');
    expect((await deliveries.getJob(`${id}.orders`))!.attemptsMade).toBe(1);
    expect(to(orders, id)).toHaveLength(1);
  });

  it('dead-letters after the last attempt with every attempt recorded', async () => {
    orders.respond = () => ({ status: 503 });
    const id = await pay();
    await waitFor(async () => (await deliveries.getJob(`${id}.orders`))?.finishedOn !== undefined, 15_000, 'exhaustion');
    const job = (await deliveries.getJob(`${id}.orders`))!;
    expect(job.attemptsMade).toBe(4);
    const logs = (await deliveries.getJobLogs(job.id!)).logs.map((l) => JSON.parse(l) as { attempt: number; status: number; latencyMs: number });
    expect(logs.map((l) => [l.attempt, l.status])).toEqual([[1, 503], [2, 503], [3, 503], [4, 503]]);
    expect(logs.every((l) => typeof l.latencyMs === 'number')).toBe(true);
    await waitFor(() => deadLettered.some((d) => d.eventId === id && d.reason === 'attempts exhausted (last: HTTP 503)'), 5_000, 'dead-lettered event');
  });

  it('delivers payments on one VA in the order they were received, even when the first needs retries', async () => {
    await h.registerBill(bill({ customerNo: '1200000001', amountType: 'open', amount: '0' })).expect(201);
    let first = true;
    orders.respond = (r) => {
      const event = JSON.parse(r.body) as PaymentReceivedEvent;
      if (event.customerNo === '1200000001' && event.vaSequence === 1 && first) {
        first = false;
        return { status: 500 };
      }
      return { status: 200 };
    };
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await pay({ customerNo: '1200000001', amount: String(i * 1000) }));
    const mine = () => orders.received.filter((r) => ids.includes(String(r.headers['webhook-id'])));
    await waitFor(() => mine().length === 6, 15_000, 'five deliveries and one retry');
    const delivered = mine().map((r) => (JSON.parse(r.body) as PaymentReceivedEvent).vaSequence);
    expect(delivered).toEqual([1, 1, 2, 3, 4, 5]);
  });
});
