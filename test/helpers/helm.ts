import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'helm', 'snap-receiver');
/** Every optional part on, on a Redis Cluster. */
export const FULL_VALUES = join(CHART, 'ci', 'full-values.yaml');

// plain JS: .ci/lint-deploy runs it with node to find helm
const { helmBinary } = require('./fetch-helm') as { helmBinary(): string };

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

export function render(set: string[] = [], valuesFiles: string[] = []): K8sObject[] {
  const r = helm(['template', 'rel', CHART, ...valuesFiles.flatMap((f) => ['-f', f]), ...set.flatMap((s) => ['--set', s])]);
  if (r.code !== 0) throw new Error(r.out);
  return parseAllDocuments(r.out).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
}
