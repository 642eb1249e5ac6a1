import { readFileSync } from 'node:fs';
import { parsePublicKeys, type PublicKeyEntry } from '../snap/public-keys';
import type { Config } from './load-config';

/**
 * Faspay's public key(s) from FASPAY_PUBLIC_KEY (PEM text; `\n` escapes allowed for
 * one-line env files) or FASPAY_PUBLIC_KEY_FILE; undefined when neither is set.
 */
export function loadConfiguredPublicKeys(config: Config): PublicKeyEntry[] | undefined {
  if (config.faspayPublicKey !== undefined) {
    return parsePublicKeys(config.faspayPublicKey.replace(/\\n/g, '\n'));
  }
  if (config.faspayPublicKeyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(config.faspayPublicKeyFile, 'utf8');
    } catch (e) {
      throw new Error(`FASPAY_PUBLIC_KEY_FILE=${config.faspayPublicKeyFile} cannot be read: ${(e as Error).message}`);
    }
    return parsePublicKeys(text);
  }
  return undefined;
}
