import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DevKeyPair {
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly publicKeyPem: string;
}

/** An RSA pair `<varDir>/dev-keys/<stem>-private.pem` / `-public.pem`, made once and reused. */
function ensureRsaPair(varDir: string, stem: string): DevKeyPair & { created: boolean } {
  const dir = resolve(join(varDir, 'dev-keys'));
  const privateKeyPath = join(dir, `${stem}-private.pem`);
  const publicKeyPath = join(dir, `${stem}-public.pem`);
  let created = false;
  if (!existsSync(privateKeyPath) || !existsSync(publicKeyPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
    writeFileSync(publicKeyPath, publicKey);
    created = true;
  }
  return { privateKeyPath, publicKeyPath, publicKeyPem: readFileSync(publicKeyPath, 'utf8'), created };
}

/**
 * A development stand-in for Faspay's key pair under `<varDir>/dev-keys`, made once and
 * reused. Requests signed with its private key (by the tests or a simulator) verify.
 */
export function ensureDevKeyPair(varDir: string): DevKeyPair & { created: boolean } {
  return ensureRsaPair(varDir, 'faspay-dev');
}

/**
 * The merchant's development key pair for its own calls to Faspay (spec §1.1), under
 * `<varDir>/dev-keys/merchant-*.pem`: Faspay holds the public half (register it with them).
 */
export function ensureDevMerchantKeyPair(varDir: string): DevKeyPair & { created: boolean } {
  return ensureRsaPair(varDir, 'merchant');
}

/** A development INTERNAL_API_TOKEN under `<varDir>/dev-keys/internal-api-token`. */
export function ensureDevToken(varDir: string): { token: string; path: string } {
  const dir = resolve(join(varDir, 'dev-keys'));
  const path = join(dir, 'internal-api-token');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return { token: readFileSync(path, 'utf8').trim(), path };
}

/** A development signing key for B2B access tokens, under `<varDir>/dev-keys/token-signing-key`. */
export function ensureDevTokenSigningKey(varDir: string): Buffer {
  const dir = resolve(join(varDir, 'dev-keys'));
  const path = join(dir, 'token-signing-key');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, randomBytes(48).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
}
