import { createHmac, timingSafeEqual } from 'node:crypto';
import { minifyJson } from './minify-json';
import { SignatureError } from './signature-error';
import { checkFreshness, requireSignedHeaders, sha256Hex, type SignedHeaders } from './signature-parts';

export interface SymmetricVerifyOptions {
  readonly method: string;
  readonly canonicalPath: string;
  readonly actualPath: string;
  /** The bearer token exactly as presented (it is part of the string to sign). */
  readonly accessToken: string;
  readonly clientSecret: Buffer;
  readonly nowMs: number;
  readonly maxSkewSeconds: number | 'off';
}

export interface SymmetricVerified {
  readonly path: 'canonical' | 'actual';
  readonly body: 'raw' | 'minified';
  readonly timestampMs: number;
  readonly rawBodySha256: string;
}

/**
 * Generic SNAP token mode (spec §1.6, BI "Symmetric with Get Token"):
 * X-SIGNATURE = base64(HMAC-SHA512(clientSecret, METHOD:path:accessToken:lowerhex(sha256(minify(body))):X-TIMESTAMP)).
 * Every candidate is compared in constant time; a pass proves the sender holds the client
 * secret and the token it presented, not that the token itself is valid (the caller checks that first).
 */
export function verifySymmetricSignature(rawBody: Buffer, headers: SignedHeaders, opts: SymmetricVerifyOptions): SymmetricVerified {
  const { timestamp, signature } = requireSignedHeaders(headers);
  const rawHash = sha256Hex(rawBody);
  const minified = minifyJson(rawBody);
  const bodies: Array<['raw' | 'minified', string]> = [['raw', rawHash]];
  if (minified !== rawBody) bodies.push(['minified', sha256Hex(minified)]);
  const paths: Array<['canonical' | 'actual', string]> = [['canonical', opts.canonicalPath]];
  if (opts.actualPath !== opts.canonicalPath) paths.push(['actual', opts.actualPath]);
  const presented = Buffer.from(signature.trim(), 'utf8');
  const method = opts.method.toUpperCase();
  let match: Pick<SymmetricVerified, 'path' | 'body'> | undefined;
  for (const [body, digest] of bodies) {
    for (const [path, p] of paths) {
      const expected = Buffer.from(
        createHmac('sha512', opts.clientSecret).update(`${method}:${p}:${opts.accessToken}:${digest}:${timestamp}`, 'utf8').digest('base64'),
        'utf8',
      );
      // no early exit: every candidate costs the same whether or not an earlier one matched
      if (expected.length === presented.length && timingSafeEqual(expected, presented) && match === undefined) match = { path, body };
    }
  }
  if (match === undefined) throw new SignatureError('mismatch', 'X-SIGNATURE does not match the HMAC of the client secret');
  return { ...match, timestampMs: checkFreshness(timestamp, opts.nowMs, opts.maxSkewSeconds), rawBodySha256: rawHash };
}
