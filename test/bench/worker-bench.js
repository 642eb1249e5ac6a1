#!/usr/bin/env node
'use strict';
// npm run bench:worker — events/s delivered from the snap-payments queue to a local
// subscriber that answers at once: median of 3 runs at WORKER_CONCURRENCY (default 50).
// Usage: node test/bench/worker-bench.js [--events N] [--concurrency C] [--runs R] [--json]
const { fork } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');
const { Queue } = require('bullmq');
const Redis = require('ioredis');
const dist = path.join(__dirname, '..', '..', 'dist');
const { loadConfig } = require(path.join(dist, 'config', 'load-config'));
const { startService } = require(path.join(dist, 'service'));
const { createLogger } = require(path.join(dist, 'logging', 'create-logger'));

const { values } = parseArgs({ options: { events: { type: 'string' }, concurrency: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } } });
const EVENTS = Number(values.events ?? 20000);
const CONCURRENCY = Number(values.concurrency ?? 50);
const RUNS = Number(values.runs ?? 3);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const ask = (child, msg, key) => new Promise((resolve) => {
  const on = (m) => { if (m[key] !== undefined) { child.off('message', on); resolve(m[key]); } };
  child.on('message', on);
  if (msg) child.send(msg);
});

function event(i, ns) {
  const customerNo = String(1e9 + i);
  return {
    id: `pay_bench${ns}${i}`, type: 'va.payment.received', schemaVersion: 1, receivedAt: new Date().toISOString(),
    partnerId: '82150', externalId: String(i), partnerServiceId: '  088899', customerNo, virtualAccountNo: `  088899${customerNo}`,
    paymentRequestId: `bench-${i}`, paidAmount: { value: '150000.00', currency: 'IDR' }, trxId: null, referenceNo: null, trxDateTime: null,
    channel: { channelId: '77001', channelCode: null }, flagAdvise: null, additionalInfo: null,
    bill: { virtualAccountNo: `088899${customerNo}`, partnerServiceId: '  088899', customerNo, virtualAccountName: 'Bench', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed', registeredAt: new Date().toISOString() },
    vaSequence: 1,
  };
}

async function once(subscriber, port) {
  const ns = randomBytes(4).toString('hex');
  const prefix = `bench${ns}`;
  const keyPrefix = `{bench${ns}}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const payments = new Queue('snap-payments', { connection: redis, prefix });
  for (let i = 0; i < EVENTS; i += 1000) {
    await payments.addBulk(Array.from({ length: Math.min(1000, EVENTS - i) }, (_, k) => {
      const e = event(i + k, ns);
      return { name: 'va.payment.received', data: e, opts: { jobId: e.id } };
    }));
  }
  subscriber.send('reset');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const config = loadConfig({ ROLE: 'worker', ADMIN_PORT: '0', REDIS_KEY_PREFIX: keyPrefix, QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'error' });
  const { decodeWebhookSecret } = require(path.join(dist, 'delivery', 'webhook-signature'));
  const started = process.hrtime.bigint();
  const svc = await startService({
    config, redisUrl: REDIS_URL, publicKeys: [], internalApiToken: 'x'.repeat(32), logger: createLogger('error', true),
    subscribers: [{ kind: 'webhook', name: 'bench', url: new URL(`http://127.0.0.1:${port}/`), keys: [decodeWebhookSecret(secret)], timeoutMs: 10000 }],
  });
  let delivered = 0;
  while (delivered < EVENTS) {
    await new Promise((r) => setTimeout(r, 50));
    delivered = await ask(subscriber, 'count', 'count');
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await svc.stop();
  // clean up this run's keys
  for (const pattern of [`${prefix}:*`, `${keyPrefix}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
  await payments.close();
  await redis.quit();
  return { seconds, eventsPerSecond: EVENTS / seconds };
}

(async () => {
  const subscriber = fork(path.join(__dirname, 'fast-subscriber.js'));
  const port = await ask(subscriber, undefined, 'port');
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    runs.push(await once(subscriber, port));
    if (!values.json) console.error(`run ${r + 1}: ${runs[r].eventsPerSecond.toFixed(0)} events/s (${runs[r].seconds.toFixed(2)} s)`);
  }
  subscriber.send('stop');
  const sorted = runs.map((r) => r.eventsPerSecond).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const result = {
    benchmark: 'worker delivery (snap-payments → fan-out → signed POST → subscriber)',
    events: EVENTS, concurrency: CONCURRENCY, runs: runs.map((r) => Math.round(r.eventsPerSecond)), medianEventsPerSecond: Math.round(median),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  };
  console.log(values.json ? JSON.stringify(result) : `median ${result.medianEventsPerSecond} events/s over ${RUNS} runs of ${EVENTS} events at concurrency ${CONCURRENCY} — ${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node}`);
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
