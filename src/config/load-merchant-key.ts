import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from './load-config';

/** MERCHANT_PRIVATE_KEY_FILE (PEM, PKCS#8 or PKCS#1), parsed once: it signs the merchant's own calls to Faspay (spec §1.1). */
export function loadMerchantKey(config: Config, file = config.faspayApi.merchantPrivateKeyFile): KeyObject | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`MERCHANT_PRIVATE_KEY_FILE=${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new Error(`MERCHANT_PRIVATE_KEY_FILE=${file} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`MERCHANT_PRIVATE_KEY_FILE=${file} must be an RSA key (SHA256withRSA, spec §1.1)`);
  return key;
}
