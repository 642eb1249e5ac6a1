#!/usr/bin/env node
'use strict';
// npm run bench:scale — throughput of 1 and of 2 `ROLE=api` processes sharing one Redis,
// the way replicas behind a Service share it. Load: one autocannon instance per process,
// the connections split evenly, all started together; throughput = all requests / the
// slowest instance's time. Scenarios: inquiry and first payments (new paymentRequestId on its
// own bill: the full ledger + queue path). Rounds alternate 1-2-2-1-…; medians per setup.
// Usage: node test/bench/scale-bench.js [--rounds 4] [--connections 50] [--requests 20000] [--json]
const crypto = require('node:crypto');
const os = require('node:os');
const { parseArgs } = require('node:util');
const { cannon, cpuSeconds, inquiryBody, median, paymentBody, portBlock, registerBills, signed, startApi } = require('./bench-kit');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, connections: { type: 'string' }, requests: { type: 'string' }, json: { type: 'boolean' } } });
const ROUNDS = Number(values.rounds ?? 4);
const CONNECTIONS = Number(values.connections ?? 50);
const REQUESTS = Number(values.requests ?? 20000);
const log = (...a) => { if (!values.json) console.error(...a); };

/** Runs `amount` requests split over the processes, concurrently; req/s over the slowest part. */
async function spread(procs, pathName, pool, amount) {
  const share = Math.floor(amount / procs.length);
  // payments: each process gets its own slice (no body twice); the one inquiry body goes to all
  const poolOf = (i) => (pool.length >= amount ? pool.slice(i * share, (i + 1) * share) : pool);
  const cpuBefore = procs.map((p) => cpuSeconds(p.child.pid));
  const parts = await Promise.all(procs.map((p, i) => cannon(p.apiPort, pathName, poolOf(i), { connections: Math.floor(CONNECTIONS / procs.length), amount: share, unique: true })));
  const total = parts.reduce((n, r) => n + r.requests.total, 0);
  const bad = parts.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  const cpu = procs.reduce((sum, p, i) => sum + cpuSeconds(p.child.pid) - cpuBefore[i], 0);
  // requests per second of service CPU: what one core buys, whatever else shares the machine
  return { rps: Math.round(total / Math.max(...parts.map((r) => r.seconds))), p99: Math.max(...parts.map((r) => r.latency.p99)), perCpuSecond: Math.round(total / cpu), bad };
}

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const base = portBlock();
  const procs = [0, 1].map((i) => startApi({ ns, token, apiPort: base + i, adminPort: base + 2 + i }));
  await Promise.all(procs.map((p) => p.ready));
  await registerBills(procs[0].adminPort, token, ['900000000001']);
  const inq = inquiryBody('900000000001');
  const inquiry = [{ body: inq, headers: signed('/v1.0/transfer-va/inquiry', inq) }];

  const results = { 1: { inquiry: [], firstPayment: [], inquiryPerCpu: [], firstPaymentPerCpu: [] }, 2: { inquiry: [], firstPayment: [], inquiryPerCpu: [], firstPaymentPerCpu: [] } };
  for (let round = 1; round <= ROUNDS; round++) {
    const n = [1, 2, 2, 1][(round - 1) % 4];
    const customerNos = Array.from({ length: REQUESTS }, (_, i) => `${round}${String(i).padStart(11, '0')}`);
    await registerBills(procs[0].adminPort, token, customerNos);
    const payments = customerNos.map((c, i) => {
      const body = paymentBody(c, `scale-${ns}-${round}-${i}`);
      return { body, headers: signed('/v1.0/transfer-va/payment', body) };
    });
    const using = procs.slice(0, n);
    const inqR = await spread(using, '/v1.0/transfer-va/inquiry', inquiry, REQUESTS);
    const payR = await spread(using, '/v1.0/transfer-va/payment', payments, REQUESTS);
    results[n].inquiry.push(inqR.rps);
    results[n].firstPayment.push(payR.rps);
    results[n].inquiryPerCpu.push(inqR.perCpuSecond);
    results[n].firstPaymentPerCpu.push(payR.perCpuSecond);
    log(`round ${round}, ${n} process${n > 1 ? 'es' : ''}: inquiry ${inqR.rps} req/s (p99 ${inqR.p99} ms, ${inqR.perCpuSecond}/CPU-s), ` +
      `first payment ${payR.rps} req/s (p99 ${payR.p99} ms, ${payR.perCpuSecond}/CPU-s)` +
      `${inqR.bad + payR.bad > 0 ? `  (${inqR.bad + payR.bad} non-2xx/errors)` : ''}`);
  }
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.stopped));

  const summary = {};
  for (const s of ['inquiry', 'firstPayment']) {
    const one = median(results[1][s]);
    const two = median(results[2][s]);
    summary[s] = { oneProcess: one, twoProcesses: two, ratio: Number((two / one).toFixed(2)), perServiceCpuSecond: median([...results[1][`${s}PerCpu`], ...results[2][`${s}PerCpu`]]) };
  }
  const out = { connections: CONNECTIONS, requestsPerRun: REQUESTS, rounds: ROUNDS, runs: results, medians: summary, machine: { cpus: os.cpus().length, node: process.version } };
  if (values.json) console.log(JSON.stringify(out));
  else {
    console.log(`\nmedians, ${CONNECTIONS} connections in all, ${REQUESTS} requests per run (${out.machine.cpus} CPUs, Node ${out.machine.node})`);
    for (const [k, v] of Object.entries(summary)) {
      console.log(`  ${k.padEnd(13)} 1 process ${String(v.oneProcess).padStart(5)} req/s   2 processes ${String(v.twoProcesses).padStart(5)} req/s   ratio ${v.ratio}   ${v.perServiceCpuSecond} requests per service CPU-second`);
    }
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
