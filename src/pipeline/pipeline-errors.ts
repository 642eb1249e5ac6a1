/** X-PARTNER-ID / X-CLIENT-KEY names no partner of the registry (or one that cannot use this endpoint). */
export class UnknownClientError extends Error {
  readonly reason = 'unknown_client';
  constructor(partnerId: string, why = 'is not a configured partner') {
    super(`partner ${JSON.stringify(partnerId.slice(0, 36))} ${why}`);
    this.name = 'UnknownClientError';
  }
}

/** A body in a content type the route does not take (SNAP routes: application/json only). */
export class ContentTypeError extends Error {
  readonly reason = 'content_type';
  constructor(received: string | undefined) {
    super(`Content-Type ${received === undefined ? '(none)' : JSON.stringify(received.slice(0, 100))} is not accepted here`);
    this.name = 'ContentTypeError';
  }
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header === 'application/json') return header; // what Faspay sends: skip the parsing
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** What a message is about does not exist here (a card member this service never set up): 404, nothing written. */
export class NotFoundError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A route whose credentials or prerequisites are not configured: said plainly, answered 503. */
export class NotConfiguredError extends Error {
  readonly reason = 'not_configured';
  constructor(message: string) {
    super(message);
    this.name = 'NotConfiguredError';
  }
}
