import type { Partner, PartnerRegistry } from '../partners/partner';
import type { ClaimArgs } from '../redis/request-ledger';
import type { SnapService } from '../snap/response-codes';
import type { AnswerFormat } from './answer-format';

export type HeaderGetter = (name: string) => string | undefined;

/** The identity headers a kind reads before anything else. */
export interface KindHeaders {
  /** X-PARTNER-ID, or X-CLIENT-KEY for a token request: how the partner is found. */
  readonly partnerId: string;
  readonly externalId?: string | undefined;
  readonly channelId?: string | undefined;
}

/**
 * 'snap-transaction': the partner's own scheme (faspay-rsa: RSA over the request; snap-symmetric:
 * bearer token + HMAC). 'snap-token-request': RSA over X-CLIENT-KEY|X-TIMESTAMP (service 73).
 */
export type Authentication = 'snap-transaction' | 'snap-token-request';

export type DedupState = 'new' | 'replay' | 'conflict' | 'inflight' | 'none';

/** What a business step decided: the answer body (already in the kind's format) and extra headers. */
export interface Outcome {
  readonly dedup: DedupState;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface BusinessContext {
  readonly nowMs: number;
  readonly registry: PartnerRegistry;
  readonly partner: Partner;
  readonly headers: KindHeaders;
  /** Request log line fields; a kind may add its own (paymentRequestId, eventId, …). */
  readonly log: Record<string, unknown>;
}

export interface LedgerContext extends BusinessContext {
  readonly externalId: string;
  /** The X-EXTERNAL-ID slot this request may take (spec §2.3). */
  readonly claim: ClaimArgs;
  /** Call once the kind's ledger step took the slot: a failure after this releases it. */
  claimed(): void;
}

interface KindBase<Req> {
  /** For logs: `va-inquiry`, `va-payment`, `access-token`, … */
  readonly name: string;
  /** responseCode service, service-list name and canonical (signed) path. */
  readonly service: SnapService;
  /** Routes served; BASE_PATH variants are added by the edge. */
  readonly paths: readonly string[];
  readonly format: AnswerFormat;
  /** Media types accepted; anything else is refused before any other step. */
  readonly contentTypes: readonly string[];
  readonly authentication: Authentication;
  readHeaders(get: HeaderGetter): KindHeaders;
  /** Parses and validates the body; throws a typed error that names the field. */
  read(raw: Buffer): Req;
  /** An answer that acknowledges a durable write (a payment's 2002500): REDIS_WAIT_REPLICAS applies to it. */
  acknowledgesWrite?(responseCode: string): boolean;
}

/** A kind whose answers are kept for replay under (service, partner, X-EXTERNAL-ID, Jakarta day). */
export interface LedgerKind<Req> extends KindBase<Req> {
  readonly dedup: 'x-external-id';
  business(ctx: LedgerContext, request: Req): Promise<Outcome>;
}

/** A kind with no replay record (the token request). */
export interface StatelessKind<Req> extends KindBase<Req> {
  readonly dedup: 'none';
  business(ctx: BusinessContext, request: Req): Promise<Outcome>;
}

/**
 * Everything the pipeline needs to know about one message kind: how it authenticates, how its
 * body is read and validated, its dedup identity, its business step and its answer format.
 */
export type MessageKind<Req = unknown> = LedgerKind<Req> | StatelessKind<Req>;
