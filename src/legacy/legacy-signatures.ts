import { createHash, timingSafeEqual } from 'node:crypto';

const hex = (algo: 'md5' | 'sha1', text: string): string => createHash(algo).update(text, 'utf8').digest('hex');

/** `sha1(md5(text))` as lowercase hex: the legacy Debit and recurring signatures (spec V7, V8). */
export function sha1OfMd5(text: string): string {
  return hex('sha1', hex('md5', text));
}

/**
 * Credit-card signature (spec §6.2, V9): upper-case hex SHA1 of `##` + the elements joined
 * by `##` + `##`. The elements are used as given: Faspay's own example only matches without
 * upper-casing them (spec §9 #21).
 */
export function ccSignature(elements: readonly string[]): string {
  return hex('sha1', `##${elements.join('##')}##`).toUpperCase();
}

/** Hex digests compared case-insensitively in constant time. */
export function hexEquals(expected: string, presented: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(presented.trim().toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
