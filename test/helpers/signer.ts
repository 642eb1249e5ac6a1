import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { formatJakarta } from '../../src/snap/timestamp';

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
}

/** A fresh RSA-2048 pair standing in for Faspay's (one per test file). */
export function makeKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** X-SIGNATURE exactly as Faspay computes it (spec §1.1). `signedBody` defaults to the sent body. */
export function snapSignature(key: KeyObject, method: string, path: string, signedBody: string | Buffer, timestamp: string): string {
  const stringToSign = `${method}:${path}:${sha256Hex(signedBody)}:${timestamp}`;
  return sign('sha256', Buffer.from(stringToSign, 'utf8'), key).toString('base64');
}

let counter = 0;
/** 32-digit numeric X-EXTERNAL-ID like Faspay's samples, unique within the run. */
export function externalId(): string {
  counter++;
  return `${Date.now()}${process.pid}${counter}`.padStart(32, '0').slice(-32);
}

export interface SignOptions {
  readonly path: string;
  readonly timestampMs: number;
  readonly partnerId?: string;
  readonly externalId?: string;
  readonly signedPath?: string;
  readonly signedBody?: string;
  readonly timestamp?: string;
}

export function signedHeaders(key: KeyObject, body: string, o: SignOptions): Record<string, string> {
  const timestamp = o.timestamp ?? formatJakarta(o.timestampMs);
  return {
    'Content-Type': 'application/json',
    'X-TIMESTAMP': timestamp,
    'X-SIGNATURE': snapSignature(key, 'POST', o.signedPath ?? o.path, o.signedBody ?? body, timestamp),
    'X-PARTNER-ID': o.partnerId ?? '82150',
    'X-EXTERNAL-ID': o.externalId ?? externalId(),
    'CHANNEL-ID': '77001',
  };
}

/** Token-mode transaction headers (spec §1.6): Bearer token + base64 HMAC-SHA512 with the client secret. */
export function symmetricHeaders(clientSecret: string, accessToken: string, body: string, o: SignOptions & { readonly signedToken?: string }): Record<string, string> {
  const timestamp = o.timestamp ?? formatJakarta(o.timestampMs);
  const sts = `POST:${o.signedPath ?? o.path}:${o.signedToken ?? accessToken}:${sha256Hex(o.signedBody ?? body)}:${timestamp}`;
  return {
    'Content-Type': 'application/json',
    Authorization: `Bearer ${accessToken}`,
    'X-TIMESTAMP': timestamp,
    'X-SIGNATURE': createHmac('sha512', clientSecret).update(sts, 'utf8').digest('base64'),
    'X-PARTNER-ID': o.partnerId ?? '82150',
    'X-EXTERNAL-ID': o.externalId ?? externalId(),
    'CHANNEL-ID': '77001',
  };
}

/** B2B token request headers (service 73): RSA over X-CLIENT-KEY|X-TIMESTAMP (spec V11). */
export function tokenRequestHeaders(key: KeyObject, clientKey: string, timestampMs: number, o: { signedClientKey?: string } = {}): Record<string, string> {
  const timestamp = formatJakarta(timestampMs);
  return {
    'Content-Type': 'application/json',
    'X-TIMESTAMP': timestamp,
    'X-CLIENT-KEY': clientKey,
    'X-SIGNATURE': sign('sha256', Buffer.from(`${o.signedClientKey ?? clientKey}|${timestamp}`, 'utf8'), key).toString('base64'),
  };
}
