import { createHash, verify } from 'node:crypto';
import { minifyJson } from './minify-json';
import type { PublicKeyEntry } from './public-keys';
import { repadIds } from './repad-ids';
import { parseIsoDateTime } from './timestamp';

export type SignatureFailure = 'missing_header' | 'bad_timestamp' | 'stale' | 'mismatch' | 'key_config';

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

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function decodeSignature(header: string): Buffer[] {
  const text = header.trim();
  const out: Buffer[] = [];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) out.push(Buffer.from(text, 'base64'));
  // The 64-hex sample in Faspay's docs suggests some senders hex-encode (spec §9 #1).
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) out.push(Buffer.from(text, 'hex'));
  return out;
}

/**
 * Verifies a Faspay → merchant SNAP request (asymmetric mode, spec §1.5):
 * X-SIGNATURE = base64(SHA256withRSA(METHOD:path:lowerhex(sha256(body)):X-TIMESTAMP)).
 * Tries each key × {canonical, actual path} × {raw, minified, re-padded body} and reports
 * which one matched. A pass proves the bytes were signed by a holder of one of `keys`
 * within the skew window; it does not prove the request is new (that is dedup's job).
 */
export function verifySignature(
  rawBody: Buffer,
  headers: { readonly timestamp?: string | undefined; readonly signature?: string | undefined },
  opts: VerifyOptions,
): VerifiedRequest {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || timestamp === '') throw new SignatureError('missing_header', 'X-TIMESTAMP is missing', 'X-TIMESTAMP');
  if (signature === undefined || signature === '') throw new SignatureError('missing_header', 'X-SIGNATURE is missing', 'X-SIGNATURE');
  if (opts.keys.length === 0) throw new SignatureError('key_config', 'no Faspay public key is configured');

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
      for (const { id, key } of opts.keys) {
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

  const timestampMs = parseIsoDateTime(timestamp);
  if (timestampMs === undefined) throw new SignatureError('bad_timestamp', 'X-TIMESTAMP is not an ISO-8601 date-time with offset', 'X-TIMESTAMP');
  if (opts.maxSkewSeconds !== 'off' && Math.abs(opts.nowMs - timestampMs) > opts.maxSkewSeconds * 1000) {
    throw new SignatureError('stale', `X-TIMESTAMP is more than ${opts.maxSkewSeconds} s away from the server clock`);
  }
  return { ...match, timestampMs, rawBodySha256: rawHash };
}
