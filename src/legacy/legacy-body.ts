import { isJsonObject, JsonNumber, parseJson, type JsonValue } from '../snap/parse-json';
import { SnapFieldError } from '../snap/request-fields';

/** A legacy Faspay message as flat fields, keys lower-cased (Faspay's pages spell them both ways). */
export type LegacyFields = Readonly<Record<string, string>>;

export const LEGACY_MEDIA_TYPES: readonly string[] = Object.freeze(['application/json', 'application/x-www-form-urlencoded']);

function put(out: Record<string, string>, key: string, value: string): void {
  const k = key.toLowerCase();
  // a field given twice (or as MERCHANTID and merchantid) is ambiguous: which one was signed?
  if (Object.prototype.hasOwnProperty.call(out, k)) throw new SnapFieldError('invalidFieldFormat', key);
  out[k] = value;
}

function scalar(key: string, v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.raw;
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new SnapFieldError('invalidFieldFormat', key);
}

/**
 * Reads a legacy notification body, JSON or form-encoded (what Faspay's older systems post).
 * Numbers keep their source digits; nested values are refused: every legacy field is flat.
 */
export function readLegacyBody(raw: Buffer, mediaType: string): LegacyFields {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const text = raw.toString('utf8');
  if (mediaType === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(text)) put(out, k, v);
    if (Object.keys(out).length === 0) throw new SnapFieldError('badRequest');
    return out;
  }
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch {
    throw new SnapFieldError('badRequest');
  }
  if (!isJsonObject(value)) throw new SnapFieldError('badRequest');
  for (const [k, v] of Object.entries(value)) put(out, k, scalar(k, v));
  return out;
}

export interface FieldRule {
  readonly required?: boolean;
  readonly max: number;
  readonly pattern?: RegExp;
}

/** The first of `names` present (names are the spellings Faspay uses for one field), validated. */
export function legacyField(f: LegacyFields, names: readonly string[], rule: FieldRule): string | undefined {
  const name = names.find((n) => f[n] !== undefined && f[n] !== '');
  const v = name === undefined ? undefined : f[name];
  if (v === undefined) {
    if (rule.required === true) throw new SnapFieldError('invalidMandatoryField', names[0]);
    return undefined;
  }
  if (v.length > rule.max || (rule.pattern !== undefined && !rule.pattern.test(v))) throw new SnapFieldError('invalidFieldFormat', name);
  return v;
}

/** The fields as received, minus the signature: what an event carries as `raw`. */
export function withoutSignature(f: LegacyFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (k !== 'signature') out[k] = v;
  return out;
}
