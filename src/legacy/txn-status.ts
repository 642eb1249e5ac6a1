/**
 * Credit-card `txn_status` in words (seed 001 response table; the server-callback page adds
 * C, CF and V). Stored as received too: it decides whether a charge succeeded.
 */
const WORDS: Readonly<Record<string, string>> = Object.freeze({
  A: 'authorized',
  S: 'sales',
  C: 'captured',
  CF: 'capture-failed',
  F: 'not-approved',
  E: 'error',
  B: 'blocked',
  RC: 'reconfirm',
  N: 'pending',
  I: 'incomplete',
  V: 'void',
});

export function txnStatusWord(code: string | undefined): string | undefined {
  if (code === undefined || code === '') return undefined;
  return WORDS[code.toUpperCase()] ?? 'unknown';
}

/** Whether a card charge went through: authorized, sales (captured at once) or captured. */
export function txnSucceeded(code: string): boolean {
  return ['A', 'S', 'C'].includes(code.toUpperCase());
}
