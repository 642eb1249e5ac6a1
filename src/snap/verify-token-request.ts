import { verify } from 'node:crypto';
import type { PublicKeyEntry } from './public-keys';
import { SignatureError } from './signature-error';
import { checkFreshness, decodeSignature, requireSignedHeaders, usableKeys, type SignedHeaders } from './signature-parts';

export interface TokenRequestVerified {
  readonly keyId: string;
  readonly timestampMs: number;
}

/**
 * B2B access-token request (service 73, spec §1.6, V11):
 * X-SIGNATURE = base64(SHA256withRSA(callerPrivateKey, X-CLIENT-KEY + "|" + X-TIMESTAMP)),
 * verified with the partner's public keys that are valid now.
 */
export function verifyTokenRequest(
  clientKey: string,
  headers: SignedHeaders,
  opts: { readonly keys: readonly PublicKeyEntry[]; readonly nowMs: number; readonly maxSkewSeconds: number | 'off' },
): TokenRequestVerified {
  const { timestamp, signature } = requireSignedHeaders(headers);
  const keys = usableKeys(opts.keys, opts.nowMs);
  const stringToSign = Buffer.from(`${clientKey}|${timestamp}`, 'utf8');
  const sigs = decodeSignature(signature);
  const match = keys.find(({ key }) => sigs.some((sig) => verify('sha256', stringToSign, key, sig)));
  if (match === undefined) throw new SignatureError('mismatch', 'X-SIGNATURE does not verify over X-CLIENT-KEY|X-TIMESTAMP with any key of the partner');
  return { keyId: match.id, timestampMs: checkFreshness(timestamp, opts.nowMs, opts.maxSkewSeconds) };
}
