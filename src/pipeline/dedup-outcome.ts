import type { DedupResult } from '../redis/request-ledger';
import type { ServiceName } from './service-name';
import type { AnswerFormat } from './answer-format';
import type { Outcome } from './message-kind';

export type DedupHit = Exclude<DedupResult, { kind: 'claimed' }>;

export function isDedupHit(r: { readonly kind: string }): r is DedupHit {
  return r.kind === 'conflict' || r.kind === 'replay' || r.kind === 'inflight';
}

/** The X-EXTERNAL-ID ledger answered before any business step ran. */
export function dedupOutcome(format: AnswerFormat, service: ServiceName, r: DedupHit, nowMs: number): Outcome {
  if (r.kind === 'conflict') return { dedup: 'conflict', body: format.failure(service, { outcome: 'conflict', reason: 'conflict' }, nowMs) };
  if (r.kind === 'replay') return { dedup: 'replay', body: r.body };
  return { dedup: 'inflight', body: '' };
}
