import { z } from 'zod';
import { parseCidr } from '../access/cidr';
import { parseHourRange } from '../access/hour-ranges';
import { SERVICE_NAMES } from '../pipeline/service-name';
import { parseIsoDateTime } from '../snap/timestamp';

const custom = (message: string, input: unknown) => ({ code: 'custom' as const, message, input });

const cidr = z.string().check((ctx) => {
  if (parseCidr(ctx.value) === undefined) ctx.issues.push(custom(`"${ctx.value}" is not a CIDR`, ctx.value));
});

const hourRange = z.string().check((ctx) => {
  if (parseHourRange(ctx.value) === undefined) ctx.issues.push(custom(`"${ctx.value}" is not an hour range like "02:00-03:00" (Asia/Jakarta, start ≠ end)`, ctx.value));
});

const dateTime = z.union([z.string(), z.date()]).check((ctx) => {
  if (typeof ctx.value === 'string' && parseIsoDateTime(ctx.value) === undefined) {
    ctx.issues.push(custom(`"${ctx.value}" is not a date-time with offset, e.g. 2026-01-01T00:00:00+07:00`, ctx.value));
  }
});

const mode = z.enum(['allow', 'deny']);

/** A secret: a file or an environment variable, never inline (it would end up in the config repo and in logs). */
const secretRef = z.strictObject({ file: z.string().min(1).optional(), env: z.string().min(1).optional(), value: z.unknown().optional() }).check((ctx) => {
  if (ctx.value.value !== undefined) ctx.issues.push(custom('secrets take file or env only, never an inline value', '(hidden)'));
  else if ((ctx.value.file === undefined) === (ctx.value.env === undefined)) ctx.issues.push(custom('give exactly one of file, env', '(hidden)'));
});

const publicKeyRef = z.strictObject({
  file: z.string().min(1).optional(),
  pem: z.string().min(1).optional(),
  env: z.string().min(1).optional(),
  notBefore: dateTime.optional(),
  notAfter: dateTime.optional(),
}).check((ctx) => {
  const given = ['file', 'pem', 'env'].filter((k) => ctx.value[k as 'file'] !== undefined);
  if (given.length !== 1) ctx.issues.push(custom('give exactly one of file, pem, env', ctx.value));
});

const partnerId = z.unknown().check((ctx) => {
  const v = ctx.value;
  if (typeof v === 'number') ctx.issues.push(custom(`write partnerId as a quoted string ("${v}"): a number can lose leading zeros`, v));
  else if (typeof v !== 'string' || v === '' || v.length > 36) ctx.issues.push(custom('must be a string of 1 to 36 characters (X-PARTNER-ID / X-CLIENT-KEY)', v));
});

const partner = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be 1-63 lowercase letters, digits, ".", "_" or "-" (it labels logs and metrics)'),
  partnerId,
  auth: z.enum(['faspay-rsa', 'snap-symmetric']),
  publicKeys: z.array(publicKeyRef).min(1, 'list at least one key'),
  clientSecret: secretRef.optional(),
  clockSkewSeconds: z.union([z.literal('off'), z.number().int().min(1).max(86_400)]).optional(),
  services: z.strictObject({ mode, list: z.array(z.enum(SERVICE_NAMES as [string, ...string[]])) }).optional(),
  ipList: z.strictObject({ mode, cidrs: z.array(cidr) }).optional(),
  hourList: z.strictObject({ mode, hours: z.array(hourRange) }).optional(),
  rateLimit: z.union([
    z.literal('off'),
    z.strictObject({ requestsPerSecond: z.number().positive().max(1_000_000), burst: z.number().int().min(1).max(1_000_000) }),
  ]).optional(),
});

export const PARTNERS_DOCUMENT = z.strictObject({
  trustedProxies: z.array(cidr).optional(),
  tokens: z.strictObject({
    issuer: z.string().min(1).max(200).optional(),
    ttlSeconds: z.number().int().min(60).max(3_600).optional(),
    signingKeys: z.array(z.strictObject({
      id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
      secret: secretRef,
      notAfter: dateTime.optional(),
    })).min(1, 'list at least one key'),
  }).optional(),
  partners: z.array(partner).min(1, 'list at least one partner'),
});

export type PartnersDocument = z.infer<typeof PARTNERS_DOCUMENT>;
export type PartnerDocument = PartnersDocument['partners'][number];
export type SecretRef = z.infer<typeof secretRef>;
export type PublicKeyRef = z.infer<typeof publicKeyRef>;

/** `["partners", 1, "ipList", "cidrs", 0]` → `partners[1].ipList.cidrs[0]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`), '');
}
