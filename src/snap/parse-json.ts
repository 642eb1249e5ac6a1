/**
 * A strict JSON parser that keeps numbers as their source text, so a 20-digit
 * `customerNo` or an amount like `10000.50` sent as a JSON number is never rounded
 * through a double (spec §4.1, §4.7, §9 #12). Everything else follows RFC 8259.
 */
export class JsonNumber {
  constructor(readonly raw: string) {}
  /** A plain number when that is lossless, otherwise the source digits as a string. */
  toJSON(): number | string {
    const n = Number(this.raw);
    return String(n) === this.raw ? n : this.raw;
  }
}

export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  constructor(readonly position: number, detail: string) {
    super(`${detail} at position ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const NOT_JSON = Symbol('not JSON');

/** True when `v` (JSON.parse's result) holds no number and nests no deeper than the lossless parser allows. */
function numberFree(v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || typeof v === 'number') return false;
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) {
    for (const item of v) if (!numberFree(item, depth + 1)) return false;
    return true;
  }
  for (const k in v) if (!numberFree((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/**
 * The engine's JSON.parse where that loses nothing (no number anywhere: every SNAP field is a
 * string), the lossless parser below everywhere else, and for every text JSON.parse refuses (so
 * the error says where). Both read RFC 8259 the same way, and a repeated key keeps its last value.
 */
export function parseJson(text: string): JsonValue {
  let fast: unknown;
  try {
    fast = JSON.parse(text);
  } catch {
    fast = NOT_JSON;
  }
  if (fast !== NOT_JSON && numberFree(fast, 0)) return fast as JsonValue;
  return parseLossless(text);
}

function parseLossless(text: string): JsonValue {
  let i = 0;

  const fail = (detail: string): never => {
    throw new JsonSyntaxError(i, detail);
  };
  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };

  const parseString = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default: fail('bad escape');
        }
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWs();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JsonObject = Object.create(null) as JsonObject;
      skipWs();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skipWs();
        if (text[i] !== '"') fail('expected a key');
        const key = parseString();
        skipWs();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[key] = parseValue(depth + 1);
        skipWs();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      skipWs();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        skipWs();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail('unexpected token');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };

  const value = parseValue(0);
  skipWs();
  if (i !== text.length) fail('unexpected data after JSON value');
  return value;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !(v instanceof JsonNumber) && !Array.isArray(v);
}

/** Converts to plain JSON-safe values (JsonNumber via toJSON) for storage and events. */
export function toPlain(v: JsonValue): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}
