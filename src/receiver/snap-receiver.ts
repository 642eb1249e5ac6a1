import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatAmountValue } from '../snap/amount';
import { billStatus, type BillView, type StoredBillStatus } from '../snap/bill';
import { readInquiryRequest, type InquiryRequest } from '../snap/inquiry-request';
import { paymentEventHead, paymentEventId } from '../snap/payment-event';
import { readPaymentRequest, type PaymentRequest } from '../snap/payment-request';
import type { PublicKeyEntry } from '../snap/public-keys';
import { parseBodyObject } from '../snap/request-fields';
import { readSnapHeaders } from '../snap/required-headers';
import { CANONICAL_PATH, httpStatusOf, responseCodeOf, type OutcomeName, type SnapService } from '../snap/response-codes';
import { bareResponse, inquiryResponse, paymentResponse, type SnapResponseBody } from '../snap/snap-responses';
import { jakartaDay } from '../snap/timestamp';
import { digitsOf, vaLookupCandidates, type VaIdentity } from '../snap/va-number';
import { verifySignature } from '../snap/verify-signature';
import type { RedisKeys } from '../redis/redis-keys';
import type { ClaimArgs, DedupResult, RequestLedger } from '../redis/request-ledger';
import { failureOutcome, UnknownClientError } from './failure-outcome';

export interface IncomingSnapRequest {
  readonly method: string;
  /** Path as received, without query string. */
  readonly path: string;
  readonly header: (name: string) => string | undefined;
  readonly rawBody: Buffer;
}

export interface SnapReply {
  readonly status: number;
  readonly body: string;
  /** Fields for the request log line (never secrets or PII). */
  readonly log: Record<string, unknown>;
}

export interface Enqueuer {
  enqueue(eventJson: string): Promise<string>;
}

/** Test seams that simulate a crash between the steps of an accepted payment. */
export interface FaultHooks {
  afterRecord?(): void | Promise<void>;
  afterEnqueue?(): void | Promise<void>;
  afterComplete?(): void | Promise<void>;
}

export interface ReceiverSettings {
  readonly partnerIds: readonly string[];
  readonly maxClockSkewSeconds: number | 'off';
  readonly repadCandidate: boolean;
  readonly dedupTtlSeconds: number;
  readonly inflightLeaseMs: number;
  readonly inflightWaitMs: number;
  readonly paymentRecordTtlSeconds: number;
}

/** BILL_SOURCE=http: refreshes the bill store from the order service before the business step. */
export interface BillSource {
  sync(vaDigits: string, nowMs: number): Promise<void>;
}

export interface ReceiverDeps {
  readonly billSource?: BillSource | undefined;
  readonly ledger: RequestLedger;
  readonly queue: Enqueuer;
  readonly keys: RedisKeys;
  readonly publicKeys: () => readonly PublicKeyEntry[];
  readonly clock: () => number;
  readonly settings: ReceiverSettings;
  readonly faults?: FaultHooks | undefined;
  /** REDIS_WAIT_REPLICAS > 0: replicas must hold a payment before it is answered as paid. */
  readonly replication?: { confirm(): Promise<number> } | undefined;
}

const POLL_MS = 15;

/**
 * Handles one Faspay call in the order of spec §3.3: required headers → signature →
 * timestamp → X-EXTERNAL-ID dedup → validation → business rules → persist + enqueue → respond.
 * Nothing before the signature check touches Redis.
 */
export class SnapReceiver {
  constructor(private readonly deps: ReceiverDeps) {}

  async handle(service: SnapService, req: IncomingSnapRequest): Promise<SnapReply> {
    const log: Record<string, unknown> = { snapService: service };
    const reply = (body: SnapResponseBody | string): SnapReply => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const code = typeof body === 'string' ? responseCodeOf(body) : body.responseCode;
      log.responseCode = code;
      return { status: httpStatusOf(code), body: text, log };
    };
    const fail = (err: unknown): SnapReply => {
      const f = failureOutcome(err);
      log.failure = f.reason;
      if (f.reason === 'internal') log.error = err instanceof Error ? err.message : String(err);
      return reply(bareResponse(service, f.outcome, f.detail));
    };

    const { settings, clock } = this.deps;
    const nowMs = clock();
    let verified;
    let headers;
    try {
      headers = readSnapHeaders(req.header);
      log.partnerId = headers.partnerId;
      log.externalId = headers.externalId;
      log.channelId = headers.channelId;
      if (settings.partnerIds.length > 0 && !settings.partnerIds.includes(headers.partnerId)) {
        throw new UnknownClientError(headers.partnerId);
      }
      verified = verifySignature(
        req.rawBody,
        { timestamp: req.header('X-TIMESTAMP'), signature: req.header('X-SIGNATURE') },
        {
          method: req.method,
          canonicalPath: CANONICAL_PATH[service],
          actualPath: req.path,
          keys: this.deps.publicKeys(),
          nowMs,
          maxSkewSeconds: settings.maxClockSkewSeconds,
          repadCandidate: settings.repadCandidate,
        },
      );
      log.signature = { keyId: verified.keyId, path: verified.path, body: verified.body };
    } catch (err) {
      return fail(err);
    }

    const claim: ClaimArgs = {
      dedupKey: this.deps.keys.dedup(service, headers.partnerId, headers.externalId, jakartaDay(nowMs)),
      bodyDigest: verified.rawBodySha256,
      nowMs,
      leaseMs: settings.inflightLeaseMs,
      ttlSeconds: settings.dedupTtlSeconds,
      token: randomUUID(),
    };
    let claimed = false;
    const onClaim = (): void => {
      claimed = true;
      log.dedup = 'new';
    };
    try {
      const outcome = service === 'inquiry'
        ? await this.inquiry(req.rawBody, claim, onClaim)
        : await this.payment(req.rawBody, claim, { partnerId: headers.partnerId, externalId: headers.externalId, channelId: headers.channelId, receivedAtMs: nowMs }, log, onClaim);
      log.dedup = outcome.dedup;
      let body: SnapResponseBody | string = outcome.body;
      if (outcome.dedup === 'inflight') {
        const stored = await this.awaitStored(claim.dedupKey);
        log.dedup = stored === undefined ? 'inflight' : 'replay';
        body = stored ?? bareResponse(service, 'inProgress');
      }
      const { replication } = this.deps;
      if (replication !== undefined && service === 'payment' && (typeof body === 'string' ? responseCodeOf(body) : body.responseCode) === '2002500') {
        log.replicas = await replication.confirm();
      }
      return reply(body);
    } catch (err) {
      if (claimed) await this.deps.ledger.release(claim.dedupKey, claim.token).catch(() => undefined);
      return fail(err);
    }
  }

  private async inquiry(raw: Buffer, claim: ClaimArgs, onClaim: () => void): Promise<Outcome> {
    let request: InquiryRequest | undefined;
    let invalid: unknown;
    try {
      request = readInquiryRequest(parseBodyObject(raw));
    } catch (err) {
      invalid = err;
    }
    const early = await this.fetchBill(request, claim, 'inquiry', onClaim);
    if (early !== undefined) return early;
    // an invalid body only takes the X-EXTERNAL-ID slot: its answer is stored for replay too
    const r = request === undefined ? await this.deps.ledger.claim(claim) : await this.deps.ledger.inquiry(claim, this.billKeys(request));
    if (isDedupHit(r)) return dedupOutcome('inquiry', r);
    onClaim();
    let body: SnapResponseBody;
    if (request === undefined || r.kind === 'claimed') {
      const f = failureOutcome(invalid);
      body = bareResponse('inquiry', f.outcome, f.detail);
    } else {
      const status = r.bill === undefined
        ? undefined
        : billStatus({ status: r.bill.status as StoredBillStatus, expiresAtMs: r.bill.exp === '' ? undefined : Number(r.bill.exp) }, claim.nowMs);
      const outcome: OutcomeName = status === undefined || status === 'cancelled' ? 'billNotFound'
        : status === 'paid' ? 'paidBill'
          : status === 'expired' ? 'billExpired' : 'success';
      body = inquiryResponse(request, outcome, outcome === 'success' ? (JSON.parse(r.bill!.view) as BillView) : undefined);
    }
    const text = JSON.stringify(body);
    await this.deps.ledger.complete(claim.dedupKey, claim.token, text, claim.ttlSeconds);
    return { dedup: 'new', body: text };
  }

  private async payment(
    raw: Buffer, claim: ClaimArgs,
    ctx: { partnerId: string; externalId: string; channelId?: string | undefined; receivedAtMs: number },
    log: Record<string, unknown>, onClaim: () => void,
  ): Promise<Outcome> {
    let request: PaymentRequest | undefined;
    let invalid: unknown;
    try {
      request = readPaymentRequest(parseBodyObject(raw));
    } catch (err) {
      invalid = err;
    }
    const { ledger, faults } = this.deps;
    const early = await this.fetchBill(request, claim, 'payment', onClaim);
    if (early !== undefined) return early;
    const nowIso = new Date(claim.nowMs).toISOString();
    const r = request === undefined
      ? await ledger.claim(claim)
      : await ledger.payment({
        ...claim,
        billKeys: this.billKeys(request),
        billPaymentKeys: this.billKeys(request, 'payments'),
        paymentRequestId: request.paymentRequestId,
        vaDigits: digitsOf(request.virtualAccountNo),
        paidMinor: request.paidAmount.minor,
        currency: request.paidAmount.currency,
        eventHead: paymentEventHead(request, ctx),
        nowIso,
        paymentRecordTtlSeconds: this.deps.settings.paymentRecordTtlSeconds,
        paymentEntry: JSON.stringify({
          paymentRequestId: request.paymentRequestId,
          eventId: paymentEventId(request.paymentRequestId),
          paidAmount: { value: formatAmountValue(request.paidAmount.minor), currency: request.paidAmount.currency },
          referenceNo: request.referenceNo ?? null,
          paidAt: nowIso,
        }),
      });
    if (isDedupHit(r)) return dedupOutcome('payment', r);
    onClaim();
    if (request === undefined || r.kind === 'claimed') {
      const f = failureOutcome(invalid);
      const text = JSON.stringify(bareResponse('payment', f.outcome, f.detail));
      await ledger.complete(claim.dedupKey, claim.token, text, claim.ttlSeconds);
      return { dedup: 'new', body: text };
    }
    log.paymentRequestId = request.paymentRequestId;
    let enqueued: string | undefined;
    let body: SnapResponseBody;
    switch (r.kind) {
      case 'accepted':
      case 'duplicate': {
        await faults?.afterRecord?.();
        if (r.kind === 'accepted' || !r.enqueued) {
          const t0 = performance.now();
          log.eventId = await this.deps.queue.enqueue(r.event);
          log.enqueueMs = Math.round((performance.now() - t0) * 100) / 100;
          enqueued = request.paymentRequestId;
          await faults?.afterEnqueue?.();
        }
        log.payment = r.kind === 'accepted' ? 'accepted' : 'retry';
        body = paymentResponse(request, 'success', r.name);
        break;
      }
      case 'inconsistent': body = paymentResponse(request, 'inconsistentRequest'); break;
      case 'notfound': body = paymentResponse(request, 'billNotFound'); break;
      case 'paid': body = paymentResponse(request, 'paidBill', r.name); break;
      case 'expired': body = paymentResponse(request, 'billExpired', r.name); break;
      case 'amount': body = paymentResponse(request, 'invalidAmount', r.name); break;
    }
    const text = JSON.stringify(body);
    await ledger.complete(claim.dedupKey, claim.token, text, claim.ttlSeconds, enqueued);
    await faults?.afterComplete?.();
    return { dedup: 'new', body: text };
  }

  /**
   * With an order-service bill source, takes the X-EXTERNAL-ID slot first (so a replay or a
   * conflict never calls the order service), then refreshes the bill; the business step
   * that follows passes the same claim again.
   */
  private async fetchBill(request: VaIdentity | undefined, claim: ClaimArgs, service: SnapService, onClaim: () => void): Promise<Outcome | undefined> {
    const source = this.deps.billSource;
    if (source === undefined || request === undefined) return undefined;
    const r = await this.deps.ledger.claim(claim);
    if (isDedupHit(r)) return dedupOutcome(service, r);
    onClaim();
    await source.sync(vaLookupCandidates(request)[0]!, claim.nowMs);
    return undefined;
  }

  private billKeys(id: VaIdentity, of: 'bill' | 'payments' = 'bill'): [string, string] {
    const c = vaLookupCandidates(id);
    const key = (va: string): string => (of === 'bill' ? this.deps.keys.bill(va) : this.deps.keys.billPayments(va));
    return [key(c[0]!), key(c[1] ?? c[0]!)];
  }

  private async awaitStored(dedupKey: string): Promise<string | undefined> {
    for (let waited = 0; waited < this.deps.settings.inflightWaitMs; waited += POLL_MS) {
      await sleep(POLL_MS);
      const stored = await this.deps.ledger.storedResponse(dedupKey);
      if (stored !== undefined) return stored;
    }
    return undefined;
  }
}

type DedupHit = Exclude<DedupResult, { kind: 'claimed' }>;

function isDedupHit(r: { readonly kind: string }): r is DedupHit {
  return r.kind === 'conflict' || r.kind === 'replay' || r.kind === 'inflight';
}

/** The X-EXTERNAL-ID ledger answered before any business step ran. */
function dedupOutcome(service: SnapService, r: DedupHit): Outcome {
  if (r.kind === 'conflict') return { dedup: 'conflict', body: bareResponse(service, 'conflict') };
  if (r.kind === 'replay') return { dedup: 'replay', body: r.body };
  return { dedup: 'inflight', body: '' };
}

interface Outcome {
  readonly dedup: 'new' | 'replay' | 'conflict' | 'inflight';
  readonly body: SnapResponseBody | string;
}
