#!/usr/bin/env node
'use strict';
// npm run bench:bills -- --a DIR [--b DIR]: the bill API's cost (PUT /internal/v1/bills, what an order
// system calls per order) in two builds of the service (each DIR a checkout with a built dist/, default
// b = this one), up at the same time and measured alternately in the same rounds: service CPU-ms per
// bill, the wall time of a round and the RSS after it, medians and b/a.
// Usage: node test/bench/bill-bench.js --a DIR [--b DIR] [--rounds 4] [--bills 20000] [--json]
const crypto = require('node:crypto');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { cpuSeconds, dropNamespace, median, portBlock, registerBills, rss, startApi, ROOT } = require('./bench-kit');

const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, rounds: { type: 'string' }, bills: { type: 'string' }, json: { type: 'boolean' } } });
if (values.a === undefined) { console.error('usage: bill-bench.js --a DIR [--b DIR] [--rounds 4] [--bills 20000]'); process.exit(2); }
const ROUNDS = Number(values.rounds ?? 4);
const BILLS = Number(values.bills ?? 20000);
const log = (...x) => { if (!values.json) console.error(...x); };

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const base = portBlock();
  // each side in its own namespace: both register the same customer numbers
  const sides = {
    a: { ns: `${ns}a`, ...startApi({ ns: `${ns}a`, token, apiPort: base, adminPort: base + 2, root: path.resolve(values.a) }) },
    b: { ns: `${ns}b`, ...startApi({ ns: `${ns}b`, token, apiPort: base + 1, adminPort: base + 3, root: path.resolve(values.b ?? ROOT) }) },
  };
  await Promise.all([sides.a.ready, sides.b.ready]);
  const rows = { a: [], b: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const customers = Array.from({ length: BILLS }, (_, i) => `${round}${String(i).padStart(11, '0')}`);
    for (const k of ['a', 'b']) {
      const pid = sides[k].child.pid;
      const cpu0 = cpuSeconds(pid);
      const t0 = process.hrtime.bigint();
      await registerBills(sides[k].adminPort, token, customers);
      const row = { cpuMsPerBill: ((cpuSeconds(pid) - cpu0) * 1000) / BILLS, seconds: Number(process.hrtime.bigint() - t0) / 1e9, rssMb: rss(pid) };
      rows[k].push(row);
      log(`round ${round} ${k}: ${row.cpuMsPerBill.toFixed(3)} CPU-ms per bill, ${BILLS} bills in ${row.seconds.toFixed(1)} s, RSS ${row.rssMb} MB`);
    }
  }
  const summary = Object.fromEntries(['a', 'b'].map((k) => [k, {
    cpuMsPerBill: Number(median(rows[k].map((r) => r.cpuMsPerBill)).toFixed(3)),
    seconds: Number(median(rows[k].map((r) => r.seconds)).toFixed(2)),
    rssMbByRound: rows[k].map((r) => r.rssMb),
  }]));
  summary.bOverA = { cpu: Number((summary.b.cpuMsPerBill / summary.a.cpuMsPerBill).toFixed(2)), seconds: Number((summary.b.seconds / summary.a.seconds).toFixed(2)) };
  if (values.json) console.log(JSON.stringify({ bills: BILLS, rounds: ROUNDS, summary }));
  else console.log(`medians of ${ROUNDS} rounds × ${BILLS} PUTs (200 at a time): CPU-ms per bill a ${summary.a.cpuMsPerBill} b ${summary.b.cpuMsPerBill} (b/a ${summary.bOverA.cpu}), seconds a ${summary.a.seconds} b ${summary.b.seconds} (b/a ${summary.bOverA.seconds})`);
  for (const k of ['a', 'b']) sides[k].child.kill('SIGTERM');
  await Promise.all([sides.a.stopped, sides.b.stopped]);
  await Promise.all([dropNamespace(sides.a.ns), dropNamespace(sides.b.ns)]);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
