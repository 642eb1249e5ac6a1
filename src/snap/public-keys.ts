import { createHash, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';

export interface PublicKeyEntry {
  /** Short fingerprint (sha256 of the SPKI DER) so logs can say which key matched without showing it. */
  readonly id: string;
  readonly key: KeyObject;
  /** Optional validity window (epoch ms, inclusive): key rotation without downtime. */
  readonly notBeforeMs?: number | undefined;
  readonly notAfterMs?: number | undefined;
}

export class KeyConfigError extends Error {
  readonly reason = 'key_config';
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigError';
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function fromPem(label: string, pem: string): KeyObject {
  if (label === 'CERTIFICATE') return new X509Certificate(pem).publicKey;
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return createPublicKey(pem);
  throw new KeyConfigError(`unsupported PEM block "${label}": give a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE`);
}

function fromBareBase64(text: string): KeyObject {
  const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  const attempts: Array<() => KeyObject> = [
    () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
    () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => new X509Certificate(der).publicKey,
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // try the next encoding
    }
  }
  throw new KeyConfigError('a key without PEM armour must be base64 DER of an SPKI key, a PKCS#1 key or an X.509 certificate');
}

export function keyId(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * Reads one or more RSA public keys from text: SPKI PEM, PKCS#1 PEM, X.509 certificates,
 * or a bare base64 DER blob (spec §1.5, "Keys may arrive as ...").
 */
export function parsePublicKeys(text: string): PublicKeyEntry[] {
  const keys: KeyObject[] = [];
  let sawPem = false;
  for (const m of text.matchAll(PEM_BLOCK)) {
    sawPem = true;
    try {
      keys.push(fromPem(m[1]!, m[0]));
    } catch (e) {
      if (e instanceof KeyConfigError) throw e;
      throw new KeyConfigError(`cannot read the ${m[1]} block: ${(e as Error).message}`);
    }
  }
  if (!sawPem) {
    if (text.includes('-----BEGIN')) throw new KeyConfigError('a PEM block has no matching END line');
    if (text.trim() === '') throw new KeyConfigError('no public key given');
    keys.push(fromBareBase64(text));
  }
  return keys.map((key) => {
    if (key.asymmetricKeyType !== 'rsa') {
      throw new KeyConfigError(`Faspay signs with RSA; got a ${String(key.asymmetricKeyType)} key`);
    }
    return { id: keyId(key), key };
  });
}
