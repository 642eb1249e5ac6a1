import type { JsonObject } from './parse-json';
import { readString } from './request-fields';

/** The three VA fields exactly as received; echoed back byte for byte (spec §4.1). */
export interface VaIdentity {
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly virtualAccountNo: string;
}

// Faspay pads partnerServiceId with spaces to 8 characters, but its own samples break the
// rule (6, 7 and 8 characters, 26- and 28-character VAs); only digits and spaces are required.
const PSID = /^ *\d{1,8}$/;
const CUSTOMER_NO = /^\d{1,20}$/;
const VA = /^ *\d{1,28}$/;

export function readVaIdentity(body: JsonObject): VaIdentity {
  return {
    partnerServiceId: readString(body, 'partnerServiceId', { required: true, max: 8, pattern: PSID })!,
    customerNo: readString(body, 'customerNo', { required: true, max: 20, pattern: CUSTOMER_NO, allowNumber: true })!,
    virtualAccountNo: readString(body, 'virtualAccountNo', { required: true, max: 28, pattern: VA })!,
  };
}

export const digitsOf = (s: string): string => s.replace(/ /g, '');

/**
 * Bill keys to try, in order: digits of virtualAccountNo, then trim(partnerServiceId) +
 * customerNo, for senders whose VA digits disagree with the other two fields (spec §4.1).
 */
export function vaLookupCandidates(id: VaIdentity): string[] {
  const primary = digitsOf(id.virtualAccountNo);
  const fallback = digitsOf(id.partnerServiceId) + id.customerNo;
  return primary === fallback ? [primary] : [primary, fallback];
}

/** Canonical form a bill is registered under: space-padded psid (8) + customerNo (spec §4.1). */
export function composeVa(partnerServiceId: string, customerNo: string): VaIdentity {
  const psid = digitsOf(partnerServiceId).padStart(8, ' ');
  return { partnerServiceId: psid, customerNo, virtualAccountNo: psid + customerNo };
}
