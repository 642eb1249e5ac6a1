import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
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
