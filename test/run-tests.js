#!/usr/bin/env node
// `npm test`: makes sure a real Redis answers (starting a throwaway redis-server when none
// does), runs the whole jest suite with coverage, and ends with the plain line CI reads:
// "N passed, N failed".
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function ping(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function ensureRedis() {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (await ping(url)) return { url };
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.error(`no Redis answers at ${url} and redis-server is not installed (apt-get install -y redis-server)`);
    process.exit(1);
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await ping(privateUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`no Redis at ${url}; started a throwaway redis-server at ${privateUrl}`);
  return { url: privateUrl, child };
}

(async () => {
  // tests that spawn the service or the CLI run the compiled output
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'config/tsconfig.build.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  // test/cluster/run-on-cluster.sh points the suite at a Redis Cluster instead
  const onCluster = Boolean(process.env.REDIS_CLUSTER_NODES);
  const redis = onCluster ? {} : await ensureRedis();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snap-jest-')), 'results.json');
  // --forceExit: keep-alive sockets of BullMQ and HTTP agents may outlive a suite by a
  // moment; a test run must never hang CI waiting for them.
  const args = [require.resolve('jest/bin/jest'), '--coverage', '--forceExit', '--json', `--outputFile=${out}`, ...process.argv.slice(2)];
  const env = { ...process.env };
  if (onCluster) delete env.REDIS_URL;
  else env.REDIS_URL = redis.url;
  const jest = spawn(process.execPath, args, { stdio: 'inherit', env });
  const code = await new Promise((resolve) => jest.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  if (redis.child) redis.child.kill('SIGTERM');
  let passed = 0;
  let failed = 0;
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  } catch {
    failed = 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
})();
