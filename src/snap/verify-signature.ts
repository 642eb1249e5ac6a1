import { verify } from 'node:crypto';
import { minifyJson } from './minify-json';
import type { PublicKeyEntry } from './public-keys';
import { repadIds } from './repad-ids';
import { SignatureError } from './signature-error';
import { checkFreshness, decodeSignature, requireSignedHeaders, sha256Hex, usableKeys, type SignedHeaders } from './signature-parts';


export type BodyCandidate = 'raw' | 'minified' | 'repadded';

export interface VerifyOptions {
  readonly method: string;
  /** The path Faspay signs, e.g. `/v1.0/transfer-va/inquiry` (spec §1.3). */
  readonly canonicalPath: string;
  /** The path the request arrived on, without query; tried second when it differs. */
  readonly actualPath: string;
  readonly keys: readonly PublicKeyEntry[];
  readonly nowMs: number;
  /** Allowed |now - X-TIMESTAMP|; `'off'` disables the check explicitly. */
  readonly maxSkewSeconds: number | 'off';
  /** Try the re-padded body of spec §1.4 (Faspay sandbox quirk). */
  readonly repadCandidate: boolean;
  /** The key to try first (the last one that matched for this partner), so a request during a key rotation verifies once. */
  readonly preferKeyId?: string | undefined;
}

export interface VerifiedRequest {
  readonly keyId: string;
  readonly path: 'canonical' | 'actual';
  readonly body: BodyCandidate;
  readonly timestampMs: number;
  /** Lowercase hex SHA-256 of the raw body, reused as the dedup digest. */
  readonly rawBodySha256: string;
}

/**
 * Verifies a Faspay → merchant SNAP request (asymmetric mode, spec §1.5):
 * X-SIGNATURE = base64(SHA256withRSA(METHOD:path:lowerhex(sha256(body)):X-TIMESTAMP)).
 * Tries each key × {canonical, actual path} × {raw, minified, re-padded body} and reports
 * which one matched. A pass proves the bytes were signed by a holder of one of `keys`
 * within the skew window; it does not prove the request is new (that is dedup's job).
 */
export function verifySignature(rawBody: Buffer, headers: SignedHeaders, opts: VerifyOptions): VerifiedRequest {
  const { timestamp, signature } = requireSignedHeaders(headers);
  const usable = usableKeys(opts.keys, opts.nowMs);
  const preferred = opts.preferKeyId === undefined || usable[0]!.id === opts.preferKeyId ? -1 : usable.findIndex((k) => k.id === opts.preferKeyId);
  const keys = preferred < 0 ? usable : [usable[preferred]!, ...usable.filter((_, i) => i !== preferred)];
  const rawBodySha256 = sha256Hex(rawBody);
  const sigs = decodeSignature(signature);
  const method = opts.method.toUpperCase();
  /** The id of the first key (and signature encoding) that verifies this string to sign. */
  const keyFor = (path: string, digest: string): string | undefined => {
    const stringToSign = Buffer.from(`${method}:${path}:${digest}:${timestamp}`, 'utf8');
    for (const { id, key } of keys) {
      for (const sig of sigs) if (verify('sha256', stringToSign, key, sig)) return id;
    }
    return undefined;
  };
  /** Canonical path first, then the path it arrived on. */
  const tryPaths = (body: BodyCandidate, digest: string): Omit<VerifiedRequest, 'timestampMs' | 'rawBodySha256'> | undefined => {
    let keyId = keyFor(opts.canonicalPath, digest);
    if (keyId !== undefined) return { keyId, path: 'canonical', body };
    if (opts.actualPath === opts.canonicalPath) return undefined;
    keyId = keyFor(opts.actualPath, digest);
    return keyId === undefined ? undefined : { keyId, path: 'actual', body };
  };

  // the body as sent verifies for every well-behaved sender: the other candidates are built only when it does not
  let match = tryPaths('raw', rawBodySha256);
  if (match === undefined) {
    const minified = minifyJson(rawBody);
    if (minified !== rawBody) match = tryPaths('minified', sha256Hex(minified));
    if (match === undefined && opts.repadCandidate) {
      const repadded = repadIds(minified.toString('utf8'));
      if (repadded !== undefined) match = tryPaths('repadded', sha256Hex(repadded));
    }
  }
  if (match === undefined) throw new SignatureError('mismatch', 'X-SIGNATURE does not verify with any configured key');

  const timestampMs = checkFreshness(timestamp, opts.nowMs, opts.maxSkewSeconds);
  return { keyId: match.keyId, path: match.path, body: match.body, timestampMs, rawBodySha256 };
}
