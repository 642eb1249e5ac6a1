import { JsonNumber } from './parse-json';

/** Exact money: minor units (cents/sen) as BigInt plus ISO-4217 currency. Never a float (spec §4.7). */
export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

const VALUE = /^(\d{1,16})(?:\.(\d{1,2}))?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Minor units of a SNAP amount value (`"10000.00"`, `"10000"`, or a JSON number), or undefined if malformed. */
export function parseAmountValue(value: unknown): bigint | undefined {
  const text = value instanceof JsonNumber ? value.raw : value;
  if (typeof text !== 'string') return undefined;
  const m = VALUE.exec(text);
  if (m === null) return undefined;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value);
}

/** Always two decimals with a `.` separator, as SNAP responses must carry (spec §4.7). */
export function formatAmountValue(minor: bigint): string {
  const units = minor / 100n;
  const cents = minor % 100n;
  return `${units}.${cents.toString().padStart(2, '0')}`;
}

export function formatMoney(m: Money): { value: string; currency: string } {
  return { value: formatAmountValue(m.minor), currency: m.currency };
}
