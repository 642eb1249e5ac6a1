#!/usr/bin/env node
'use strict';
// npm run soak — a million mixed requests against one `node dist/main.js` on its embedded defaults
// (ROLE=all, development keys and token, info logging), with a real subscriber behind it.
// Departures from the defaults, each for the measurement: its own throwaway redis-server (so Redis
// memory is the service's alone), ORDER_WEBHOOK_URL and _SECRET (a subscriber that counts deliveries) and
// SNAP_RATE_LIMIT=off (one load generator on loopback is one client; the default 1000/s limit
// would measure the limiter).
// Writes reports/soak.md and reports/soak-rss.svg: RSS every 10 s with a verdict, p99 by minute,
// Redis memory per stored payment by key family and what 100k payments a day hold.
// Usage: node test/faults/soak.js [--requests 1000000] [--connections 32] [--out reports]
const { fork, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const Redis = require('ioredis');
const { cpuSeconds } = require('../bench/bench-kit');

const { values } = parseArgs({ options: { requests: { type: 'string' }, connections: { type: 'string' }, out: { type: 'string' } } });
const TOTAL = Number(values.requests ?? 1_000_000);
const CONNECTIONS = Number(values.connections ?? 32);
const OUT = path.resolve(values.out ?? path.join(__dirname, '..', '..', 'reports'));
const ROOT = path.join(__dirname, '..', '..');
const SAMPLE_MS = 10_000;
const PSID = '  088899';
const INQ = '/v1.0/transfer-va/inquiry';
const PAY = '/v1.0/transfer-va/payment';

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  s.on('error', rej);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const quantile = (sorted, q) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
const jakarta = (ms) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 19) + '+07:00';
const children = [];
const log = (...a) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---- the SNAP side: signing with the service's development Faspay key -------------------------
let privateKey;
let xid = 0;
const externalId = () => `${process.pid}${String(++xid).padStart(14, '0')}`.padStart(32, '0');
function sign(p, body) {
  const ts = jakarta(Date.now());
  const sts = `POST:${p}:${crypto.createHash('sha256').update(body).digest('hex')}:${ts}`;
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': crypto.sign('sha256', Buffer.from(sts), privateKey).toString('base64'), 'x-partner-id': '82150', 'channel-id': '77001' };
}
const inquiryBody = (c, id) => JSON.stringify({ partnerServiceId: PSID, customerNo: c, virtualAccountNo: `${PSID}${c}`, inquiryRequestId: id });
const paymentBody = (c, prid) => JSON.stringify({ partnerServiceId: PSID, customerNo: c, virtualAccountNo: `${PSID}${c}`, paymentRequestId: prid, paidAmount: { value: '150000.00', currency: 'IDR' }, trxDateTime: '2026-11-22T10:00:00+07:00', referenceNo: prid });

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS + 8 });
function call(port, method, p, headers, body) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let code;
        try { code = JSON.parse(Buffer.concat(chunks).toString()).responseCode; } catch { code = 'not-json'; }
        resolve({ status: res.statusCode, code: code ?? 'none' });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, code: `error:${e.code ?? e.message}` }));
    req.end(body);
  });
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-soak-'));
  const [redisPort, apiPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'], { stdio: 'ignore' });
  children.push(redisServer);
  const redis = new Redis({ port: redisPort, host: '127.0.0.1', retryStrategy: () => 100 });
  redis.on('error', () => undefined); // until redis-server listens
  for (let i = 0; i < 100 && (await redis.ping().catch(() => '')) !== 'PONG'; i++) await sleep(50);

  const subscriber = fork(path.join(ROOT, 'test', 'bench', 'fast-subscriber.js'), { stdio: 'ignore' });
  const subscriberPort = await new Promise((r) => subscriber.once('message', (m) => r(m.port)));
  const deliveries = () => new Promise((r) => { subscriber.once('message', (m) => r(m.count)); subscriber.send('count'); });

  const serviceLog = path.join(dir, 'service.log');
  const logFd = fs.openSync(serviceLog, 'w');
  // info lines go to /dev/null (their cost stays in the process); warnings and errors are kept
  const svc = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT, stdio: ['ignore', 'ignore', logFd],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, VAR_DIR: dir, HOST: '127.0.0.1', PORT: String(apiPort), ADMIN_PORT: String(adminPort),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`, ORDER_WEBHOOK_URL: `http://127.0.0.1:${subscriberPort}/payments`, ORDER_WEBHOOK_SECRET: `whsec_${crypto.randomBytes(32).toString('base64')}`, SNAP_RATE_LIMIT: 'off' },
  });
  children.push(svc, subscriber);
  let svcExit;
  svc.on('exit', (code, signal) => { svcExit = { code, signal }; });
  for (let i = 0; ; i++) {
    const ok = await new Promise((r) => http.get(`http://127.0.0.1:${adminPort}/readyz`, (res) => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false)));
    if (ok) break;
    if (i > 300 || svcExit) throw new Error(`service did not become ready: ${fs.readFileSync(serviceLog, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
  privateKey = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'dev-keys', 'faspay-dev-private.pem')));
  const token = fs.readFileSync(path.join(dir, 'dev-keys', 'internal-api-token'), 'utf8').trim();
  const putBill = (customerNo, amountType = 'closed') => call(adminPort, 'PUT', '/internal/v1/bills', { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    JSON.stringify({ partnerServiceId: PSID, customerNo, virtualAccountName: 'Soak', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType }));
  await putBill('800000000001', 'open');

  // ---- the mix (per 20 requests): 8 inquiries, 2 first payments, 5 retries (same body, new
  // X-EXTERNAL-ID: the stored answer), 2 byte-for-byte replays, 1 bad signature, 1 malformed
  // JSON, 1 payment to an unknown VA. Reusable signatures are refreshed every minute (skew 300 s).
  const MIX = ['inquiry', 'inquiry', 'first', 'retry', 'inquiry', 'replay', 'inquiry', 'retry', 'badSignature', 'inquiry',
    'inquiry', 'first', 'retry', 'malformed', 'inquiry', 'retry', 'replay', 'inquiry', 'unknownVa', 'retry'];
  let fixed;
  const refreshFixed = () => {
    const inq = inquiryBody('800000000001', 'soak-inquiry');
    const unknown = paymentBody('899999999999', 'soak-unknown');
    const malformed = '{"partnerServiceId":"  088899","customerNo":';
    fixed = { inquiry: { body: inq, headers: sign(INQ, inq) }, unknownVa: { body: unknown, headers: sign(PAY, unknown) }, malformed: { body: malformed, headers: sign(PAY, malformed) } };
    fixed.badSignature = { body: unknown, headers: { ...fixed.unknownVa.headers, 'x-signature': sign(PAY, `${unknown} `)['x-signature'] } };
  };
  refreshFixed();
  const refresher = setInterval(refreshFixed, 60_000);

  // first payments: a producer keeps a buffer of registered bills with signed bodies ahead of the load
  const firstNeeded = Math.ceil((TOTAL * 2) / 20);
  const ready = [];
  const recent = []; // ring of answered first payments, for retries and replays
  let produced = 0;
  let producing = true;
  const producer = (async () => {
    while (produced < firstNeeded && producing) {
      if (ready.length > 2_000) { await sleep(20); continue; }
      const batch = Array.from({ length: Math.min(100, firstNeeded - produced) }, (_, k) => String(810000000000 + produced + k));
      produced += batch.length;
      const answers = await Promise.all(batch.map((c) => putBill(c)));
      if (answers.some((a) => a.status !== 201 && a.status !== 200)) throw new Error(`bill registration failed: ${JSON.stringify(answers.find((a) => a.status >= 300))}`);
      for (const c of batch) {
        const body = paymentBody(c, `soak-${c}`);
        ready.push({ body, headers: sign(PAY, body), signedAt: Date.now() });
      }
    }
  })();

  const expected = { inquiry: ['2002400'], first: ['2002500'], retry: ['2002500'], replay: ['2002500'], badSignature: ['4012500'], malformed: ['4002500'], unknownVa: ['4042512'] };
  const latency = new Float64Array(TOTAL);
  const startedAt = Date.now();
  const minuteOf = new Uint16Array(TOTAL);
  const byClass = {};
  let sent = 0;
  let done = 0;
  let acknowledgedFirst = 0;
  const unexpected = [];
  const samples = [];
  const cpu0 = cpuSeconds(svc.pid);
  const sample = async () => {
    const info = await redis.info('memory').catch(() => '');
    samples.push({ t: (Date.now() - startedAt) / 1000, requests: done, rssMb: rssMb(svc.pid), cpuS: cpuSeconds(svc.pid) - cpu0, redisMb: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576 });
    const s = samples[samples.length - 1];
    log(`${String(done).padStart(8)} requests  RSS ${s.rssMb.toFixed(0)} MB  Redis ${s.redisMb.toFixed(0)} MB  ${(done / Math.max(1, s.t)).toFixed(0)} req/s`);
  };
  await sample();
  const sampler = setInterval(() => void sample(), SAMPLE_MS);

  const next = async () => {
    const i = sent++;
    let kind = MIX[i % MIX.length];
    if ((kind === 'retry' || kind === 'replay') && recent.length === 0) kind = 'inquiry';
    let req;
    if (kind === 'first') {
      while (ready.length === 0) await sleep(2);
      req = ready.shift();
      req.xid = externalId();
    } else if (kind === 'retry' || kind === 'replay') {
      const r = recent[Math.floor(Math.random() * recent.length)];
      if (Date.now() - r.signedAt > 240_000) Object.assign(r, { headers: sign(PAY, r.body), signedAt: Date.now() });
      req = r;
    } else req = fixed[kind];
    const p = kind === 'inquiry' ? INQ : PAY;
    const t0 = process.hrtime.bigint();
    const a = await call(apiPort, 'POST', p, { ...req.headers, 'x-external-id': kind === 'replay' ? req.xid : kind === 'first' ? req.xid : externalId() }, req.body);
    latency[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    minuteOf[i] = Math.floor((Date.now() - startedAt) / 60_000);
    const c = (byClass[kind] ??= { n: 0, codes: {} });
    c.n++;
    c.codes[a.code] = (c.codes[a.code] ?? 0) + 1;
    if (!expected[kind].includes(a.code) && unexpected.length < 50) unexpected.push({ kind, ...a });
    if (kind === 'first' && a.code === '2002500') {
      acknowledgedFirst++;
      if (recent.length < 5_000) recent.push(req); else recent[i % recent.length] = req;
    }
    done++;
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => { while (sent < TOTAL && !svcExit) await next(); }));
  const seconds = (Date.now() - startedAt) / 1000;
  producing = false;
  await producer;
  clearInterval(refresher);
  log(`load done: ${done} requests in ${seconds.toFixed(0)} s; waiting for the subscriber to see ${acknowledgedFirst} payments`);
  let delivered = 0;
  for (let i = 0; i < 240 && (delivered = await deliveries()) < acknowledgedFirst; i++) await sleep(500);
  clearInterval(sampler);
  await sample();
  const cpuMsPerRequest = ((cpuSeconds(svc.pid) - cpu0) * 1000) / done;

  // ---- Redis memory by key family: count, mean MEMORY USAGE of a sample, TTL ------------------
  const families = new Map();
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'COUNT', 2000);
    cursor = nextCursor;
    for (const k of keys) {
      const family = k.split(':').map((t) => (/\d{4,}|^[0-9a-f-]{16,}$|^soak-|^pay_|^evt_/.test(t) ? '*' : t)).join(':').replace(/(\*:)+\*/g, '*');
      const f = families.get(family) ?? { count: 0, sample: [] };
      f.count++;
      if (f.sample.length < 500) f.sample.push(k);
      families.set(family, f);
    }
  } while (cursor !== '0');
  const aliveAtEnd = svcExit === undefined;
  const rows = [];
  for (const [family, f] of families) {
    const bytes = await Promise.all(f.sample.map((k) => redis.memory('USAGE', k, 'SAMPLES', '0')));
    const ttl = await redis.ttl(f.sample[0]);
    const type = await redis.type(f.sample[0]);
    rows.push({ family, type, count: f.count, meanBytes: bytes.reduce((a, b) => a + Number(b ?? 0), 0) / bytes.length, ttlDays: ttl > 0 ? ttl / 86_400 : undefined });
  }
  rows.sort((a, b) => b.count * b.meanBytes - a.count * a.meanBytes);
  const memInfo = await redis.info('memory');
  const usedMb = Number(/used_memory:(\d+)/.exec(memInfo)[1]) / 1048576;

  svc.kill('SIGTERM');
  await new Promise((r) => (svcExit ? r() : svc.once('exit', r)));
  subscriber.send('stop');
  await redis.quit();
  redisServer.kill('SIGTERM');

  // ---- verdicts ------------------------------------------------------------------------------
  const warm = samples.filter((s) => s.requests >= Math.min(200_000, done * 0.2));
  const firstWarm = warm.slice(0, Math.max(1, Math.floor(warm.length / 3)));
  const lastWarm = warm.slice(-Math.max(1, Math.floor(warm.length / 3)));
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? 0; };
  const rssEarly = med(firstWarm.map((s) => s.rssMb));
  const rssLate = med(lastWarm.map((s) => s.rssMb));
  const growth = rssEarly === 0 ? 0 : (rssLate - rssEarly) / rssEarly;
  // growth is judged on long runs only: in the first few hundred thousand requests V8's heap is still sizing itself
  const rssVerdict = warm.length < 3 || done < 300_000 ? `too short to judge growth (${rssEarly.toFixed(0)} → ${rssLate.toFixed(0)} MB)` : growth <= 0.10 ? `flat: median RSS of the last third of the run after warm-up ${rssLate.toFixed(0)} MB vs ${rssEarly.toFixed(0)} MB in its first third (${(growth * 100).toFixed(1)} %)` : `GROWING: ${rssEarly.toFixed(0)} → ${rssLate.toFixed(0)} MB (${(growth * 100).toFixed(1)} %) after warm-up`;
  const minutes = new Map();
  for (let i = 0; i < done; i++) (minutes.get(minuteOf[i]) ?? minutes.set(minuteOf[i], []).get(minuteOf[i])).push(latency[i]);
  const perMinute = [...minutes.entries()].sort((a, b) => a[0] - b[0]).map(([m, xs]) => { xs.sort((a, b) => a - b); return { minute: m + 1, n: xs.length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: xs[xs.length - 1] }; });
  const all = Array.from(latency.subarray(0, done)).sort((a, b) => a - b);

  // the memory model: families with about one key per payment, X-EXTERNAL-ID records (one per
  // request, 48 h), and fixed structures (queue streams capped by BullMQ, sets)
  const payments = acknowledgedFirst;
  const bare = (r) => r.family.replace(/^\{[^}]*\}:?/, '');
  const isXid = (r) => /^xid:/.test(bare(r));
  const perPayment = rows.filter((r) => !isXid(r) && r.count >= payments * 0.5 && r.count <= payments * 1.5);
  const xidRows = rows.filter(isXid);
  // the queues' completed sets hold one member per job: one key, but bytes per payment
  const completedSets = rows.filter((r) => /:completed$/.test(r.family));
  const completedBytes = completedSets.reduce((a, r) => a + r.count * r.meanBytes, 0) / payments;
  const bytesPerPayment = perPayment.reduce((a, r) => a + (r.count / payments) * r.meanBytes, 0) + completedBytes;
  const xidKeys = xidRows.reduce((a, r) => a + r.count, 0);
  const bytesPerXid = xidKeys === 0 ? 0 : xidRows.reduce((a, r) => a + r.count * r.meanBytes, 0) / xidKeys;
  const day = 100_000;
  // queue jobs have no TTL: BullMQ removes completed ones after COMPLETED_JOB_RETENTION_DAYS (14)
  const retentionDays = (r) => r.ttlDays ?? (/snap-payments|snap-deliveries/.test(r.family) ? 14 : undefined);
  const dayBytes = day * (bytesPerPayment + 2 * bytesPerXid); // an inquiry and a payment, each its X-EXTERNAL-ID
  // what PAYMENT_RECORD_TTL_DAYS governs (the record, a paid bill, its lane) scales with it; the rest does not
  const steadyAt = (recordDays) => day * (perPayment.reduce((a, r) => {
    const days = retentionDays(r) === undefined ? 0 : retentionDays(r) > 30 ? recordDays : retentionDays(r);
    return a + (r.count / payments) * r.meanBytes * days;
  }, 0) + completedBytes * 14 + 2 * bytesPerXid * 2);
  const recordTtlDays = Math.round(Math.max(0, ...perPayment.map((r) => r.ttlDays ?? 0)));
  const steadyBytes = steadyAt(recordTtlDays);
  const steadyMinGb = steadyAt(31) / 1e9;
  const unbounded = perPayment.filter((r) => retentionDays(r) === undefined);
  const unboundedPerDay = day * unbounded.reduce((a, r) => a + (r.count / payments) * r.meanBytes, 0);
  const steadyGb = steadyBytes / 1e9;

  const fmt = (n, d = 1) => Number(n).toFixed(d);
  const md = [
    '# Soak', '',
    `${done.toLocaleString('en')} mixed requests (${Object.entries(byClass).map(([k, v]) => `${k} ${v.n}`).join(', ')}) in ${fmt(seconds, 0)} s (${fmt(done / seconds, 0)} req/s, ${CONNECTIONS} connections) against one \`node dist/main.js\` (ROLE=all, embedded defaults, ${process.version}) on ${os.cpus().length} CPUs; ${new Date().toISOString()}.`, '',
    `- Service alive at the end: ${aliveAtEnd ? 'yes' : `NO (${JSON.stringify(svcExit)})`}; unexpected answers: ${unexpected.length === 0 ? 'none' : unexpected.length}.`,
    `- First payments acknowledged ${payments}, delivered to the subscriber ${delivered} (the subscriber counts deliveries; the fault suite's ledger checks them one by one).`,
    `- Latency over the whole run: p50 ${fmt(quantile(all, 0.5))} ms, p99 ${fmt(quantile(all, 0.99))} ms, max ${fmt(all[all.length - 1] ?? 0)} ms. Service CPU ${fmt(cpuMsPerRequest, 3)} ms per request.`,
    `- RSS: ${rssVerdict}; peak ${fmt(Math.max(...samples.map((s) => s.rssMb)), 0)} MB. Plot: soak-rss.svg.`,
    `- Redis: ${fmt(usedMb, 0)} MB used at the end. A stored payment takes ${fmt(bytesPerPayment, 0)} bytes (families with about one key per payment, and the queues' completed sets) plus ${fmt(bytesPerXid, 0)} bytes per X-EXTERNAL-ID record (48 h). A day of 100k payments (one inquiry and one payment call each) writes ${fmt(dayBytes / 1e6, 0)} MB; held at the retentions of this run (PAYMENT_RECORD_TTL_DAYS ${recordTtlDays}, queue jobs 14 days, X-EXTERNAL-ID 2 days) 100k a day settle at ${fmt(steadyGb, 1)} GB, at PAYMENT_RECORD_TTL_DAYS=31 (the least allowed) at ${fmt(steadyMinGb, 1)} GB${unbounded.length ? `, plus ${fmt(unboundedPerDay / 1e6, 0)} MB a day that nothing expires (${unbounded.map((r) => `\`${bare(r)}\``).join(', ')}: kept until the order system deletes the bill)` : ''}.`, '',
    '## Answers by class', '', '| class | requests | answers |', '|---|---|---|',
    ...Object.entries(byClass).map(([k, v]) => `| ${k} | ${v.n} | ${Object.entries(v.codes).map(([c, n]) => `${c} × ${n}`).join(', ')} |`), '',
    ...(unexpected.length > 0 ? ['## Unexpected answers (first 50)', '', '```', ...unexpected.map((u) => JSON.stringify(u)), '```', ''] : []),
    '## p99 by minute', '', '| minute | requests | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|',
    ...perMinute.map((m) => `| ${m.minute} | ${m.n} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${fmt(m.max)} |`), '',
    '## Redis memory by key family', '', '| family | type | keys | keys per payment | mean bytes | TTL days |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| \`${r.family}\` | ${r.type} | ${r.count} | ${fmt(r.count / payments, 2)} | ${fmt(r.meanBytes, 0)} | ${r.ttlDays === undefined ? (retentionDays(r) === undefined ? '–' : `(${retentionDays(r)}: job retention)`) : fmt(r.ttlDays, 1)} |`), '',
    '## RSS samples (every 10 s)', '', '| s | requests | RSS MB | Redis MB | service CPU s |', '|---|---|---|---|---|',
    ...samples.map((s) => `| ${fmt(s.t, 0)} | ${s.requests} | ${fmt(s.rssMb)} | ${fmt(s.redisMb)} | ${fmt(s.cpuS)} |`), '',
  ];
  fs.writeFileSync(path.join(OUT, 'soak.md'), md.join('\n'));
  fs.writeFileSync(path.join(OUT, 'soak-rss.svg'), svgPlot(samples, rssVerdict));
  fs.writeFileSync(path.join(OUT, 'soak.json'), JSON.stringify({ requests: done, seconds, byClass, acknowledgedFirst: payments, delivered, unexpected, cpuMsPerRequest, p99: quantile(all, 0.99), rssEarly, rssLate, growth, bytesPerPayment, bytesPerXid, dayBytes, steadyGb, steadyMinGb, recordTtlDays, unboundedPerDay, usedMb, perMinute, families: rows, samples }, null, 1));
  const warnings = fs.readFileSync(serviceLog, 'utf8').split('\n').filter((l) => /"level":"(error|warn)"/.test(l) && !/DEVELOPMENT|development token|delivered nowhere/.test(l));
  log(`report: ${path.join(OUT, 'soak.md')}; ${warnings.length} warning/error lines in the service log${warnings.length ? `, first: ${warnings[0].slice(0, 300)}` : ''}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const pass = aliveAtEnd && unexpected.length === 0 && delivered === payments && !rssVerdict.startsWith('GROWING');
  console.log(`soak: ${done} requests, ${payments} payments acknowledged, ${delivered} delivered, unexpected ${unexpected.length}, RSS ${rssVerdict.split(':')[0]}: ${pass ? 'pass' : 'FAIL'}`);
  process.exit(pass ? 0 : 1);
})().catch((e) => {
  console.error(e);
  for (const child of children) child.kill('SIGKILL'); // no redis-server or service left behind
  process.exit(1);
});

/** RSS (left axis) and Redis used_memory (right axis) against requests served, as a small standalone SVG. */
function svgPlot(samples, verdict) {
  const W = 760, H = 360, L = 60, R = 70, T = 48, B = 50;
  const xMax = Math.max(1, ...samples.map((s) => s.requests));
  const top = (v, step) => Math.max(step, Math.ceil(v / step) * step);
  const rssMax = top(Math.max(...samples.map((s) => s.rssMb)) * 1.2, 50);
  const redisMax = top(Math.max(...samples.map((s) => s.redisMb)) * 1.1, 100);
  const x = (v) => L + ((W - L - R) * v) / xMax;
  const y = (v, max) => T + (H - T - B) * (1 - v / max);
  const line = (key, max, color) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${samples.map((s) => `${x(s.requests).toFixed(1)},${y(s[key], max).toFixed(1)}`).join(' ')}"/>`;
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const ticks = [];
  for (let i = 0; i <= 5; i++) {
    const yy = y((rssMax * i) / 5, rssMax);
    ticks.push(`<line x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${yy + 4}" text-anchor="end" fill="#c0392b">${((rssMax * i) / 5).toFixed(0)}</text>`,
      `<text x="${W - R + 6}" y="${yy + 4}" fill="#2980b9">${((redisMax * i) / 5).toFixed(0)}</text>`);
  }
  for (let i = 0; i <= 4; i++) { const v = (xMax * i) / 4; ticks.push(`<text x="${x(v)}" y="${H - B + 18}" text-anchor="middle">${Math.round(v / 1000)}k</text>`); }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${L}" y="18" font-size="14">snap-receiver soak: service RSS (MB, left) and Redis used_memory (MB, right) by requests served</text>
<text x="${L}" y="36" fill="#555">${esc(verdict)}</text>
${ticks.join('\n')}
<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">requests served</text>
${line('rssMb', rssMax, '#c0392b')}
${line('redisMb', redisMax, '#2980b9')}
<text x="${L + 10}" y="${T + 16}" fill="#c0392b">service RSS</text>
<text x="${L + 10}" y="${T + 32}" fill="#2980b9">Redis used_memory</text>
</svg>
`;
}
