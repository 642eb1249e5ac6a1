import type { AccessRule } from './access-policy';

/** A request refused by a list mode or the rate limit, before its signature was checked. */
export class AccessDeniedError extends Error {
  constructor(readonly rule: AccessRule | 'rate-limit', readonly detail: string, readonly retryAfterSeconds?: number) {
    super(`access denied by ${rule}: ${detail}`);
    this.name = 'AccessDeniedError';
  }
}
