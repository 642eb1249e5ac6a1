#!/usr/bin/env node
'use strict';
// npm run bench:limiter — what the rate limiter costs the hot path: two api processes on one
// Redis, one with SNAP_RATE_LIMIT=off and one with a limit the load never reaches (so the GCRA
// script runs on every request), measured alternately in the same rounds against the same bare app.
// Usage: node test/bench/limiter-bench.js [--rounds 5] [--connections 50] [--requests 10000] [--json]
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { cannon, inquiryBody, median, paymentBody, portBlock, registerBills, signed, startApi } = require('./bench-kit');
const { dropNamespace } = require('./bench-kit');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, connections: { type: 'string' }, requests: { type: 'string' }, json: { type: 'boolean' } } });
const ROUNDS = Number(values.rounds ?? 5);
const CONNECTIONS = Number(values.connections ?? 50);
const REQUESTS = Number(values.requests ?? 10000);
const log = (...a) => { if (!values.json) console.error(...a); };

(async () => {
  const ns = crypto.randomBytes(4).toString('hex');
  const token = crypto.randomBytes(24).toString('hex');
  const base = portBlock();
  const services = {
    off: startApi({ ns, token, apiPort: base, adminPort: base + 2, env: { SNAP_RATE_LIMIT: 'off' } }),
    on: startApi({ ns, token, apiPort: base + 1, adminPort: base + 3 }),
  };
  const bare = fork(path.join(__dirname, 'bare-app.js'), { stdio: 'ignore' });
  const barePort = await new Promise((r) => bare.on('message', (m) => r(m.port)));
  await Promise.all(Object.values(services).map((s) => s.ready));
  await registerBills(services.off.adminPort, token, ['900000000001']);
  const inq = inquiryBody('900000000001');
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const row = { round };
    const run = async (name, port, p, pool) => {
      const r = await cannon(port, p, pool, { connections: CONNECTIONS, amount: REQUESTS, unique: true });
      row[name] = Math.round(r.requests.total / r.seconds);
      if (r.non2xx + r.errors + r.timeouts > 0) log(`  ${name}: ${r.non2xx} non-2xx, ${r.errors + r.timeouts} errors`);
    };
    const firstPayments = async (label) => {
      const customers = Array.from({ length: REQUESTS }, (_, i) => `${round}${label === 'on' ? 1 : 2}${String(i).padStart(10, '0')}`);
      await registerBills(services.off.adminPort, token, customers);
      return customers.map((c, i) => {
        const body = paymentBody(c, `lim-${ns}-${round}-${label}-${i}`);
        return { body, headers: signed('/v1.0/transfer-va/payment', body) };
      });
    };
    const pay = { on: await firstPayments('on'), off: await firstPayments('off') };
    await run('bare', barePort, '/v1.0/transfer-va/inquiry', [{ body: inq, headers: signed('/v1.0/transfer-va/inquiry', inq) }]);
    // alternate which goes first, so neither always gets the warmer machine
    const order = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
    for (const k of order) await run(`inquiry_${k}`, services[k].apiPort, '/v1.0/transfer-va/inquiry', [{ body: inq, headers: signed('/v1.0/transfer-va/inquiry', inq) }]);
    for (const k of order) await run(`firstPayment_${k}`, services[k].apiPort, '/v1.0/transfer-va/payment', pay[k]);
    log(`round ${round}: bare ${row.bare}, inquiry on/off ${row.inquiry_on}/${row.inquiry_off}, first payment on/off ${row.firstPayment_on}/${row.firstPayment_off} req/s`);
    rows.push(row);
  }
  for (const s of Object.values(services)) s.child.kill('SIGTERM');
  bare.kill('SIGTERM');
  await Promise.all(Object.values(services).map((s) => s.stopped));
  const ratio = (a, b) => Number((median(rows.map((r) => Math.round((r[a] / r[b]) * 1000))) / 1000).toFixed(3));
  const out = {
    rounds: rows,
    medians: {
      inquiry: { on: median(rows.map((r) => r.inquiry_on)), off: median(rows.map((r) => r.inquiry_off)), onToOff: ratio('inquiry_on', 'inquiry_off') },
      firstPayment: { on: median(rows.map((r) => r.firstPayment_on)), off: median(rows.map((r) => r.firstPayment_off)), onToOff: ratio('firstPayment_on', 'firstPayment_off') },
      bare: median(rows.map((r) => r.bare)),
    },
  };
  if (values.json) console.log(JSON.stringify(out));
  else {
    console.log(`\nmedians of ${ROUNDS} rounds (${CONNECTIONS} connections, ${REQUESTS} requests each): bare ${out.medians.bare} req/s`);
    for (const k of ['inquiry', 'firstPayment']) console.log(`  ${k.padEnd(13)} limiter on ${out.medians[k].on}  off ${out.medians[k].off} req/s  on/off ${out.medians[k].onToOff}`);
  }
  await dropNamespace(ns);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
