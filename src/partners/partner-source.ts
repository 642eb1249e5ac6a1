import { readFileSync } from 'node:fs';
import type { Config } from '../config/load-config';
import type { PublicKeyEntry } from '../snap/public-keys';
import { envRegistry } from './env-registry';
import { loadPartnersFile, type PartnersIo } from './load-partners';
import type { PartnerRegistry } from './partner';

export interface PartnerSource {
  readonly initial: PartnerRegistry;
  readonly load?: (() => PartnerRegistry) | undefined;
  readonly watchFile?: string | undefined;
}

/** The implicit env partner (no PARTNERS_FILE): Faspay's keys from FASPAY_PUBLIC_KEY*, ids from FASPAY_PARTNER_ID. */
export function envPartnerSource(config: Config, publicKeys: readonly PublicKeyEntry[]): PartnerSource {
  return {
    initial: envRegistry({
      partnerIds: config.faspayPartnerIds,
      publicKeys,
      clockSkewSeconds: config.maxClockSkewSeconds,
      rateLimit: config.rateLimit,
      trustedProxies: config.trustedProxies,
      allowIps: config.faspay.notifyIps,
    }),
  };
}

/**
 * PARTNERS_FILE, read now (a problem throws PartnersFileError naming each field) and again on
 * every reload; `env` resolves the file's `env:` references.
 */
export function filePartnerSource(config: Config, file: string, env: PartnersIo['env'], devTokenKey?: () => Buffer): PartnerSource {
  const io: PartnersIo = { readFile: (p) => readFileSync(p, 'utf8'), env };
  const defaults = { clockSkewSeconds: config.maxClockSkewSeconds, rateLimit: config.rateLimit, production: config.production, devTokenKey };
  const load = (): PartnerRegistry => loadPartnersFile(file, io, defaults);
  return { initial: load(), load, watchFile: file };
}
