'use strict';
// What the API benchmarks share: signing, the service process, bills, autocannon runs, medians.
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PSID = '  088899';
const STDOUT = process.env.BENCH_STDOUT ?? 'null';
/**
 * The first of 16 ports for one benchmark run: below Linux's ephemeral range (32768–60999), where the port a
 * loopback client was just given could already hold it (seen: EADDRINUSE on bench:ab's admin port), and
 * clear of the machine's own services.
 */
const portBlock = () => 15000 + (process.pid % 500) * 16;
if (!['null', 'pipe'].includes(STDOUT)) throw new Error('BENCH_STDOUT takes null or pipe');
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_KEY_PEM = publicKey.export({ type: 'spki', format: 'pem' });
const jakarta = (ms) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 19) + '+07:00';
let xid = 0;
const externalId = () => `${process.pid}${String(++xid).padStart(12, '0')}`.padStart(32, '0');

/** SNAP headers signed with the bench's own key pair (the service trusts its public half). */
function signed(p, body) {
  const ts = jakarta(Date.now());
  const sts = `POST:${p}:${crypto.createHash('sha256').update(body).digest('hex')}:${ts}`;
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': crypto.sign('sha256', Buffer.from(sts), privateKey).toString('base64'), 'x-partner-id': '82150', 'channel-id': '77001' };
}

/**
 * Polls /readyz for up to 30 s. `why()` says what the service printed on stderr, so a benchmark that gives up
 * says why; a service that exits first fails the wait at once (`exited` resolves with its exit code).
 */
function waitReady(port, exited = new Promise(() => {}), why = () => '') {
  return new Promise((resolve, reject) => {
    let n = 0;
    let done = false;
    const fail = (what) => { if (!done) { done = true; reject(new Error(`service on ${port} ${what}${why() ? `: ${why()}` : ''}`)); } };
    exited.then((code) => fail(`exited (${code}) before it was ready`));
    (function poll() {
      if (done) return;
      http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (r) => {
        r.resume();
        if (r.statusCode === 200) { done = true; resolve(); } else retry();
      }).on('error', retry);
      function retry() { if (++n > 600) fail('did not become ready within 30 s'); else setTimeout(poll, 50); }
    })();
  });
}

/**
 * `node dist/main.js` as ROLE=api in production mode, in the namespace `ns`; with `cgroup` (a
 * memory cgroup's directory, v1 or v2, made by the caller), inside it from its first instruction, so
 * Node sizes its heap for that limit as it does in a pod.
 */
function startApi({ ns, token, apiPort, adminPort, nodeArgs = [], env = {}, root = ROOT, cgroup, stdout = STDOUT }) {
  const argv = [process.execPath, ...nodeArgs, path.join(root, 'dist', 'main.js')];
  const [command, ...args] = cgroup === undefined ? argv : ['sh', '-c', `echo $$ > "${cgroup}/cgroup.procs" && exec "$0" "$@"`, ...argv];
  // the request log: /dev/null as in the measurements before 2026-12-07's log batching, or a pipe drained by
  // `cat` in a process of its own (BENCH_STDOUT=pipe), as a container runtime reads a pod's stdout
  const reader = stdout === 'pipe' ? spawn('sh', ['-c', 'exec cat > /dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] }) : undefined;
  const child = spawn(command, args, {
    // stderr kept for boot failures
    cwd: root, stdio: ['ignore', reader?.stdin ?? 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ROLE: 'api', HOST: '127.0.0.1', PORT: String(apiPort), ADMIN_PORT: String(adminPort), REDIS_URL,
      REDIS_KEY_PREFIX: `{bench${ns}}:`, QUEUE_PREFIX: `{benchq${ns}}`, FASPAY_PUBLIC_KEY: PUBLIC_KEY_PEM, INTERNAL_API_TOKEN: token, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // the limiter runs on every request, with a budget the load generator never exhausts
      SNAP_RATE_LIMIT: '1000000/2000000', ...env },
  });
  // the service holds the pipe now: cat ends when it does
  reader?.stdin.destroy();
  // a benchmark that dies must not leave its services holding their ports and Redis
  const reap = () => child.kill('SIGTERM');
  process.on('exit', reap);
  child.on('exit', () => process.off('exit', reap));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  const stopped = new Promise((r) => child.on('exit', r));
  return { child, apiPort, adminPort, ready: waitReady(adminPort, stopped, () => stderr.trim()), stopped };
}

function put(port, token, body) {
  return new Promise((resolve, reject) => {
    // a fresh connection per bill: a pooled keep-alive socket can be reused just as the server closes it
    // after its 5 s keep-alive timeout (between rounds), which ended a benchmark with "socket hang up"
    const req = http.request({ host: '127.0.0.1', port, path: '/internal/v1/bills', method: 'PUT', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (r) => { r.resume(); r.on('end', () => (r.statusCode < 300 ? resolve() : reject(new Error(`bill ${r.statusCode}`)))); });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const billFor = (customerNo) => ({ partnerServiceId: PSID, customerNo, virtualAccountName: 'Bench', totalAmount: { value: '150000.00', currency: 'IDR' }, amountType: 'closed' });

/** `fn` on every item, 200 at a time. */
async function inBatches(items, fn) {
  for (let i = 0; i < items.length; i += 200) await Promise.all(items.slice(i, i + 200).map(fn));
}

/** Registers one closed bill per customer number, 200 at a time. */
async function registerBills(adminPort, token, customerNos) {
  await inBatches(customerNos, (c) => put(adminPort, token, billFor(c)));
}

/**
 * The same bills written straight into Redis by the service's own BillStore (from `root`'s dist/),
 * so the service's process sees only the measured requests: `npm run bench -- --bills direct`.
 */
async function registerBillsDirect(ns, customerNos, root = ROOT) {
  const Redis = require('ioredis');
  const { BillStore } = require(path.join(root, 'dist', 'redis', 'bill-store'));
  const { RedisKeys } = require(path.join(root, 'dist', 'redis', 'redis-keys'));
  const { readBillRegistration } = require(path.join(root, 'dist', 'snap', 'bill'));
  const r = new Redis(REDIS_URL);
  const store = new BillStore(r, new RedisKeys(`{bench${ns}}:`), 30 * 86400);
  await inBatches(customerNos, (c) => {
    const now = new Date().toISOString();
    return store.register(readBillRegistration(billFor(c), now), now);
  });
  await r.quit();
}

const inquiryBody = (customerNo) => JSON.stringify({ partnerServiceId: PSID, customerNo, virtualAccountNo: `${PSID}${customerNo}`, inquiryRequestId: 'bench-inquiry' });
const paymentBody = (customerNo, paymentRequestId) => JSON.stringify({ partnerServiceId: PSID, customerNo, virtualAccountNo: `${PSID}${customerNo}`, paymentRequestId, paidAmount: { value: '150000.00', currency: 'IDR' }, trxDateTime: '2026-11-22T10:00:00+07:00', referenceNo: paymentRequestId });

/** One autocannon run of `amount` requests drawn round-robin from `pool`, timed to its last response. */
function cannon(port, pathName, pool, { connections, amount, unique }) {
  let i = 0;
  const started = process.hrtime.bigint();
  let lastResponse = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: `http://127.0.0.1:${port}`, connections, amount,
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
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  // no rounding: ratios are fractions (callers round what they print)
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** CPU seconds (user + system) a process has used so far. */
const cpuSeconds = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};

/** Deletes a benchmark's keys (`{bench<ns>}:*`, `{benchq<ns>}:*`): a run leaves hundreds of thousands behind. */
async function dropNamespace(ns) {
  const Redis = require('ioredis');
  const r = new Redis(REDIS_URL);
  for (const pattern of [`{bench${ns}}:*`, `{benchq${ns}}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.unlink(...keys);
    } while (cursor !== '0');
  }
  await r.quit();
}

/** Redis server CPU seconds (user + sys) and commands executed so far (INFO cpu, INFO commandstats). */
async function redisStats(r) {
  const cpu = await r.info('cpu');
  const stats = await r.info('commandstats');
  const num = (k) => Number(new RegExp(`${k}:([0-9.]+)`).exec(cpu)?.[1] ?? 0);
  let calls = 0;
  const byCommand = {};
  for (const m of stats.matchAll(/cmdstat_([a-z|_-]+):calls=(\d+)/g)) {
    calls += Number(m[2]);
    byCommand[m[1]] = Number(m[2]);
  }
  return { cpuSeconds: num('used_cpu_sys') + num('used_cpu_user'), calls, byCommand };
}

/** The node flags `liveHeapMb` needs: a heap snapshot on SIGUSR2, written into `dir`. */
const liveHeapArgs = (dir) => ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];

/**
 * What the service's heap holds after a full garbage collection, in MB: the live objects, without the
 * garbage V8 leaves in the old space until its next mark-compact (which is what moves the RSS between
 * rounds). The service must run with `liveHeapArgs(dir)`. A heap snapshot collects the whole heap first;
 * V8's heap spaces are then read from /metrics, which the service answers once the snapshot is written (the
 * main thread writes it). The snapshot file is deleted. Its writing raises the RSS of the rounds after it.
 */
async function liveHeapMb(child, adminPort, token, dir) {
  const before = new Set(fs.readdirSync(dir));
  child.kill('SIGUSR2');
  let file;
  for (let i = 0; i < 600 && file === undefined; i++) {
    await new Promise((r) => setTimeout(r, 50));
    file = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
  }
  if (file === undefined) throw new Error('the service wrote no heap snapshot within 30 s');
  const res = await fetch(`http://127.0.0.1:${adminPort}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  fs.rmSync(path.join(dir, file), { force: true });
  let bytes = 0;
  for (const m of text.matchAll(/^nodejs_heap_space_size_used_bytes\{space="[a-z_]+"\} (\d+)/gm)) bytes += Number(m[1]);
  if (bytes === 0) throw new Error(`no heap spaces in /metrics (HTTP ${res.status})`);
  return Number((bytes / 1048576).toFixed(1));
}

module.exports = { ROOT, liveHeapArgs, liveHeapMb, PUBLIC_KEY_PEM, STDOUT, portBlock, dropNamespace, redisStats, REDIS_URL, PSID, signed, startApi, registerBills, registerBillsDirect, inquiryBody, paymentBody, cannon, rss, median, cpuSeconds, waitReady };
