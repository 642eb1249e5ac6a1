#!/usr/bin/env node
'use strict';
// npm run bench — the receiver's hot path under autocannon on loopback, against a bare
// Express app answering the same JSON in the same round (the machine's ceiling), and against the floor of an
// inquiry (floor-app.js: body, one RSA verify, one Redis script call, answer; nothing else) whose CPU per
// request says what our own code adds on top of the work no receiver can skip.
// Scenarios: inquiry, first payments (each a new paymentRequestId on its own bill), and
// retried payments (same bodies, new X-EXTERNAL-IDs). Requests are signed before the
// measurement. Medians of 3 rounds, ratio to bare, and the service's RSS after each round.
// Usage: node test/bench/api-bench.js [--rounds 3] [--connections 50] [--requests 20000] [--json] [--profile DIR] [--cgroup DIR]
//        [--live-heap]  (after each round's RSS, the heap a full GC leaves: tells retained memory from garbage V8 has not
//        collected yet; the heap snapshot that takes it raises the later rounds' RSS, so the RSS figures do not count then)
//        BENCH_STDOUT=pipe in the environment: the service's request log goes to a pipe read by cat (as in a pod) instead of /dev/null
//        [--rate-limit off|RPS/BURST]  (default: a limit the load never reaches, so the limiter runs on every request)
//        [--bills api|direct]  (default api: bills through the service's bill API, 20k PUTs per round in the measured
//        process; direct: written straight into Redis, so the service's RSS is that of the measured requests alone)
//        [--root DIR]  (the service built in another checkout, e.g. an earlier commit with its dist/ built: the same
//        harness measures it, so a before/after comes from one machine in one hour)
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { cannon, cpuSeconds, inquiryBody, median, paymentBody, registerBills, registerBillsDirect, rss, signed, startApi } = require('./bench-kit');
const { dropNamespace, liveHeapArgs, liveHeapMb, portBlock, redisStats, PUBLIC_KEY_PEM, REDIS_URL, STDOUT } = require('./bench-kit');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, connections: { type: 'string' }, requests: { type: 'string' }, json: { type: 'boolean' }, 'live-heap': { type: 'boolean' }, profile: { type: 'string' }, 'rate-limit': { type: 'string' }, cgroup: { type: 'string' }, bills: { type: 'string' }, root: { type: 'string' } } });
const ROUNDS = Number(values.rounds ?? 3);
const CONNECTIONS = Number(values.connections ?? 50);
const REQUESTS = Number(values.requests ?? 20000);
const log = (...a) => { if (!values.json) console.error(...a); };
const BILLS = values.bills ?? 'api';
if (!['api', 'direct'].includes(BILLS)) { console.error('--bills takes api or direct'); process.exit(2); }

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const apiPort = portBlock();
  const adminPort = apiPort + 1;
  // --profile DIR writes a V8 CPU profile of the service (node --cpu-prof) for where the time goes
  const nodeArgs = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const heapDir = values['live-heap'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-heap-')) : undefined;
  if (heapDir !== undefined) nodeArgs.push(...liveHeapArgs(heapDir));
  const env = values['rate-limit'] === undefined ? {} : { SNAP_RATE_LIMIT: values['rate-limit'] };
  const root = values.root === undefined ? undefined : path.resolve(values.root);
  const { child: svc, ready, stopped } = startApi({ ns, token, apiPort, adminPort, nodeArgs, env, cgroup: values.cgroup, root });
  const bare = fork(path.join(__dirname, 'bare-app.js'), { stdio: 'ignore' });
  const floor = fork(path.join(__dirname, 'floor-app.js'), { stdio: 'ignore', env: { ...process.env, REDIS_URL, FLOOR_PUBLIC_KEY: PUBLIC_KEY_PEM, FLOOR_PREFIX: `{bench${ns}}:floor:` } });
  const redis = new (require('ioredis'))(REDIS_URL);
  const portOf = (child) => new Promise((r) => child.on('message', (m) => r(m.port)));
  const [barePort, floorPort] = await Promise.all([portOf(bare), portOf(floor)]);
  const pidOf = { [barePort]: bare.pid, [floorPort]: floor.pid, [apiPort]: svc.pid };
  await ready;

  // bills: one for inquiries, one closed bill per first payment of every round
  const register = (customerNos) => (BILLS === 'direct' ? registerBillsDirect(ns, customerNos) : registerBills(adminPort, token, customerNos));
  await register(['900000000001']);
  const inqBody = inquiryBody('900000000001');
  const results = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}: registering ${REQUESTS} bills and signing ${REQUESTS} payments…`);
    const customerNos = Array.from({ length: REQUESTS }, (_, i) => `${round}${String(i).padStart(11, '0')}`);
    await register(customerNos);
    const payments = customerNos.map((c, i) => {
      const body = paymentBody(c, `bench-${ns}-${round}-${i}`);
      return { body, headers: signed('/v1.0/transfer-va/payment', body) };
    });
    const inquiry = [{ body: inqBody, headers: signed('/v1.0/transfer-va/inquiry', inqBody) }];
    const row = { round };
    const measure = async (name, port, p, pool, unique) => {
      // CPU of the process serving the scenario (user + system, /proc/<pid>/stat), per request
      const pid = pidOf[port];
      const cpu0 = cpuSeconds(pid);
      const redis0 = await redisStats(redis);
      const r = await cannon(port, p, pool, { connections: CONNECTIONS, amount: REQUESTS, unique });
      const cpuMsPerRequest = Number((((cpuSeconds(pid) - cpu0) * 1000) / r.requests.total).toFixed(3));
      const redis1 = await redisStats(redis);
      // the two INFO calls of the measurement itself are not the service's
      const redisCommandsPerRequest = Number(((redis1.calls - redis0.calls - 2) / r.requests.total).toFixed(2));
      const redisCpuMsPerRequest = Number((((redis1.cpuSeconds - redis0.cpuSeconds) * 1000) / r.requests.total).toFixed(3));
      const commands = Object.fromEntries(Object.entries(redis1.byCommand).map(([k, v]) => [k, Number(((v - (redis0.byCommand[k] ?? 0)) / r.requests.total).toFixed(2))]).filter(([, v]) => v >= 0.01));
      const bad = r.non2xx + r.errors + r.timeouts;
      row[name] = { rps: Math.round(r.requests.total / r.seconds), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, cpuMsPerRequest, redisCpuMsPerRequest, redisCommandsPerRequest, commands };
      log(`  ${name.padEnd(16)} ${String(row[name].rps).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  ${cpuMsPerRequest} CPU-ms/req  Redis ${redisCpuMsPerRequest} CPU-ms, ${redisCommandsPerRequest} commands/req${bad ? `  (${bad} non-2xx/errors)` : ''}`);
    };
    await measure('bare', barePort, '/v1.0/transfer-va/inquiry', inquiry, true);
    await measure('floor', floorPort, '/v1.0/transfer-va/inquiry', inquiry, true);
    await measure('inquiry', apiPort, '/v1.0/transfer-va/inquiry', inquiry, true);
    await measure('firstPayment', apiPort, '/v1.0/transfer-va/payment', payments, true);
    await measure('retriedPayment', apiPort, '/v1.0/transfer-va/payment', payments, true);
    row.rssMb = rss(svc.pid);
    log(`  service RSS ${row.rssMb} MB after ${round * REQUESTS * 3} requests`);
    if (heapDir !== undefined) {
      row.liveHeapMb = await liveHeapMb(svc, adminPort, token, heapDir);
      log(`  live heap ${row.liveHeapMb} MB (after a full GC)`);
    }
    results.push(row);
  }
  svc.kill('SIGTERM');
  bare.kill('SIGTERM');
  floor.kill('SIGTERM');
  await stopped;

  const summary = {};
  for (const name of ['bare', 'floor', 'inquiry', 'firstPayment', 'retriedPayment']) {
    summary[name] = {
      rps: median(results.map((r) => r[name].rps)),
      p50: median(results.map((r) => r[name].p50)),
      p99: median(results.map((r) => r[name].p99)),
      ratioToBare: name === 'bare' ? 1 : Number(median(results.map((r) => r[name].rps / r.bare.rps)).toFixed(2)),
      cpuMsPerRequest: Number(median(results.map((r) => r[name].cpuMsPerRequest)).toFixed(3)),
      cpuRatioToBare: Number(median(results.map((r) => r[name].cpuMsPerRequest / r.bare.cpuMsPerRequest)).toFixed(2)),
      // what a scenario costs above the inquiry's floor in the same round: our code, plus a payment's extra work
      cpuMsAboveFloor: Number(median(results.map((r) => r[name].cpuMsPerRequest - r.floor.cpuMsPerRequest)).toFixed(3)),
      redisCpuMsPerRequest: Number(median(results.map((r) => r[name].redisCpuMsPerRequest)).toFixed(3)),
      redisCommandsPerRequest: Number(median(results.map((r) => r[name].redisCommandsPerRequest)).toFixed(2)),
      commands: results.at(-1)[name].commands,
    };
  }
  const out = {
    connections: CONNECTIONS, requestsPerScenario: REQUESTS, bills: BILLS, stdout: STDOUT, rounds: results, medians: summary, rssMbByRound: results.map((r) => r.rssMb),
    ...(heapDir === undefined ? {} : { liveHeapMbByRound: results.map((r) => r.liveHeapMb) }),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    ...(root === undefined ? {} : { root }),
  };
  if (values.json) console.log(JSON.stringify(out));
  else {
    console.log(`\nmedians of ${ROUNDS} rounds, ${CONNECTIONS} connections, ${REQUESTS} requests per scenario, bills ${BILLS === 'api' ? 'through the bill API' : 'written straight into Redis'}, request log to ${STDOUT === 'pipe' ? 'a pipe' : '/dev/null'} (${out.machine.cpus} × ${out.machine.model}, Node ${out.machine.node})${root === undefined ? '' : `, service built in ${root}`}`);
    for (const [k, v] of Object.entries(summary)) {
      console.log(`  ${k.padEnd(16)} ${String(Math.round(v.rps)).padStart(6)} req/s  p50 ${v.p50} ms  p99 ${v.p99} ms  ratio to bare ${v.ratioToBare}  CPU ${v.cpuMsPerRequest} ms/req (×${v.cpuRatioToBare} bare, ${v.cpuMsAboveFloor >= 0 ? '+' : ''}${v.cpuMsAboveFloor} over floor)  Redis ${v.redisCpuMsPerRequest} ms, ${v.redisCommandsPerRequest} commands/req ${JSON.stringify(v.commands)}`);
    }
    console.log(`  service RSS by round: ${out.rssMbByRound.join(', ')} MB`);
    if (heapDir !== undefined) console.log(`  live heap by round (after a full GC): ${out.liveHeapMbByRound.join(', ')} MB`);
  }
  await redis.quit();
  await dropNamespace(ns);
  if (heapDir !== undefined) fs.rmSync(heapDir, { recursive: true, force: true });
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
