#!/usr/bin/env node
'use strict';
// npm run bench:ab -- --a DIR [--b DIR]: two builds of the service (each DIR a checkout with a
// built dist/, default b = this one) on one Redis, measured alternately in the same rounds
// (inquiry, first payment, retried payment), so a lever's effect is a same-run ratio and not
// the machine's mood. Reports service CPU-ms per request and req/s, medians, and b/a.
// Usage: node test/bench/ab-bench.js --a /tmp/before [--b .] [--a-env K=V,…] [--b-env K=V,…] [--a-node-args='…'] [--b-node-args='…'] [--a-cgroup DIR] [--b-cgroup DIR] [--rounds 5] [--requests 10000] [--json]
//        (BENCH_STDOUT=pipe: each side's request log to a pipe read by cat, as in a pod, instead of /dev/null)
const crypto = require('node:crypto');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { cannon, cpuSeconds, dropNamespace, inquiryBody, median, paymentBody, portBlock, registerBillsDirect, rss, signed, startApi, ROOT } = require('./bench-kit');

const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, 'a-env': { type: 'string' }, 'b-env': { type: 'string' }, 'a-node-args': { type: 'string' }, 'b-node-args': { type: 'string' }, 'a-cgroup': { type: 'string' }, 'b-cgroup': { type: 'string' }, rounds: { type: 'string' }, requests: { type: 'string' }, connections: { type: 'string' }, json: { type: 'boolean' } } });
if (values.a === undefined) { console.error('usage: ab-bench.js --a DIR [--b DIR]'); process.exit(2); }
const ROUNDS = Number(values.rounds ?? 5);
const REQUESTS = Number(values.requests ?? 10000);
const CONNECTIONS = Number(values.connections ?? 50);
// --a-env / --b-env "KEY=VALUE,KEY=VALUE": settings for one side only (e.g. LOG_LEVEL=warn)
const envOf = (spec) => Object.fromEntries((spec ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
// --b-node-args='--max-semi-space-size=8 --heap-growing-percent=50': V8 flags for one side (not all are allowed in NODE_OPTIONS)
const argsOf = (s) => (s === undefined ? [] : s.split(' ').filter(Boolean));
const log = (...x) => { if (!values.json) console.error(...x); };

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const base = portBlock();
  const svc = {
    a: startApi({ ns, token, apiPort: base, adminPort: base + 2, root: path.resolve(values.a), env: envOf(values['a-env']), nodeArgs: argsOf(values['a-node-args']), cgroup: values['a-cgroup'] }),
    b: startApi({ ns, token, apiPort: base + 1, adminPort: base + 3, root: path.resolve(values.b ?? ROOT), env: envOf(values['b-env']), nodeArgs: argsOf(values['b-node-args']), cgroup: values['b-cgroup'] }),
  };
  await Promise.all([svc.a.ready, svc.b.ready]);
  // bills straight into Redis: through one side's bill API, that side alone would carry 20,000 PUTs per round and
  // their garbage into the measured scenarios (it did until 2026-12-07: A/A runs put b's CPU ×1.01–1.03 and its RSS
  // 124–179 MB against a's 133–138)
  await registerBillsDirect(ns, ['900000000001']);
  const inq = inquiryBody('900000000001');
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const row = { round };
    const pays = {};
    for (const k of ['a', 'b']) {
      const customers = Array.from({ length: REQUESTS }, (_, i) => `${round}${k === 'a' ? 1 : 2}${String(i).padStart(10, '0')}`);
      await registerBillsDirect(ns, customers);
      pays[k] = customers.map((c, i) => { const body = paymentBody(c, `ab-${ns}-${round}-${k}-${i}`); return { body, headers: signed('/v1.0/transfer-va/payment', body) }; });
    }
    const order = round % 2 === 1 ? ['a', 'b'] : ['b', 'a'];
    const run = async (name, k, p, pool) => {
      const cpu0 = cpuSeconds(svc[k].child.pid);
      const r = await cannon(svc[k].apiPort, p, pool, { connections: CONNECTIONS, amount: REQUESTS, unique: true });
      row[`${name}_${k}`] = { rps: r.requests.total / r.seconds, cpu: ((cpuSeconds(svc[k].child.pid) - cpu0) * 1000) / r.requests.total, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
    };
    for (const k of order) await run('inquiry', k, '/v1.0/transfer-va/inquiry', [{ body: inq, headers: signed('/v1.0/transfer-va/inquiry', inq) }]);
    for (const k of order) await run('firstPayment', k, '/v1.0/transfer-va/payment', pays[k]);
    for (const k of order) await run('retriedPayment', k, '/v1.0/transfer-va/payment', pays[k]);
    row.rss = { a: rss(svc.a.child.pid), b: rss(svc.b.child.pid) };
    log(`round ${round}: RSS a/b ${row.rss.a}/${row.rss.b} MB  ${['inquiry', 'firstPayment', 'retriedPayment'].map((s) => `${s} CPU-ms a/b ${row[`${s}_a`].cpu.toFixed(3)}/${row[`${s}_b`].cpu.toFixed(3)}`).join('  ')}`);
    rows.push(row);
  }
  for (const s of Object.values(svc)) s.child.kill('SIGTERM');
  await Promise.all(Object.values(svc).map((s) => s.stopped));
  await dropNamespace(ns);
  const out = {};
  for (const s of ['inquiry', 'firstPayment', 'retriedPayment']) {
    const m = (k, f) => median(rows.map((r) => r[`${s}_${k}`][f]));
    out[s] = {
      cpuMsPerRequest: { a: Number(m('a', 'cpu').toFixed(3)), b: Number(m('b', 'cpu').toFixed(3)), bToA: Number(median(rows.map((r) => r[`${s}_b`].cpu / r[`${s}_a`].cpu)).toFixed(3)) },
      rps: { a: Math.round(m('a', 'rps')), b: Math.round(m('b', 'rps')), bToA: Number(median(rows.map((r) => r[`${s}_b`].rps / r[`${s}_a`].rps)).toFixed(3)) },
      p99: { a: m('a', 'p99'), b: m('b', 'p99') },
      errors: rows.reduce((n, r) => n + r[`${s}_a`].bad + r[`${s}_b`].bad, 0),
    };
  }
  const rssMb = { a: rows.map((r) => r.rss.a), b: rows.map((r) => r.rss.b) };
  if (values.json) console.log(JSON.stringify({ rounds: ROUNDS, requests: REQUESTS, medians: out, rssMb }));
  else console.log(`RSS by round, MB: a ${rssMb.a.join(' ')}  b ${rssMb.b.join(' ')}`);
  if (!values.json) for (const [s, v] of Object.entries(out)) console.log(`${s.padEnd(15)} CPU-ms/req a ${v.cpuMsPerRequest.a} b ${v.cpuMsPerRequest.b} (b/a ${v.cpuMsPerRequest.bToA})  req/s a ${v.rps.a} b ${v.rps.b} (b/a ${v.rps.bToA})  p99 ${v.p99.a}/${v.p99.b} ms${v.errors ? `  ${v.errors} errors` : ''}`);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
