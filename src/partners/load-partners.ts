import { parse as parseYaml } from 'yaml';
import { parseCidr, type Cidr } from '../access/cidr';
import { parseHourRange } from '../access/hour-ranges';
import type { AccessPolicy } from '../access/access-policy';
import { parsePublicKeys, type PublicKeyEntry } from '../snap/public-keys';
import { parseIsoDateTime } from '../snap/timestamp';
import { makeRegistry, type Partner, type PartnerRegistry, type RateLimit, type TokenSettings } from './partner';
import { formatPath, PARTNERS_DOCUMENT, type PartnerDocument, type PartnersDocument, type PublicKeyRef, type SecretRef } from './partners-schema';

/** Every problem of a partners file, each naming its field: `partners[1].ipList.cidrs[0]: "10.0.0.300/8" is not a CIDR`. */
export class PartnersFileError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`PARTNERS_FILE=${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PartnersFileError';
  }
}

/** The outside world the loader reads: files and environment variables (injected, so tests need neither). */
export interface PartnersIo {
  readFile(path: string): string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface PartnerDefaults {
  readonly clockSkewSeconds: number | 'off';
  readonly rateLimit: RateLimit | undefined;
  readonly production: boolean;
  /** Outside production: a token signing key when the file names none (development convenience). */
  readonly devTokenKey?: (() => Buffer) | undefined;
}

const MIN_CLIENT_SECRET = 16;
const MIN_SIGNING_KEY = 32;

const dateMs = (v: string | Date | undefined): number | undefined =>
  v === undefined ? undefined : v instanceof Date ? v.getTime() : parseIsoDateTime(v);

/** Reads, validates and resolves a partners file (YAML, or JSON by its .json extension) into a frozen registry. */
export function loadPartnersFile(file: string, io: PartnersIo, defaults: PartnerDefaults): PartnerRegistry {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new PartnersFileError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  return parsePartners(text, file, io, defaults);
}

export function parsePartners(text: string, file: string, io: PartnersIo, defaults: PartnerDefaults): PartnerRegistry {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { schema: 'core', uniqueKeys: true, maxAliasCount: 100, prettyErrors: true });
  } catch (e) {
    throw new PartnersFileError(file, [`not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`]);
  }
  const parsed = PARTNERS_DOCUMENT.safeParse(raw);
  if (!parsed.success) {
    throw new PartnersFileError(file, parsed.error.issues.map((i) => `${formatPath(i.path) || '(top level)'}: ${i.message}`));
  }
  const problems: string[] = [];
  const registry = resolve(parsed.data, file, io, defaults, problems);
  if (problems.length > 0) throw new PartnersFileError(file, problems);
  return registry;
}

function resolve(doc: PartnersDocument, file: string, io: PartnersIo, defaults: PartnerDefaults, problems: string[]): PartnerRegistry {
  const readSecret = (ref: SecretRef, at: string, minBytes: number): Buffer | undefined => {
    let text: string | undefined;
    if (ref.env !== undefined) {
      text = io.env[ref.env];
      if (text === undefined || text === '') {
        problems.push(`${at}.env: the variable ${ref.env} is not set`);
        return undefined;
      }
    } else {
      try {
        text = io.readFile(ref.file!).replace(/\r?\n$/, '');
      } catch (e) {
        problems.push(`${at}.file: cannot read ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        return undefined;
      }
    }
    const secret = Buffer.from(text, 'utf8');
    if (secret.length < minBytes) {
      problems.push(`${at}: the secret must be at least ${minBytes} bytes`);
      return undefined;
    }
    return secret;
  };

  const readKeys = (refs: readonly PublicKeyRef[], at: string): PublicKeyEntry[] => {
    const out: PublicKeyEntry[] = [];
    refs.forEach((ref, i) => {
      const here = `${at}[${i}]`;
      let text: string | undefined;
      if (ref.pem !== undefined) text = ref.pem;
      else if (ref.env !== undefined) {
        text = io.env[ref.env]?.replace(/\\n/g, '\n');
        if (text === undefined || text === '') problems.push(`${here}.env: the variable ${ref.env} is not set`);
      } else {
        try {
          text = io.readFile(ref.file!);
        } catch (e) {
          problems.push(`${here}.file: cannot read ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        }
      }
      if (text === undefined || text === '') return;
      const notBeforeMs = dateMs(ref.notBefore);
      const notAfterMs = dateMs(ref.notAfter);
      if (notBeforeMs !== undefined && notAfterMs !== undefined && notBeforeMs >= notAfterMs) problems.push(`${here}: notBefore must be before notAfter`);
      try {
        for (const key of parsePublicKeys(text)) out.push({ ...key, notBeforeMs, notAfterMs });
      } catch (e) {
        problems.push(`${here}: ${(e as Error).message}`);
      }
    });
    return out;
  };

  const names = new Set<string>();
  const ids = new Map<string, string>();
  const partners: Partner[] = [];
  let needsTokens = false;
  doc.partners.forEach((p: PartnerDocument, i) => {
    const at = `partners[${i}]`;
    const partnerId = p.partnerId as string;
    if (names.has(p.name)) problems.push(`${at}.name: "${p.name}" is used by another partner`);
    names.add(p.name);
    const other = ids.get(partnerId);
    if (other !== undefined) problems.push(`${at}.partnerId: "${partnerId}" is already partner ${other}'s`);
    ids.set(partnerId, p.name);
    let clientSecret: Buffer | undefined;
    if (p.auth === 'snap-symmetric') {
      needsTokens = true;
      if (p.clientSecret === undefined) problems.push(`${at}.clientSecret: required for auth snap-symmetric (file or env)`);
      else clientSecret = readSecret(p.clientSecret, `${at}.clientSecret`, MIN_CLIENT_SECRET);
      if (p.services?.mode === 'allow' && !p.services.list.includes('access-token')) {
        problems.push(`${at}.services: a snap-symmetric partner needs access-token in its allow list, or it can never get a token`);
      }
      if (p.services?.mode === 'deny' && p.services.list.includes('access-token')) {
        problems.push(`${at}.services: a snap-symmetric partner cannot deny access-token, or it can never get a token`);
      }
    } else if (p.clientSecret !== undefined) {
      problems.push(`${at}.clientSecret: only auth snap-symmetric uses a client secret`);
    }
    const access: AccessPolicy = {
      ipList: p.ipList === undefined ? undefined : { mode: p.ipList.mode, cidrs: p.ipList.cidrs.map((c) => parseCidr(c)!) },
      hourList: p.hourList === undefined ? undefined : { mode: p.hourList.mode, hours: p.hourList.hours.map((h) => parseHourRange(h)!) },
      services: p.services,
    };
    partners.push(Object.freeze({
      name: p.name,
      partnerIds: Object.freeze([partnerId]),
      auth: p.auth,
      publicKeys: Object.freeze(readKeys(p.publicKeys, `${at}.publicKeys`)),
      clientSecret,
      clockSkewSeconds: p.clockSkewSeconds ?? defaults.clockSkewSeconds,
      access: Object.freeze(access),
      rateLimit: p.rateLimit === 'off' ? undefined : p.rateLimit ?? defaults.rateLimit,
    }));
  });

  let tokens: TokenSettings | undefined;
  if (doc.tokens !== undefined) {
    const signingKeys = doc.tokens.signingKeys.map((k, i) => {
      const secret = readSecret(k.secret, `tokens.signingKeys[${i}].secret`, MIN_SIGNING_KEY);
      return { id: k.id, secret: secret ?? Buffer.alloc(0), notAfterMs: dateMs(k.notAfter) };
    });
    const seen = new Set<string>();
    signingKeys.forEach((k, i) => {
      if (seen.has(k.id)) problems.push(`tokens.signingKeys[${i}].id: "${k.id}" is listed twice`);
      seen.add(k.id);
    });
    tokens = Object.freeze({ issuer: doc.tokens.issuer ?? 'snap-receiver', ttlSeconds: doc.tokens.ttlSeconds ?? 900, signingKeys: Object.freeze(signingKeys) });
  } else if (needsTokens) {
    if (defaults.production || defaults.devTokenKey === undefined) {
      problems.push('tokens.signingKeys: a snap-symmetric partner needs a token signing key (secret of at least 32 bytes, file or env)');
    } else {
      tokens = Object.freeze({ issuer: 'snap-receiver', ttlSeconds: 900, signingKeys: Object.freeze([{ id: 'development', secret: defaults.devTokenKey() }]) });
    }
  }

  const trustedProxies: Cidr[] = (doc.trustedProxies ?? []).map((c) => parseCidr(c)!);
  return makeRegistry(file, trustedProxies, partners, tokens);
}
