import { randomInt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'winston';
import { merchantSignature, MERCHANT_SERVICES, MerchantAnswerError, readMerchantAnswer, type MerchantAnswer, type MerchantService } from '../snap/merchant-requests';
import { formatJakarta } from '../snap/timestamp';

export interface FaspaySnapClientOptions {
  readonly baseUrl: string;
  readonly privateKey: KeyObject;
  /** X-PARTNER-ID and CHANNEL-ID of the merchant's calls. */
  readonly partnerId: string;
  readonly channelId: string;
  readonly timeoutMs: number;
  /** Attempts on a 5xx or a timeout (a 4xx is an answer: never retried). */
  readonly attempts: number;
  readonly backoffMs: number;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly onAnswer?: (service: MerchantService, responseCode: string) => void;
}

/** Faspay could not be asked (timeouts, 5xx, unreadable answers) after every attempt. */
export class FaspayApiUnavailableError extends Error {
  readonly reason = 'faspay_api_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'FaspayApiUnavailableError';
  }
}

let seq = 0;
/** A numeric X-EXTERNAL-ID, unique for the day (spec §2.3). */
function externalId(nowMs: number): string {
  seq = (seq + 1) % 100_000;
  return `${nowMs}${String(process.pid % 100_000).padStart(5, '0')}${String(seq).padStart(5, '0')}${randomInt(1e9)}`.slice(0, 36);
}

/**
 * Faspay's SNAP API for the merchant's own calls (spec §1.1): status (26), create-va (27),
 * delete-va (31), signed with the merchant's key, within a time budget, retried with backoff
 * on 5xx and timeouts only, each call logged without secrets and counted by service and code.
 */
export class FaspaySnapClient {
  constructor(private readonly o: FaspaySnapClientOptions) {}

  async call(service: MerchantService, body: string): Promise<MerchantAnswer> {
    const { method, path } = MERCHANT_SERVICES[service];
    let last = '';
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      const timestamp = formatJakarta(this.o.clock());
      const started = performance.now();
      let status: number | undefined;
      try {
        const res = await fetch(`${this.o.baseUrl}${path}`, {
          method,
          headers: {
            'Content-Type': 'application/json',
            'X-TIMESTAMP': timestamp,
            'X-SIGNATURE': merchantSignature(this.o.privateKey, method, path, body, timestamp),
            'X-PARTNER-ID': this.o.partnerId,
            'X-EXTERNAL-ID': externalId(this.o.clock()),
            'CHANNEL-ID': this.o.channelId,
          },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        status = res.status;
        const text = await res.text();
        if (res.status >= 500) {
          last = `HTTP ${res.status}`;
        } else {
          const answer = readMerchantAnswer(service, text);
          this.o.onAnswer?.(service, answer.responseCode);
          this.o.logger.info('faspay api call', { service, attempt, httpStatus: res.status, responseCode: answer.responseCode, latencyMs: Math.round(performance.now() - started) });
          return answer;
        }
      } catch (e) {
        const err = e as Error;
        last = err.name === 'TimeoutError' || err.name === 'AbortError' ? `timeout after ${this.o.timeoutMs} ms` : err instanceof MerchantAnswerError ? err.message : `unreachable: ${(err.cause as Error | undefined)?.message ?? err.message}`;
        // an answer that breaks the protocol is not retried: it would break the same way again
        if (err instanceof MerchantAnswerError) {
          this.o.onAnswer?.(service, 'invalid');
          this.o.logger.warn('faspay api call answered out of protocol', { service, attempt, httpStatus: status, error: last });
          throw new FaspayApiUnavailableError(last);
        }
      }
      this.o.onAnswer?.(service, status === undefined ? 'unreachable' : String(status));
      this.o.logger.warn('faspay api call failed', { service, attempt, httpStatus: status, error: last });
      if (attempt < this.o.attempts) await new Promise((r) => setTimeout(r, this.o.backoffMs * 2 ** (attempt - 1)));
    }
    throw new FaspayApiUnavailableError(`Faspay's ${service} failed ${this.o.attempts} times (last: ${last})`);
  }
}
