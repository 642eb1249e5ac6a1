#!/usr/bin/env node
// `npm run test:faults`: builds, runs every scenario of test/faults/ one after another (each on
// its own throwaway redis-server processes), and writes reports/faults.md from the figures the
// scenarios append to reports/faults.jsonl. FAULTS_PROFILE=full (the default here) runs 60 s of
// load at 100 payments/s per scenario and a 60 s subscriber outage; .ci/run uses the short profile.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const REPORTS = path.join(ROOT, 'reports');
const profile = process.env.FAULTS_PROFILE || 'full';

if (spawnSync('redis-server', ['--version']).status !== 0) {
  console.error('test:faults needs redis-server (apt-get install -y redis-server)');
  process.exit(1);
}
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'config', 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

fs.mkdirSync(REPORTS, { recursive: true });
const ledger = path.join(REPORTS, 'faults.jsonl');
fs.rmSync(ledger, { force: true });
const started = Date.now();
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', path.join('test', 'faults', 'jest.config.js'), '--runInBand', ...process.argv.slice(2)], {
  cwd: ROOT, stdio: 'inherit', env: { ...process.env, FAULTS_PROFILE: profile },
});

const rows = fs.existsSync(ledger) ? fs.readFileSync(ledger, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const ms = (v) => (v === null || v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
const lines = [
  `# Fault suite (${profile} profile)`,
  '',
  `${new Date().toISOString()}, Node ${process.version}, ${rows.length} scenarios in ${Math.round((Date.now() - started) / 1000)} s; \`npm run test:faults\` (README "Proof under faults").`,
  '',
  '| Scenario | requests sent | acknowledged | lost | doubled | redelivered (same webhook-id) | unacknowledged but delivered | p99 during fault | slowest during fault | time to recover | api RSS before → max |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.scenario} | ${r.sent} | ${r.acknowledged} | ${r.lost} | ${r.doubled} | ${r.redelivered} | ${r.unacknowledgedButDelivered} | ${ms(r.p99DuringFaultMs)} | ${ms(r.maxDuringFaultMs)} | ${ms(r.recoverMs)} | ${r.apiRssBeforeMb ?? '—'} → ${r.apiRssMaxMb ?? '—'} MB |`),
  '',
  'Answers the load driver got, per scenario:',
  '',
  ...rows.map((r) => `- ${r.scenario}: ${Object.entries(r.codes || {}).map(([c, n]) => `${c} × ${n}`).join(', ')}${r.diagnosis ? ` — LOST: ${JSON.stringify(r.diagnosis).slice(0, 2000)}` : ''}`),
  '',
];
fs.writeFileSync(path.join(REPORTS, 'faults.md'), lines.join('\n'));
console.log(lines.slice(4, 6 + rows.length).join('\n'));
console.log(`faults: report in ${path.relative(ROOT, path.join(REPORTS, 'faults.md'))}`);
process.exit(jest.status ?? 1);
