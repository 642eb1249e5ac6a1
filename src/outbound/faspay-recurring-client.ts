import { parseRecurringResponse, type RecurringResult } from '../legacy/recurring-response';
import type { RecurringOperation } from '../legacy/recurring-update';

/** Faspay did not answer within the time budget: it may or may not have applied the update. */
export class FaspayTimeoutError extends Error {
  readonly reason = 'faspay_timeout';
  constructor(readonly timeoutMs: number) {
    super(`Faspay did not answer within ${timeoutMs} ms`);
    this.name = 'FaspayTimeoutError';
  }
}

/** Faspay answered with an HTTP error, or could not be reached. */
export class FaspayUnavailableError extends Error {
  readonly reason = 'faspay_unavailable';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
    this.name = 'FaspayUnavailableError';
  }
}

/**
 * Posts Update Card (to FASPAY_RECURRING_URL, seed 001) and Update Member (its
 * `/process/update`, Faspay's Update Member page) as JSON, within a time budget.
 */
export class FaspayRecurringClient {
  constructor(private readonly baseUrl: string, private readonly timeoutMs: number) {}

  urlFor(op: RecurringOperation): string {
    return op === 'update-card' ? this.baseUrl : `${this.baseUrl}/process/update`;
  }

  async post(op: RecurringOperation, message: Readonly<Record<string, string>>): Promise<RecurringResult> {
    let res: Response;
    try {
      res = await fetch(this.urlFor(op), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new FaspayTimeoutError(this.timeoutMs);
      throw new FaspayUnavailableError(`Faspay could not be reached: ${(err.cause as Error | undefined)?.message ?? err.message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new FaspayTimeoutError(this.timeoutMs);
      throw new FaspayUnavailableError(`Faspay's answer broke off: ${err.message}`);
    }
    if (res.status >= 500) throw new FaspayUnavailableError(`Faspay answered HTTP ${res.status}`, res.status);
    if (res.status >= 400) throw new FaspayUnavailableError(`Faspay refused the request with HTTP ${res.status}`, res.status);
    return parseRecurringResponse(text);
  }
}
