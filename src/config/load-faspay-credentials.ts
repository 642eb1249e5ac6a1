import { readFileSync } from 'node:fs';
import type { CardCredentials, FaspayCredentials } from '../legacy/faspay-credentials';
import type { Config } from './load-config';

export interface LoadedFaspayCredentials {
  /** user id + password + merchant id: recurring notifications, Update Card / Member. */
  readonly faspay?: FaspayCredentials | undefined;
  /** CC merchant id + transaction password: the credit-card server callback. */
  readonly card?: CardCredentials | undefined;
  /** What is missing, for the "not configured" answers and the boot log (never a value). */
  readonly missing: readonly string[];
}

function secret(value: string | undefined, file: string | undefined, name: string): string | undefined {
  if (value !== undefined) return value;
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new Error(`${name}_FILE=${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/** Reads FASPAY_* credentials (secrets from their …_FILE when given) once, at boot. */
export function loadFaspayCredentials(config: Config): LoadedFaspayCredentials {
  const f = config.faspay;
  const password = secret(f.password, f.passwordFile, 'FASPAY_PASSWORD');
  const ccTxnPassword = secret(f.ccTxnPassword, f.ccTxnPasswordFile, 'FASPAY_CC_TXN_PASSWORD');
  const missing: string[] = [];
  if (f.userId === undefined) missing.push('FASPAY_USER_ID');
  if (password === undefined) missing.push('FASPAY_PASSWORD');
  if (f.merchantId === undefined) missing.push('FASPAY_MERCHANT_ID');
  const faspay = f.userId !== undefined && password !== undefined && f.merchantId !== undefined
    ? Object.freeze({ userId: f.userId, password, merchantId: f.merchantId })
    : undefined;
  if (f.ccMerchantId === undefined) missing.push('FASPAY_CC_MERCHANT_ID');
  if (ccTxnPassword === undefined) missing.push('FASPAY_CC_TXN_PASSWORD');
  const card = f.ccMerchantId !== undefined && ccTxnPassword !== undefined ? Object.freeze({ ccMerchantId: f.ccMerchantId, ccTxnPassword }) : undefined;
  return Object.freeze({ faspay, card, missing: Object.freeze(missing) });
}
