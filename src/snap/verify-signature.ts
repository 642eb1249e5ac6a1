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
  const keys = usableKeys(opts.keys, opts.nowMs);

  const rawHash = sha256Hex(rawBody);
  const bodies: Array<[BodyCandidate, () => string | undefined]> = [['raw', () => rawHash]];
  let minified: Buffer | undefined;
  const getMinified = (): Buffer => (minified ??= minifyJson(rawBody));
  bodies.push(['minified', () => (getMinified() === rawBody ? undefined : sha256Hex(getMinified()))]);
  if (opts.repadCandidate) {
    bodies.push(['repadded', () => {
      const repadded = repadIds(getMinified().toString('utf8'));
      return repadded === undefined ? undefined : sha256Hex(repadded);
    }]);
  }
  const paths: Array<['canonical' | 'actual', string]> = [['canonical', opts.canonicalPath]];
  if (opts.actualPath !== opts.canonicalPath) paths.push(['actual', opts.actualPath]);
  const sigs = decodeSignature(signature);
  const method = opts.method.toUpperCase();

  let match: Omit<VerifiedRequest, 'timestampMs' | 'rawBodySha256'> | undefined;
  search: for (const [bodyName, digestOf] of bodies) {
    const digest = digestOf();
    if (digest === undefined) continue;
    for (const [pathName, path] of paths) {
      const stringToSign = Buffer.from(`${method}:${path}:${digest}:${timestamp}`, 'utf8');
      for (const { id, key } of keys) {
        for (const sig of sigs) {
          if (verify('sha256', stringToSign, key, sig)) {
            match = { keyId: id, path: pathName, body: bodyName };
            break search;
          }
        }
      }
    }
  }
  if (match === undefined) throw new SignatureError('mismatch', 'X-SIGNATURE does not verify with any configured key');

  const timestampMs = checkFreshness(timestamp, opts.nowMs, opts.maxSkewSeconds);
  return { ...match, timestampMs, rawBodySha256: rawHash };
}
