import type { AccessPolicy } from '../access/access-policy';
import type { Cidr } from '../access/cidr';
import type { PublicKeyEntry } from '../snap/public-keys';

export type PartnerAuth = 'faspay-rsa' | 'snap-symmetric';

export interface RateLimit {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** One caller of the public SNAP endpoints, with how it authenticates and what it may do. */
export interface Partner {
  /** For logs and metrics; never a secret. */
  readonly name: string;
  /** X-PARTNER-ID (or X-CLIENT-KEY for token requests) values this partner answers to; empty: any. */
  readonly partnerIds: readonly string[];
  readonly auth: PartnerAuth;
  /** Tried in order; each may carry a validity window. */
  readonly publicKeys: readonly PublicKeyEntry[];
  /** HMAC key of the token mode (snap-symmetric only). */
  readonly clientSecret?: Buffer | undefined;
  readonly clockSkewSeconds: number | 'off';
  readonly access: AccessPolicy;
  /** undefined: not limited. */
  readonly rateLimit?: RateLimit | undefined;
}

export interface TokenSigningKey {
  readonly id: string;
  readonly secret: Buffer;
  readonly notAfterMs?: number | undefined;
}

/** How this service issues B2B access tokens for snap-symmetric partners. */
export interface TokenSettings {
  readonly issuer: string;
  readonly ttlSeconds: number;
  /** The first key signs; every key verifies (rotation: add the new key first, drop the old one after ttl). */
  readonly signingKeys: readonly TokenSigningKey[];
}

/** The partner registry in force: an immutable value, swapped whole on reload. */
export interface PartnerRegistry {
  /** `env` or the partners file's path. */
  readonly source: string;
  readonly trustedProxies: readonly Cidr[];
  readonly partners: readonly Partner[];
  readonly tokens?: TokenSettings | undefined;
  find(partnerId: string): Partner | undefined;
}

export function makeRegistry(source: string, trustedProxies: readonly Cidr[], partners: readonly Partner[], tokens?: TokenSettings): PartnerRegistry {
  const byId = new Map<string, Partner>();
  let anyId: Partner | undefined;
  for (const p of partners) {
    if (p.partnerIds.length === 0) anyId = p;
    for (const id of p.partnerIds) byId.set(id, p);
  }
  return Object.freeze({
    source,
    trustedProxies: Object.freeze([...trustedProxies]),
    partners: Object.freeze([...partners]),
    tokens,
    find: (partnerId: string) => byId.get(partnerId) ?? anyId,
  });
}
