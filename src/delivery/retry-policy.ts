export type DeliveryVerdict =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly retryAfterMs?: number | undefined }
  | { readonly kind: 'gone' }
  | { readonly kind: 'permanent' };

/** Parses `Retry-After` (delta-seconds or HTTP-date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * 2xx delivered; 410 the subscriber is gone; 408, 425, 429 and 5xx are worth retrying
 * (429/503 with their Retry-After); any other status is a permanent failure.
 */
export function verdictOf(status: number, retryAfterMs?: number): DeliveryVerdict {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  if (status === 429 || status === 503) return { kind: 'retry', retryAfterMs };
  if (status === 408 || status === 425 || status >= 500) return { kind: 'retry' };
  return { kind: 'permanent' };
}

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * min(cap, base * 2^(n-1)). A Retry-After from the subscriber wins, within the cap.
 */
export function retryDelayMs(retry: number, baseMs: number, capMs: number, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), capMs);
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(retry - 1, 0), 40));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
