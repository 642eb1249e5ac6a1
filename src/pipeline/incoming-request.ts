/** What the edge hands the pipeline: the request as received, nothing parsed yet. */
export interface IncomingRequest {
  readonly method: string;
  /** Path as received, without query string. */
  readonly path: string;
  readonly header: (name: string) => string | undefined;
  readonly rawBody: Buffer;
  /** The socket peer's address, as the socket reports it (may be IPv4-mapped IPv6). */
  readonly peerAddress: string | undefined;
  /** The request's log line as the edge started it (level, message, request id): the pipeline adds its fields to it. */
  readonly log?: Record<string, unknown> | undefined;
}

/** What the pipeline hands back: the edge writes it and nothing else. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  /** Extra response headers (Retry-After, X-CLIENT-KEY). */
  readonly headers: Readonly<Record<string, string>>;
  /** Fields for the request log line (never secrets or PII). */
  readonly log: Record<string, unknown>;
}
