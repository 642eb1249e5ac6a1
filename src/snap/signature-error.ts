export type SignatureFailure = 'missing_header' | 'bad_timestamp' | 'stale' | 'mismatch' | 'key_config' | 'key_window';

/**
 * Why a request's signature was refused. `key_config` and `key_window` are the operator's to
 * fix (no key, or none valid today); the others are the caller's.
 */
export class SignatureError extends Error {
  constructor(
    readonly reason: SignatureFailure,
    message: string,
    /** The header at fault, for `missing_header` and `bad_timestamp`. */
    readonly header?: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}
