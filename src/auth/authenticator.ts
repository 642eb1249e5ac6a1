import type { IncomingRequest } from '../pipeline/incoming-request';
import type { KindHeaders, MessageKind } from '../pipeline/message-kind';
import { UnknownClientError } from '../pipeline/pipeline-errors';
import { isSnapService } from '../pipeline/service-name';
import type { Partner, PartnerRegistry } from '../partners/partner';
import { CANONICAL_PATH } from '../snap/response-codes';
import { SignatureError } from '../snap/signature-error';
import { sha256Hex } from '../snap/signature-parts';
import { verifySignature } from '../snap/verify-signature';
import { verifySymmetricSignature } from '../snap/verify-symmetric-signature';
import { verifyTokenRequest } from '../snap/verify-token-request';
import { bearerToken, verifyToken } from './b2b-token';

export interface Authenticated {
  /** Lowercase hex SHA-256 of the raw body: the dedup digest. */
  readonly rawBodySha256: string;
  /** Which key, path and body candidate verified (for logs and the signature metric). */
  readonly log: { readonly keyId: string; readonly path: string; readonly body: string };
}

/** Proves a request came from its partner, by the partner's scheme (spec §1.5, §1.6). */
export class Authenticator {
  /** Per partner, the key that verified its last request: tried first next time (one RSA verify during a key rotation). */
  private readonly lastKey = new Map<string, string>();

  constructor(private readonly opts: { readonly repadCandidate: boolean }) {}

  async authenticate(kind: MessageKind, registry: PartnerRegistry, partner: Partner, headers: KindHeaders, req: IncomingRequest, nowMs: number): Promise<Authenticated> {
    const signed = { timestamp: req.header('X-TIMESTAMP'), signature: req.header('X-SIGNATURE') };
    if (kind.authentication === 'snap-token-request') {
      if (partner.auth !== 'snap-symmetric') throw new UnknownClientError(headers.partnerId, 'is not a token-mode partner');
      const v = verifyTokenRequest(headers.partnerId, signed, { keys: partner.publicKeys, nowMs, maxSkewSeconds: partner.clockSkewSeconds });
      return { rawBodySha256: sha256Hex(req.rawBody), log: { keyId: v.keyId, path: 'canonical', body: 'raw' } };
    }
    if (!isSnapService(kind.service)) throw new Error(`${kind.name} does not authenticate the SNAP way`);
    const canonicalPath = CANONICAL_PATH[kind.service];
    if (partner.auth === 'faspay-rsa') {
      const v = verifySignature(req.rawBody, signed, {
        method: req.method, canonicalPath, actualPath: req.path, keys: partner.publicKeys, nowMs, maxSkewSeconds: partner.clockSkewSeconds, repadCandidate: this.opts.repadCandidate,
        preferKeyId: this.lastKey.get(partner.name),
      });
      if (partner.publicKeys.length > 1) this.lastKey.set(partner.name, v.keyId);
      return { rawBodySha256: v.rawBodySha256, log: { keyId: v.keyId, path: v.path, body: v.body } };
    }
    // never an HMAC under an empty key: anyone could compute it
    if (partner.clientSecret === undefined || partner.clientSecret.length === 0) throw new SignatureError('key_config', `partner ${partner.name} has no client secret`);
    const accessToken = bearerToken(req.header('Authorization'));
    await verifyToken(registry.tokens, accessToken, headers.partnerId, nowMs);
    const v = verifySymmetricSignature(req.rawBody, signed, {
      method: req.method, canonicalPath, actualPath: req.path, accessToken, clientSecret: partner.clientSecret, nowMs, maxSkewSeconds: partner.clockSkewSeconds,
    });
    return { rawBodySha256: v.rawBodySha256, log: { keyId: 'hmac', path: v.path, body: v.body } };
  }
}
