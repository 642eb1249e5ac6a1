import { createHash } from 'node:crypto';
import type { PublicKeyEntry } from './public-keys';
import { SignatureError } from './signature-error';
import { parseIsoDateTime } from './timestamp';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** X-SIGNATURE as base64 and, for hex-encoding senders, as hex (spec §9 #1). */
export function decodeSignature(header: string): Buffer[] {
  const text = header.trim();
  const out: Buffer[] = [];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) out.push(Buffer.from(text, 'base64'));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) out.push(Buffer.from(text, 'hex'));
  return out;
}

export interface SignedHeaders {
  readonly timestamp?: string | undefined;
  readonly signature?: string | undefined;
}

/** Both headers present, or the typed error that names the missing one. */
export function requireSignedHeaders(h: SignedHeaders): { timestamp: string; signature: string } {
  if (h.timestamp === undefined || h.timestamp === '') throw new SignatureError('missing_header', 'X-TIMESTAMP is missing', 'X-TIMESTAMP');
  if (h.signature === undefined || h.signature === '') throw new SignatureError('missing_header', 'X-SIGNATURE is missing', 'X-SIGNATURE');
  return { timestamp: h.timestamp, signature: h.signature };
}

/** X-TIMESTAMP parsed and within the window (spec §2.2); `'off'` disables the window explicitly. */
export function checkFreshness(timestamp: string, nowMs: number, maxSkewSeconds: number | 'off'): number {
  const timestampMs = parseIsoDateTime(timestamp);
  if (timestampMs === undefined) throw new SignatureError('bad_timestamp', 'X-TIMESTAMP is not an ISO-8601 date-time with offset', 'X-TIMESTAMP');
  if (maxSkewSeconds !== 'off' && Math.abs(nowMs - timestampMs) > maxSkewSeconds * 1000) {
    throw new SignatureError('stale', `X-TIMESTAMP is more than ${maxSkewSeconds} s away from the server clock`);
  }
  return timestampMs;
}

/**
 * The keys valid at `nowMs` (each key's optional notBefore / notAfter window, both ends
 * inclusive). No key configured, or none valid now, is the operator's problem and says so.
 */
export function usableKeys(keys: readonly PublicKeyEntry[], nowMs: number): readonly PublicKeyEntry[] {
  if (keys.length === 0) throw new SignatureError('key_config', 'no public key is configured');
  // the usual case (no key with a validity window) needs no new array
  if (keys.every((k) => k.notBeforeMs === undefined && k.notAfterMs === undefined)) return keys;
  const usable = keys.filter((k) => (k.notBeforeMs === undefined || nowMs >= k.notBeforeMs) && (k.notAfterMs === undefined || nowMs <= k.notAfterMs));
  if (usable.length === 0) throw new SignatureError('key_window', 'no configured public key is valid at this time (notBefore / notAfter)');
  return usable;
}
