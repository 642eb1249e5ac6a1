import type { Cidr } from '../access/cidr';
import type { PublicKeyEntry } from '../snap/public-keys';
import { makeRegistry, type PartnerRegistry, type RateLimit } from './partner';

export interface EnvPartnerSettings {
  /** FASPAY_PARTNER_ID; empty: any X-PARTNER-ID is this partner (as before the registry existed). */
  readonly partnerIds: readonly string[];
  readonly publicKeys: readonly PublicKeyEntry[];
  readonly clockSkewSeconds: number | 'off';
  readonly rateLimit: RateLimit | undefined;
  readonly trustedProxies: readonly Cidr[];
  /** FASPAY_NOTIFY_IPS: an IP allow list for the env partner (needed for CC Expired, which has no signature). */
  readonly allowIps?: readonly Cidr[] | undefined;
}

/** Without PARTNERS_FILE, the env settings are one implicit Faspay partner named `faspay`. */
export function envRegistry(s: EnvPartnerSettings): PartnerRegistry {
  return makeRegistry('env', s.trustedProxies, [Object.freeze({
    name: 'faspay',
    partnerIds: s.partnerIds,
    auth: 'faspay-rsa' as const,
    publicKeys: s.publicKeys,
    clockSkewSeconds: s.clockSkewSeconds,
    access: Object.freeze(s.allowIps === undefined || s.allowIps.length === 0 ? {} : { ipList: { mode: 'allow' as const, cidrs: s.allowIps } }),
    rateLimit: s.rateLimit,
  })]);
}
