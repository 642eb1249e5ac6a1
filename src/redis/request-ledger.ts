import type { RedisClient } from './redis-connections';
import { defineScript, type ScriptFn } from './define-script';
import { COMPLETE_LUA, INQUIRY_LUA, MARK_ENQUEUED_LUA, notificationLua, paymentLua, RELEASE_LUA } from './lua-scripts';
import type { ScriptEnqueue } from '../queue/script-enqueue';
import type { RedisKeys } from './redis-keys';
import { rateLimitedError, type RateLimitCheck } from './rate-limiter';
import type { InquiryAnswers } from '../snap/snap-responses';

export interface ClaimArgs {
  readonly dedupKey: string;
  readonly bodyDigest: string;
  readonly nowMs: number;
  readonly leaseMs: number;
  readonly ttlSeconds: number;
  readonly token: string;
  /** The partner's rate limit, applied in the claim's own round trip (once per request). */
  readonly rateLimit?: RateLimitCheck | undefined;
}

export type DedupResult =
  | { readonly kind: 'conflict' }
  | { readonly kind: 'replay'; readonly body: string }
  | { readonly kind: 'inflight' }
  | { readonly kind: 'claimed' };

export type InquiryLedgerResult =
  | DedupResult
  | { readonly kind: 'answered'; readonly body: string }
  | { readonly kind: 'bill'; readonly bill?: { status: string; exp: string; view: string } | undefined };

/**
 * `answer`: the answer the script wrote and stored for replay (absent: the caller writes and stores it).
 * `queued`: the script queued the event itself (folded, see ScriptEnqueue); `event` is then empty.
 */
export type PaymentLedgerResult =
  | DedupResult
  | { readonly kind: 'duplicate'; readonly event: string; readonly enqueued: boolean; readonly name: string; readonly answer?: string | undefined }
  | { readonly kind: 'inconsistent'; readonly answer?: string | undefined }
  | { readonly kind: 'notfound'; readonly answer?: string | undefined }
  | { readonly kind: 'paid' | 'expired' | 'amount'; readonly name: string; readonly answer?: string | undefined }
  | { readonly kind: 'accepted'; readonly event: string; readonly queued: boolean; readonly name: string; readonly answer?: string | undefined };

/** `answer`: the acknowledgement the script stored (folded and queued); absent, the caller stores it. */
export type NotificationLedgerResult =
  | DedupResult
  | { readonly kind: 'accepted'; readonly event: string; readonly queued: boolean; readonly answer?: string | undefined }
  | { readonly kind: 'duplicate'; readonly event: string; readonly enqueued: boolean; readonly answer?: string | undefined };

/** The job an event becomes: BullMQ's job name is the event type, its jobId the event id. */
export interface EventJob {
  readonly id: string;
  readonly type: string;
}

/** An event record and the outbox member that names it (what the relay re-enqueues after a crash). */
export interface EventRecord {
  readonly recordKey: string;
  readonly outboxMember: string;
}

export interface PaymentArgs {
  readonly billKeys: readonly [string, string];
  readonly billPaymentKeys: readonly [string, string];
  readonly paymentRequestId: string;
  readonly vaDigits: string;
  readonly paidMinor: bigint;
  readonly currency: string;
  readonly eventHead: string;
  readonly nowIso: string;
  readonly paymentRecordTtlSeconds: number;
  readonly paymentEntry: string;
  /** The request's parts of the answer, so the script writes and stores it (see paymentLua). */
  readonly answerParts?: { readonly echo: string; readonly tail: string } | undefined;
  /** The event's job, queued by the script itself when the ledger is folded. */
  readonly job: EventJob;
}

/** `claim` only takes the dedup slot; `go` goes on to the script's business step. */
const claimArgv = (a: ClaimArgs, mode: 'claim' | 'go' = 'go'): Array<string | number> => [
  a.bodyDigest, a.nowMs, a.nowMs + a.leaseMs, a.ttlSeconds, a.token, mode,
];
/** Last key and last two arguments of every claiming script: the rate bucket (spec-free, see CLAIM). */
const rateKey = (a: ClaimArgs): string => a.rateLimit?.key ?? a.dedupKey;
const rateArgv = (a: ClaimArgs): Array<string | number> => (a.rateLimit === undefined ? ['', ''] : [a.rateLimit.intervalMs, a.rateLimit.burst]);

function refuseIfLimited(a: ClaimArgs, r: ReadonlyArray<string | null>): void {
  if (r[0] === 'limited') throw rateLimitedError(a.rateLimit!, Number(r[1]));
}

/** The X-EXTERNAL-ID ledger and the atomic business steps, one Redis round trip each. */
export class RequestLedger {
  private readonly inquiryScript: ScriptFn;
  private readonly paymentScript: ScriptFn;
  private readonly completeScript: ScriptFn;
  private readonly releaseScript: ScriptFn;
  private readonly notificationScript: ScriptFn;
  private readonly markScript: ScriptFn;

  /**
   * `fold`: the payment and notification scripts queue the event's job themselves (one atomic
   * step, one round trip fewer). Without it they leave the event in the outbox for the caller's
   * `Queue.add` (a Redis Cluster whose queue keys live in another hash slot than the ledger's).
   */
  constructor(private readonly redis: RedisClient, private readonly keys: RedisKeys, private readonly fold?: ScriptEnqueue | undefined) {
    const q = fold === undefined ? { suffix: '', keys: 0, lua: undefined } : { suffix: 'Q', keys: fold.keys.length, lua: fold.lua };
    this.inquiryScript = defineScript(redis, 'snapInquiry', 5, INQUIRY_LUA);
    this.paymentScript = defineScript(redis, `snapPayment${q.suffix}`, 9 + q.keys, paymentLua(q.lua));
    this.completeScript = defineScript(redis, 'snapComplete', 3, COMPLETE_LUA);
    this.releaseScript = defineScript(redis, 'snapRelease', 1, RELEASE_LUA);
    this.notificationScript = defineScript(redis, `snapNotification${q.suffix}`, 4 + q.keys, notificationLua(q.lua));
    this.markScript = defineScript(redis, 'snapMarkEnqueued', 2, MARK_ENQUEUED_LUA);
  }

  /** Whether the payment and notification scripts queue events themselves. */
  get folded(): boolean {
    return this.fold !== undefined;
  }

  /** The queue's keys and the job's id and name, when folded (they go before the rate bucket's). */
  private jobParts(job: EventJob): { keys: readonly string[]; argv: readonly string[] } {
    return this.fold === undefined ? { keys: [], argv: [] } : { keys: this.fold.keys, argv: [job.id, job.type] };
  }

  /** With `answers`, the script decides and stores the answer in the same round trip ('answered'). */
  async inquiry(args: ClaimArgs, billKeys: readonly [string, string], answers?: InquiryAnswers): Promise<InquiryLedgerResult> {
    const prepared = answers === undefined ? ['', ''] : [answers.echo, answers.id];
    const r = (await this.inquiryScript([args.dedupKey, ...billKeys, this.keys.recon(), rateKey(args)], [...claimArgv(args), ...prepared, ...rateArgv(args)])) as string[];
    refuseIfLimited(args, r);
    if (r[0] === 'answered') return { kind: 'answered', body: r[1]! };
    if (r[0] === 'bill') {
      return r.length === 1 ? { kind: 'bill' } : { kind: 'bill', bill: { status: r[1]!, exp: r[2] ?? '', view: r[3]! } };
    }
    return dedupResult(r);
  }

  /** Takes the X-EXTERNAL-ID slot only; the business step may follow with the same token. */
  async claim(args: ClaimArgs): Promise<DedupResult> {
    const r = (await this.inquiryScript([args.dedupKey, args.dedupKey, args.dedupKey, this.keys.recon(), rateKey(args)], [...claimArgv(args, 'claim'), ...rateArgv(args)])) as string[];
    refuseIfLimited(args, r);
    return dedupResult(r);
  }

  async payment(c: ClaimArgs, a: PaymentArgs): Promise<PaymentLedgerResult> {
    const job = this.jobParts(a.job);
    const r = (await this.paymentScript(
      [c.dedupKey, ...a.billKeys, this.keys.paymentRequest(a.paymentRequestId), this.keys.outbox(), ...a.billPaymentKeys, this.keys.recon(), ...job.keys, rateKey(c)],
      [
        ...claimArgv(c), a.paymentRequestId, a.vaDigits, a.paidMinor.toString(), a.currency,
        a.eventHead, a.nowIso, a.paymentRecordTtlSeconds, a.paymentEntry, a.answerParts?.echo ?? '', a.answerParts?.tail ?? '', ...job.argv, ...rateArgv(c),
      ],
    )) as Array<string | null>;
    refuseIfLimited(c, r);
    const answer = (i: number): string | undefined => r[i] ?? undefined;
    switch (r[0]) {
      // a queued record keeps no event (MARK_ENQUEUED_LUA): only an unqueued one is enqueued again
      case 'duplicate': return { kind: 'duplicate', event: r[1] ?? '', enqueued: r[2] === '1', name: r[3]!, answer: answer(4) };
      case 'inconsistent': return { kind: 'inconsistent', answer: answer(1) };
      case 'notfound': return { kind: 'notfound', answer: answer(1) };
      case 'paid': case 'expired': case 'amount': return { kind: r[0], name: r[1]!, answer: answer(2) };
      case 'accepted': return { kind: 'accepted', event: r[1] ?? '', queued: r[4] === '1', name: r[2]!, answer: answer(3) };
      default: return dedupResult(r as string[]);
    }
  }

  /**
   * Records a notification's event once per identity (and its outbox entry), in the claim's
   * round trip; folded, it also queues the event and stores `ack` for replay in that step.
   */
  async notification(a: ClaimArgs, record: EventRecord, event: EventJob & { readonly json: string }, recordTtlSeconds: number, ack: string): Promise<NotificationLedgerResult> {
    const job = this.jobParts(event);
    const r = (await this.notificationScript(
      [a.dedupKey, record.recordKey, this.keys.outbox(), ...job.keys, rateKey(a)],
      [...claimArgv(a), event.json, recordTtlSeconds, record.outboxMember, this.folded ? ack : '', ...job.argv, ...rateArgv(a)],
    )) as Array<string | null>;
    refuseIfLimited(a, r);
    if (r[0] === 'accepted') return { kind: 'accepted', event: r[1] ?? '', queued: r[2] === '1', answer: r[3] ?? undefined };
    if (r[0] === 'duplicate') return { kind: 'duplicate', event: r[1] ?? '', enqueued: r[2] === '1', answer: r[3] ?? undefined };
    return dedupResult(r as string[]);
  }

  /** The record of a payment's event: its payment request, named in the outbox by its id. */
  paymentRecord(paymentRequestId: string): EventRecord {
    return { recordKey: this.keys.paymentRequest(paymentRequestId), outboxMember: paymentRequestId };
  }

  /** The record of a notification's event, named in the outbox as `@` + its key without the prefix. */
  notificationRecord(eventId: string): EventRecord {
    const recordKey = this.keys.notificationRecord(eventId);
    return { recordKey, outboxMember: `@${recordKey.slice(this.keys.prefix.length)}` };
  }

  /** Stores the final answer for replay and, when an event was queued, records that on its record. */
  async complete(dedupKey: string, token: string, body: string, ttlSeconds: number, enqueued?: EventRecord): Promise<void> {
    await this.completeScript(
      [dedupKey, enqueued === undefined ? dedupKey : enqueued.recordKey, this.keys.outbox()],
      [token, body, ttlSeconds, enqueued === undefined ? '0' : '1', enqueued?.outboxMember ?? ''],
    );
  }

  /** After the event is queued: the record says so and the outbox entry goes (the relay would do it otherwise). */
  async markEnqueued(record: EventRecord): Promise<void> {
    await this.markScript([record.recordKey, this.keys.outbox()], [record.outboxMember]);
  }

  async release(dedupKey: string, token: string): Promise<void> {
    await this.releaseScript([dedupKey], [token]);
  }

  /** The stored answer once the owner of an in-flight claim has finished, else undefined. */
  async storedResponse(dedupKey: string): Promise<string | undefined> {
    const [state, body] = await this.redis.hmget(dedupKey, 's', 'r');
    return state === 'd' && body !== null ? body : undefined;
  }
}

function dedupResult(r: string[]): DedupResult {
  switch (r[0]) {
    case 'conflict': return { kind: 'conflict' };
    case 'replay': return { kind: 'replay', body: r[1]! };
    case 'inflight': return { kind: 'inflight' };
    case 'claimed': return { kind: 'claimed' };
    default: throw new Error(`unexpected ledger reply: ${String(r[0])}`);
  }
}
