import { createHash, createHmac, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OUTCOMES, type OutcomeName } from '../snap/response-codes';
import { formatJakarta } from '../snap/timestamp';

/** Ways to reproduce what Faspay (or an attacker) really sends. */
export interface Quirks {
  /** Pretty-printed body, signed over its minified form (spec §1.4). */
  readonly pretty?: boolean;
  /** PHP json_encode style: `\/` and `\uXXXX` escapes (spec §1.4, V6). */
  readonly phpEscapes?: boolean;
  /** partnerServiceId with a 1-space pad on the wire, signed 8-padded (the sandbox quirk, V5). */
  readonly pad1?: boolean;
  /** X-TIMESTAMP ten minutes old. */
  readonly stale?: boolean;
  /** Signed with a key the service does not know. */
  readonly wrongKey?: boolean;
  /** Body changed after signing. */
  readonly tamper?: boolean;
  /** Token mode: no Authorization header. */
  readonly noToken?: boolean;
  /** Token mode: a token this service never issued. */
  readonly badToken?: boolean;
}

export interface SimTarget {
  readonly url: string;
  /** Signs Faspay-mode requests and, in token mode, token requests. */
  readonly key: KeyObject;
  readonly partnerId: string;
  /** faspay-rsa (default) or snap-symmetric: B2B token + HMAC-SHA512 with the client secret (spec §1.6). */
  readonly auth?: 'faspay-rsa' | 'snap-symmetric';
  readonly clientSecret?: string;
}

export const TOKEN_PATH = '/v1.0/access-token/b2b';

export interface SimExchange {
  readonly request: { method: string; url: string; headers: Record<string, string>; body: string };
  readonly response: { status: number; headers: Record<string, string>; body: string; json: Record<string, unknown> | undefined };
  readonly meaning: string;
}

export function loadPrivateKey(path: string): KeyObject {
  return createPrivateKey(readFileSync(path));
}

const phpEncode = (json: string): string =>
  json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Serialises a SNAP body the way the quirks ask and returns (bytes on the wire, bytes signed). */
export function serialise(body: Record<string, unknown>, q: Quirks): { wire: string; signed: string } {
  const compact = JSON.stringify(body);
  let signed = q.phpEscapes === true ? phpEncode(compact) : compact;
  let wire = q.pretty === true ? JSON.stringify(JSON.parse(signed) as unknown, null, 2) : signed;
  if (q.phpEscapes === true && q.pretty === true) wire = phpEncode(JSON.stringify(body, null, 2));
  if (q.pad1 === true && typeof body.partnerServiceId === 'string') {
    const digits = body.partnerServiceId.trim();
    const padded = digits.padStart(8, ' ');
    signed = signed.replace(`"partnerServiceId":"${body.partnerServiceId}"`, `"partnerServiceId":"${padded}"`)
      .replace(`"virtualAccountNo":"${String(body.virtualAccountNo)}"`, `"virtualAccountNo":"${padded}${String(body.customerNo)}"`);
    wire = wire.replace(`"${body.partnerServiceId}"`, `" ${digits}"`).replace(`"${String(body.virtualAccountNo)}"`, `" ${digits}${String(body.customerNo)}"`);
  }
  return { wire, signed };
}

let strangerKey: KeyObject | undefined;

const stranger = (): KeyObject => (strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

/**
 * Builds the SNAP headers of spec §2.1 and signs for real: RSA (spec §1.1), or in token mode
 * the bearer token and HMAC-SHA512 with the client secret (spec §1.6).
 */
export function snapHeaders(
  path: string, signedBody: string, target: SimTarget, q: Quirks,
  o: { externalId?: string; timestamp?: string; nowMs?: number; accessToken?: string } = {},
): Record<string, string> {
  const now = o.nowMs ?? Date.now();
  const timestamp = o.timestamp ?? formatJakarta(q.stale === true ? now - 600_000 : now);
  const digest = createHash('sha256').update(signedBody, 'utf8').digest('hex');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-TIMESTAMP': timestamp };
  if (target.auth === 'snap-symmetric') {
    const token = q.badToken === true ? `${randomBytes(12).toString('base64url')}.x.y` : o.accessToken ?? '';
    const secret = q.wrongKey === true ? randomBytes(24).toString('hex') : target.clientSecret ?? '';
    headers['X-SIGNATURE'] = createHmac('sha512', secret).update(`POST:${path}:${token}:${digest}:${timestamp}`, 'utf8').digest('base64');
    if (q.noToken !== true) headers.Authorization = `Bearer ${token}`;
  } else {
    const key = q.wrongKey === true ? stranger() : target.key;
    headers['X-SIGNATURE'] = sign('sha256', Buffer.from(`POST:${path}:${digest}:${timestamp}`, 'utf8'), key).toString('base64');
  }
  return { ...headers, 'X-PARTNER-ID': target.partnerId, 'X-EXTERNAL-ID': o.externalId ?? newExternalId(), 'CHANNEL-ID': '77001' };
}

/** A B2B token request (service 73): RSA over X-CLIENT-KEY|X-TIMESTAMP (spec V11). */
export async function requestToken(target: SimTarget, o: { wrongKey?: boolean; grantType?: string } = {}): Promise<SimExchange> {
  const timestamp = formatJakarta(Date.now());
  const key = o.wrongKey === true ? stranger() : target.key;
  const headers = {
    'Content-Type': 'application/json',
    'X-TIMESTAMP': timestamp,
    'X-CLIENT-KEY': target.partnerId,
    'X-SIGNATURE': sign('sha256', Buffer.from(`${target.partnerId}|${timestamp}`, 'utf8'), key).toString('base64'),
  };
  return send(TOKEN_PATH, JSON.stringify({ grantType: o.grantType ?? 'client_credentials' }), headers, target);
}

const tokens = new WeakMap<SimTarget, { token: string; expiresAtMs: number }>();

/** The target's current token, fetched again a minute before it expires. */
export async function accessToken(target: SimTarget): Promise<string> {
  const cached = tokens.get(target);
  if (cached !== undefined && cached.expiresAtMs - 60_000 > Date.now()) return cached.token;
  const x = await requestToken(target);
  const token = x.response.json?.accessToken;
  if (typeof token !== 'string') throw new Error(`no access token: ${x.response.status} ${x.response.body.slice(0, 200)}`);
  tokens.set(target, { token, expiresAtMs: Date.now() + Number(x.response.json?.expiresIn ?? 0) * 1000 });
  return token;
}

let seq = 0;
/** Numeric, 32 digits, unique per call: the shape of Faspay's X-EXTERNAL-ID. */
export function newExternalId(): string {
  seq = (seq + 1) % 1000;
  return `${Date.now()}${String(process.pid).padStart(7, '0')}${String(seq).padStart(3, '0')}`.padEnd(32, '0').slice(0, 32);
}

/** What a responseCode means, in words: "Paid Bill (HTTP 404, payment, case 14)". */
export function describeCode(code: string | undefined): string {
  if (code === undefined || !/^\d{7}$/.test(code)) return 'not a SNAP answer';
  const http = Number(code.slice(0, 3));
  const service = { '24': 'inquiry', '25': 'payment', '73': 'access token', '56': 'direct debit notify', '52': 'QRIS notify' }[code.slice(3, 5)] ?? `service ${code.slice(3, 5)}`;
  const found = (Object.keys(OUTCOMES) as OutcomeName[]).find((n) => OUTCOMES[n].http === http && OUTCOMES[n].caseCode === code.slice(5));
  const words = found === undefined ? (http === 405 ? 'Requested Function Is Not Supported' : 'unknown code') : OUTCOMES[found].message;
  return `${words} (HTTP ${http}, ${service}, case ${code.slice(5)})`;
}

/** POSTs and reads the answer, as JSON when it is JSON. */
export async function postAndRead(url: string, headers: Record<string, string>, body: string): Promise<{ res: Response; text: string; json: Record<string, unknown> | undefined }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { res, text, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { res, text, json: undefined };
  }
}

export async function send(path: string, wire: string, headers: Record<string, string>, target: SimTarget, tamper = false): Promise<SimExchange> {
  // an attacker's edit after signing: a bigger amount, or another request id
  const body = !tamper ? wire : /"value":"\d/.test(wire)
    ? wire.replace(/"value":"(\d+)/, (_m, d: string) => `"value":"${d}1`)
    : wire.replace(/"inquiryRequestId":"/, '"inquiryRequestId":"x');
  const url = target.url.replace(/\/+$/, '') + path;
  const { res, text, json } = await postAndRead(url, headers, body);
  const resHeaders: Record<string, string> = {};
  for (const h of ['content-type', 'x-timestamp', 'x-client-key', 'retry-after']) {
    const v = res.headers.get(h);
    if (v !== null) resHeaders[h] = v;
  }
  return {
    request: { method: 'POST', url, headers, body },
    response: { status: res.status, headers: resHeaders, body: text, json },
    meaning: describeCode(json?.responseCode as string | undefined),
  };
}

export interface BillApi {
  readonly adminUrl: string;
  readonly token: string;
}

export async function registerBill(api: BillApi, bill: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api.adminUrl.replace(/\/+$/, '')}/internal/v1/bills`, {
    method: 'PUT', headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(bill),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
