import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessDeniedError } from '../access/access-denied-error';
import { checkAccess } from '../access/access-policy';
import { clientAddress } from '../access/client-address';
import type { Authenticator } from '../auth/authenticator';
import type { PartnerRegistry } from '../partners/partner';
import type { RateLimitCheck, RateLimiter } from '../redis/rate-limiter';
import type { RedisKeys } from '../redis/redis-keys';
import type { ClaimArgs, RequestLedger } from '../redis/request-ledger';
import { SnapFieldError } from '../snap/request-fields';
import { sha256Hex } from '../snap/signature-parts';
import { jakartaDay } from '../snap/timestamp';
import { isDedupHit, dedupOutcome } from './dedup-outcome';
import { failureOutcome } from './failure-outcome';
import type { IncomingRequest, Reply } from './incoming-request';
import type { BusinessContext, LedgerContext, LedgerKind, MessageKind, Outcome } from './message-kind';
import { ContentTypeError, mediaTypeOf, NotConfiguredError, UnknownClientError } from './pipeline-errors';

export interface PipelineSettings {
  readonly dedupTtlSeconds: number;
  readonly inflightLeaseMs: number;
  readonly inflightWaitMs: number;
}

export interface PipelineDeps {
  /** The registry in force; read once per request, so a reload never changes a request midway. */
  readonly registry: () => PartnerRegistry;
  readonly authenticator: Authenticator;
  readonly rateLimiter?: RateLimiter | undefined;
  readonly ledger: RequestLedger;
  readonly keys: RedisKeys;
  readonly clock: () => number;
  readonly settings: PipelineSettings;
  /** REDIS_WAIT_REPLICAS > 0: replicas must hold a write before it is acknowledged. */
  readonly replication?: { confirm(recordKey: string): Promise<number> } | undefined;
}

const POLL_MS = 15;

type Read = { ok: true; value: unknown } | { ok: false; error: unknown };

function readBody(kind: MessageKind, raw: Buffer, mediaType: string): Read {
  try {
    return { ok: true, value: kind.read(raw, mediaType) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs every message kind through the same steps: content type → headers → access policy →
 * authentication → rate limit → dedup → validation → business → persist + enqueue → answer.
 * Nothing before a successful authentication touches Redis, so strangers cannot burn
 * X-EXTERNAL-IDs, fill the rate limiter or learn which rule refused them. (Kinds signed inside
 * their body are read before they are authenticated; reading writes nothing.)
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(kind: MessageKind, req: IncomingRequest): Promise<Reply> {
    const diverted = kind.divertTo?.(req.rawBody, mediaTypeOf(req.header('Content-Type')));
    if (diverted !== undefined) {
      const r = await this.handle(diverted, req);
      r.log.divertedFrom = kind.name;
      return r;
    }
    const log: Record<string, unknown> = req.log ?? {};
    log.snapService = kind.service;
    const nowMs = this.deps.clock();
    const registry = this.deps.registry();
    let headers: Readonly<Record<string, string>> = {};
    let format = kind.format;
    const reply = (body: string): Reply => {
      log.responseCode = format.responseCode(body);
      return { status: format.status(body), body, contentType: format.contentType, headers, log };
    };
    const fail = (err: unknown): Reply => {
      const f = failureOutcome(err);
      log.failure = f.reason;
      if (f.reason === 'internal') log.error = err instanceof Error ? err.message : String(err);
      if (err instanceof AccessDeniedError || err instanceof UnknownClientError || err instanceof NotConfiguredError) log.denied = err.message;
      if (f.retryAfterSeconds !== undefined) headers = { ...headers, 'Retry-After': String(f.retryAfterSeconds) };
      return reply(format.failure(kind.service, f, nowMs));
    };

    let ctx: BusinessContext;
    let bodyDigest: string;
    let rateLimit: RateLimitCheck | undefined;
    let read: Read | undefined;
    try {
      const mediaType = mediaTypeOf(req.header('Content-Type'));
      if (mediaType === undefined || !kind.contentTypes.includes(mediaType)) throw new ContentTypeError(req.header('Content-Type'));
      format = kind.formatFor?.(mediaType) ?? kind.format;
      const kindHeaders = kind.readHeaders(req.header);
      log.partnerId = kindHeaders.partnerId;
      if (kindHeaders.externalId !== undefined) log.externalId = kindHeaders.externalId;
      if (kindHeaders.channelId !== undefined) log.channelId = kindHeaders.channelId;
      const client = clientAddress(req.peerAddress, req.header('X-Forwarded-For'), registry.trustedProxies);
      log.clientIp = client.ip?.text ?? null;
      const partner = registry.find(kindHeaders.partnerId);
      if (partner === undefined) throw new UnknownClientError(kindHeaders.partnerId);
      log.partner = partner.name;
      const decision = checkAccess(partner.access, { client, nowMs, service: kind.service });
      if (!decision.allowed) throw new AccessDeniedError(decision.rule, decision.detail);
      ctx = { nowMs, format, registry, partner, headers: kindHeaders, log };
      if (kind.authentication === 'body-signature' || kind.authentication === 'source-address') {
        read = readBody(kind, req.rawBody, mediaType);
        if (!read.ok) throw read.error;
        if (kind.authentication === 'body-signature') {
          log.signature = { keyId: kind.verify!(read.value, ctx), path: 'body', body: 'raw' };
        } else if (partner.access.ipList?.mode !== 'allow') {
          // no signature exists for this message: an IP allow list is the only proof of origin
          throw new NotConfiguredError(`${kind.name} is accepted only from a partner with an IP allow list (ipList mode allow)`);
        }
        bodyDigest = sha256Hex(req.rawBody);
      } else {
        const auth = await this.deps.authenticator.authenticate(kind, registry, partner, kindHeaders, req, nowMs);
        log.signature = auth.log;
        bodyDigest = auth.rawBodySha256;
      }
      rateLimit = this.deps.rateLimiter?.check(partner, client.ip?.text ?? 'unknown');
      // a ledger kind's claim script applies the limit in its own round trip; others pay one here
      if (kind.dedup === 'none') await this.deps.rateLimiter?.take(rateLimit, nowMs);
      read ??= readBody(kind, req.rawBody, mediaType);
    } catch (err) {
      return fail(err);
    }

    if (kind.dedup === 'none') {
      if (!read.ok) return fail(read.error);
      try {
        const outcome = await kind.business(ctx, read.value);
        if (outcome.headers !== undefined) headers = { ...headers, ...outcome.headers };
        return reply(outcome.body);
      } catch (err) {
        return fail(err);
      }
    }

    let dedupKey: string;
    let externalId: string;
    if (kind.dedup === 'notification') {
      // no X-EXTERNAL-ID: the valid body's identity is the replay key, so an invalid one stores nothing
      if (!read.ok) return fail(read.error);
      externalId = kind.identity!(read.value);
      dedupKey = this.deps.keys.notificationDedup(kind.service, externalId);
      bodyDigest = sha256Hex(externalId);
    } else {
      if (ctx.headers.externalId === undefined) return fail(new SnapFieldError('invalidMandatoryField', 'X-EXTERNAL-ID'));
      externalId = ctx.headers.externalId;
      dedupKey = this.deps.keys.dedup(kind.service, ctx.headers.partnerId, externalId, jakartaDay(nowMs));
    }
    const claim: ClaimArgs = {
      dedupKey,
      bodyDigest,
      nowMs,
      leaseMs: this.deps.settings.inflightLeaseMs,
      ttlSeconds: this.deps.settings.dedupTtlSeconds,
      token: randomUUID(),
      rateLimit,
    };
    let claimed = false;
    // written out, not spread: a spread followed by more fields makes a slow dictionary-mode object (V8)
    const ledgerCtx: LedgerContext = {
      nowMs: ctx.nowMs,
      format: ctx.format,
      registry: ctx.registry,
      partner: ctx.partner,
      headers: ctx.headers,
      log: ctx.log,
      externalId,
      claim,
      claimed: () => {
        claimed = true;
        log.dedup = 'new';
      },
    };
    try {
      const outcome = read.ok ? await kind.business(ledgerCtx, read.value) : await this.storeInvalid(kind, ledgerCtx, read.error);
      log.dedup = outcome.dedup;
      let body = outcome.body;
      if (outcome.dedup === 'inflight') {
        const stored = await this.awaitStored(claim.dedupKey);
        log.dedup = stored === undefined ? 'inflight' : 'replay';
        body = stored ?? format.failure(kind.service, { outcome: 'inProgress', reason: 'inflight' }, nowMs);
      }
      const { replication } = this.deps;
      if (replication !== undefined && kind.acknowledgesWrite?.(format.responseCode(body)) === true) {
        // the stored answer's key: it must be on the primary whose replicas confirmed
        log.replicas = await replication.confirm(claim.dedupKey);
      }
      return reply(body);
    } catch (err) {
      if (claimed) await this.deps.ledger.release(claim.dedupKey, claim.token).catch(() => undefined);
      return fail(err);
    }
  }

  /** An invalid body takes the X-EXTERNAL-ID slot like any request: its answer is stored for replay too. */
  private async storeInvalid(kind: LedgerKind<unknown>, ctx: LedgerContext, error: unknown): Promise<Outcome> {
    const r = await this.deps.ledger.claim(ctx.claim);
    if (isDedupHit(r)) return dedupOutcome(ctx.format, kind.service, r, ctx.nowMs);
    ctx.claimed();
    const text = ctx.format.failure(kind.service, failureOutcome(error), ctx.nowMs);
    await this.deps.ledger.complete(ctx.claim.dedupKey, ctx.claim.token, text, ctx.claim.ttlSeconds);
    return { dedup: 'new', body: text };
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
