const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Removes JSON insignificant whitespace outside string literals and nothing else:
 * key order, escapes (`\/`, `\uXXXX`) and number spelling stay as sent (spec §1.4).
 * Works on bytes, so multi-byte UTF-8 passes through untouched. Not a validator:
 * text that is not JSON is still minified the same way and will simply not verify.
 */
export function minifyJson(raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      out[n++] = c;
      if (c === BACKSLASH && i + 1 < raw.length) {
        out[n++] = raw[++i]!;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === SPACE || c === TAB || c === LF || c === CR) {
      continue;
    } else {
      if (c === QUOTE) inString = true;
      out[n++] = c;
    }
  }
  return n === raw.length ? raw : out.subarray(0, n);
}
