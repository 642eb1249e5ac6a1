import type { Partner, PartnerRegistry } from '../partners/partner';
import type { ClaimArgs } from '../redis/request-ledger';
import type { AnswerFormat } from './answer-format';
import type { ServiceName } from './service-name';

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
 * 'body-signature': a signature field inside the body (Faspay's legacy messages): the body is
 * read first and the kind's `verify` checks it. 'source-address': no signature exists (CC
 * Expired): only a partner with an IP allow list may send it.
 */
export type Authentication = 'snap-transaction' | 'snap-token-request' | 'body-signature' | 'source-address';

export type DedupState = 'new' | 'replay' | 'conflict' | 'inflight' | 'none';

/** What a business step decided: the answer body (already in the kind's format) and extra headers. */
export interface Outcome {
  readonly dedup: DedupState;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface BusinessContext {
  readonly nowMs: number;
  /** The format this request is answered in (a kind may answer XML to XML and JSON to JSON). */
  readonly format: AnswerFormat;
  readonly registry: PartnerRegistry;
  readonly partner: Partner;
  readonly headers: KindHeaders;
  /** Faspay's notification (the default), or the service's own reconciliation running a kind's business step. */
  readonly source?: 'notification' | 'reconciliation' | undefined;
  /** Request log line fields; a kind may add its own (paymentRequestId, eventId, …). */
  readonly log: Record<string, unknown>;
}

export interface LedgerContext extends BusinessContext {
  /** X-EXTERNAL-ID, or the notification identity. */
  readonly externalId: string;
  /** The X-EXTERNAL-ID slot this request may take (spec §2.3). */
  readonly claim: ClaimArgs;
  /** Call once the kind's ledger step took the slot: a failure after this releases it. */
  claimed(): void;
}

interface KindBase<Req> {
  /** For logs: `va-inquiry`, `va-payment`, `access-token`, … */
  readonly name: string;
  /** Service-list name; for SNAP kinds also the responseCode service and canonical (signed) path. */
  readonly service: ServiceName;
  /** Routes served; BASE_PATH variants are added by the edge. */
  readonly paths: readonly string[];
  readonly format: AnswerFormat;
  /** Media types accepted; anything else is refused before any other step. */
  readonly contentTypes: readonly string[];
  readonly authentication: Authentication;
  readHeaders(get: HeaderGetter): KindHeaders;
  /** Parses and validates the body (`mediaType` is the request's, one of `contentTypes`); throws a typed error that names the field. */
  read(raw: Buffer, mediaType: string): Req;
  /** 'body-signature' kinds: checks the body's signature (throws SignatureError) and says what matched, for the log. */
  verify?(request: Req, ctx: BusinessContext): string;
  /** The answer format for a request's media type, when it depends on it (legacy XML or JSON). */
  formatFor?(mediaType: string): AnswerFormat;
  /**
   * Another kind that should take this request instead, judged by its body's shape: Faspay's
   * sandbox posts legacy notifications to SNAP URLs (spec §9 #16).
   */
  divertTo?(raw: Buffer, mediaType: string | undefined): MessageKind | undefined;
  /** An answer that acknowledges a durable write (a payment's 2002500): REDIS_WAIT_REPLICAS applies to it. */
  acknowledgesWrite?(responseCode: string): boolean;
}

/**
 * A kind whose answers are kept for replay: under (service, partner, X-EXTERNAL-ID, Jakarta
 * day) for SNAP ('x-external-id'), or under what the notification is about ('notification':
 * `identity` of the valid body, e.g. trx_id + status, so a resend is a replay however its bytes differ).
 */
export interface LedgerKind<Req> extends KindBase<Req> {
  readonly dedup: 'x-external-id' | 'notification';
  identity?(request: Req): string;
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
