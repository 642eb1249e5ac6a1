#!/usr/bin/env node
'use strict';
// npm run bench:wait — what REDIS_WAIT_REPLICAS=1 costs: first payments against a primary
// with one replica (test/cluster/local-redis.sh sentinel), answered by a process that does
// not wait and by one that waits for the replica, in alternating rounds; medians.
// Usage: node test/bench/wait-bench.js [--rounds 4] [--connections 50] [--requests 10000] [--json]
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { ROOT, cannon, median, paymentBody, portBlock, registerBills, signed, startApi } = require('./bench-kit');

const { values } = parseArgs({ options: { rounds: { type: 'string' }, connections: { type: 'string' }, requests: { type: 'string' }, json: { type: 'boolean' } } });
const ROUNDS = Number(values.rounds ?? 4);
const CONNECTIONS = Number(values.connections ?? 50);
const REQUESTS = Number(values.requests ?? 10000);
const log = (...a) => { if (!values.json) console.error(...a); };
const script = path.join(ROOT, 'test', 'cluster', 'local-redis.sh');

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-bench-'));
  const base = portBlock();
  const [primary, replica, sentinel] = [base, base + 1, base + 2];
  execFileSync(script, ['sentinel', dir, String(primary), String(replica), String(sentinel)]);
  const children = [];
  try {
    const ns = crypto.randomBytes(4).toString('hex');
    const token = crypto.randomBytes(24).toString('hex');
    const redisUrl = `redis://127.0.0.1:${primary}`;
    const setups = {
      noWait: startApi({ ns, token, apiPort: base + 3, adminPort: base + 4, env: { REDIS_URL: redisUrl } }),
      waitOne: startApi({ ns, token, apiPort: base + 5, adminPort: base + 6, env: { REDIS_URL: redisUrl, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1000' } }),
    };
    children.push(setups.noWait.child, setups.waitOne.child);
    await Promise.all(Object.values(setups).map((s) => s.ready));
    const results = { noWait: [], waitOne: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const name = ['noWait', 'waitOne', 'waitOne', 'noWait'][(round - 1) % 4];
      const customerNos = Array.from({ length: REQUESTS }, (_, i) => `${round}${String(i).padStart(11, '0')}`);
      await registerBills(setups.noWait.adminPort, token, customerNos);
      const pool = customerNos.map((c, i) => {
        const body = paymentBody(c, `wait-${ns}-${round}-${i}`);
        return { body, headers: signed('/v1.0/transfer-va/payment', body) };
      });
      const r = await cannon(setups[name].apiPort, '/v1.0/transfer-va/payment', pool, { connections: CONNECTIONS, amount: REQUESTS, unique: true });
      const row = { rps: Math.round(r.requests.total / r.seconds), p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
      results[name].push(row);
      log(`round ${round}, ${name}: ${row.rps} first payments/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.bad ? `, ${row.bad} non-2xx/errors` : ''}`);
    }
    for (const s of Object.values(setups)) s.child.kill('SIGTERM');
    await Promise.all(Object.values(setups).map((s) => s.stopped));
    const summary = Object.fromEntries(Object.entries(results).map(([k, rows]) => [k, { rps: median(rows.map((x) => x.rps)), p50: median(rows.map((x) => x.p50)), p99: median(rows.map((x) => x.p99)) }]));
    summary.ratio = Number((summary.waitOne.rps / summary.noWait.rps).toFixed(2));
    if (values.json) console.log(JSON.stringify({ connections: CONNECTIONS, requests: REQUESTS, results, summary }));
    else {
      console.log(`\nmedians, ${CONNECTIONS} connections, ${REQUESTS} first payments per round, primary + 1 replica on loopback`);
      console.log(`  REDIS_WAIT_REPLICAS=0  ${summary.noWait.rps} req/s  p50 ${summary.noWait.p50} ms  p99 ${summary.noWait.p99} ms`);
      console.log(`  REDIS_WAIT_REPLICAS=1  ${summary.waitOne.rps} req/s  p50 ${summary.waitOne.p50} ms  p99 ${summary.waitOne.p99} ms  (ratio ${summary.ratio})`);
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    execFileSync(script, ['stop', dir]);
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
