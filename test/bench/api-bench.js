#!/usr/bin/env node
'use strict';
// npm run bench — the receiver's hot path under autocannon on loopback, against a bare
// Express app answering the same JSON in the same round (the machine's ceiling).
// Scenarios: inquiry, first payments (each a new paymentRequestId on its own bill), and
// retried payments (same bodies, new X-EXTERNAL-IDs). Requests are signed before the
// measurement. Medians of 3 rounds, ratio to bare, and the service's RSS after each round.
// Usage: node test/bench/api-bench.js [--rounds 3] [--connections 50] [--requests 20000] [--json] [--profile DIR]
const autocannon = require('autocannon');
const { fork, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, connections: { type: 'string' }, requests: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 3);
const CONNECTIONS = Number(values.connections ?? 50);
const REQUESTS = Number(values.requests ?? 20000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.join(__dirname, '..', '..');
const log = (...a) => { if (!values.json) console.error(...a); };

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jakarta = (ms) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 19) + '+07:00';
let xid = 0;
const externalId = () => `${process.pid}${String(++xid).padStart(12, '0')}`.padStart(32, '0');
function signed(p, body) {
  const ts = jakarta(Date.now());
  const sts = `POST:${p}:${crypto.createHash('sha256').update(body).digest('hex')}:${ts}`;
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': crypto.sign('sha256', Buffer.from(sts), privateKey).toString('base64'), 'x-partner-id': '82150', 'channel-id': '77001' };
}

function waitReady(port) {
  return new Promise((resolve, reject) => {
    let n = 0;
    (function poll() {
      http.get(`http://127.0.0.1:${port}/readyz`, (r) => { r.resume(); r.statusCode === 200 ? resolve() : retry(); }).on('error', retry);
      function retry() { if (++n > 200) reject(new Error('service did not become ready')); else setTimeout(poll, 50); }
    })();
  });
}

function put(port, token, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/internal/v1/bills', method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (r) => { r.resume(); r.on('end', () => (r.statusCode < 300 ? resolve() : reject(new Error(`bill ${r.statusCode}`)))); });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function cannon(port, pathName, pool, { unique }) {
  let i = 0;
  const started = process.hrtime.bigint();
  let lastResponse = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, amount: REQUESTS,
      requests: [{ method: 'POST', path: pathName, setupRequest: (req) => {
        const r = pool[i++ % pool.length];
        return { ...req, headers: { ...r.headers, 'x-external-id': unique ? externalId() : r.xid ?? externalId() }, body: r.body };
      } }],
    }, (err, res) => (err ? reject(err) : resolve({ ...res, seconds: Number(lastResponse - started) / 1e9 })));
    // autocannon ends on its 1 s tick; time the run to its last response instead
    instance.on('response', () => { lastResponse = process.hrtime.bigint(); });
  });
}

const rss = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const [apiPort, adminPort] = [28080 + (process.pid % 1000), 29080 + (process.pid % 1000)];
  // --profile DIR writes a V8 CPU profile of the service (node --cpu-prof) for where the time goes
  const nodeArgs = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const svc = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT, stdio: 'ignore',
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ROLE: 'api', HOST: '127.0.0.1', PORT: String(apiPort), ADMIN_PORT: String(adminPort), REDIS_URL,
      REDIS_KEY_PREFIX: `{bench${ns}}:`, QUEUE_PREFIX: `bench${ns}`, FASPAY_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }), INTERNAL_API_TOKEN: token, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  });
  const bare = fork(path.join(__dirname, 'bare-app.js'), { stdio: 'ignore' });
  const barePort = await new Promise((r) => bare.on('message', (m) => r(m.port)));
  await waitReady(adminPort);

  // bills: one for inquiries, one closed bill per first payment of every round
  const psid = '  088899';
  await put(adminPort, token, { partnerServiceId: psid, customerNo: '900000000001', virtualAccountName: 'Bench', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed' });
  const inqBody = JSON.stringify({ partnerServiceId: psid, customerNo: '900000000001', virtualAccountNo: `${psid}900000000001`, inquiryRequestId: 'bench-inquiry' });
  const results = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}: registering ${REQUESTS} bills and signing ${REQUESTS} payments…`);
    const payments = [];
    for (let i = 0; i < REQUESTS; i += 200) {
      await Promise.all(Array.from({ length: Math.min(200, REQUESTS - i) }, (_, k) => {
        const customerNo = `${round}${String(i + k).padStart(11, '0')}`;
        return put(adminPort, token, { partnerServiceId: psid, customerNo, virtualAccountName: 'Bench', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed' });
      }));
    }
    for (let i = 0; i < REQUESTS; i++) {
      const customerNo = `${round}${String(i).padStart(11, '0')}`;
      const body = JSON.stringify({ partnerServiceId: psid, customerNo, virtualAccountNo: `${psid}${customerNo}`, paymentRequestId: `bench-${ns}-${round}-${i}`, paidAmount: { value: '150000.00', currency: 'IDR' }, trxDateTime: '2026-11-22T10:00:00+07:00', referenceNo: String(i) });
      payments.push({ body, headers: signed('/v1.0/transfer-va/payment', body) });
    }
    const inquiry = [{ body: inqBody, headers: signed('/v1.0/transfer-va/inquiry', inqBody) }];
    const row = { round };
    const measure = async (name, port, p, pool, unique) => {
      const r = await cannon(port, p, pool, { unique });
      const bad = r.non2xx + r.errors + r.timeouts;
      row[name] = { rps: Math.round(r.requests.total / r.seconds), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
      log(`  ${name.padEnd(16)} ${String(row[name].rps).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms${bad ? `  (${bad} non-2xx/errors)` : ''}`);
    };
    await measure('bare', barePort, '/v1.0/transfer-va/inquiry', inquiry, true);
    await measure('inquiry', apiPort, '/v1.0/transfer-va/inquiry', inquiry, true);
    await measure('firstPayment', apiPort, '/v1.0/transfer-va/payment', payments, true);
    await measure('retriedPayment', apiPort, '/v1.0/transfer-va/payment', payments, true);
    row.rssMb = rss(svc.pid);
    log(`  service RSS ${row.rssMb} MB after ${round * REQUESTS * 3} requests`);
    results.push(row);
  }
  svc.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => svc.on('exit', r));

  const summary = {};
  for (const name of ['bare', 'inquiry', 'firstPayment', 'retriedPayment']) {
    summary[name] = {
      rps: median(results.map((r) => r[name].rps)),
      p50: median(results.map((r) => r[name].p50)),
      p99: median(results.map((r) => r[name].p99)),
      ratioToBare: name === 'bare' ? 1 : Number(median(results.map((r) => r[name].rps / r.bare.rps)).toFixed(2)),
    };
  }
  const out = {
    connections: CONNECTIONS, requestsPerScenario: REQUESTS, rounds: results, medians: summary, rssMbByRound: results.map((r) => r.rssMb),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  };
  if (values.json) console.log(JSON.stringify(out));
  else {
    console.log(`\nmedians of ${ROUNDS} rounds, ${CONNECTIONS} connections, ${REQUESTS} requests per scenario (${out.machine.cpus} × ${out.machine.model}, Node ${out.machine.node})`);
    for (const [k, v] of Object.entries(summary)) console.log(`  ${k.padEnd(16)} ${String(v.rps).padStart(6)} req/s  p50 ${v.p50} ms  p99 ${v.p99} ms  ratio to bare ${v.ratioToBare}`);
    console.log(`  service RSS by round: ${out.rssMbByRound.join(', ')} MB`);
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
