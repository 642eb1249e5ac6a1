export type TokenFailure = 'token_missing' | 'token_invalid';

/** A token-mode call without a usable B2B access token (spec §1.6): 401xx03 or 401xx01. */
export class TokenError extends Error {
  constructor(readonly reason: TokenFailure, message: string) {
    super(message);
    this.name = 'TokenError';
  }
}
