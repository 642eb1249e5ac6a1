import { isCurrency, parseAmountValue, type Money } from './amount';
import { isJsonObject, JsonNumber, parseJson, type JsonObject, type JsonValue } from './parse-json';
import { parseIsoDateTime } from './timestamp';

export type FieldProblem = 'invalidFieldFormat' | 'invalidMandatoryField' | 'badRequest';

/** A request that parsed but breaks a field rule; `field` is the dotted name BI puts in `{...}`. */
export class SnapFieldError extends Error {
  constructor(readonly problem: FieldProblem, readonly field?: string) {
    super(field === undefined ? problem : `${problem}: ${field}`);
    this.name = 'SnapFieldError';
  }
}

export function parseBodyObject(raw: Buffer): JsonObject {
  let value: JsonValue;
  try {
    value = parseJson(raw.toString('utf8'));
  } catch {
    throw new SnapFieldError('badRequest');
  }
  if (!isJsonObject(value)) throw new SnapFieldError('badRequest');
  return value;
}

interface StringRule {
  readonly required?: boolean;
  readonly max: number;
  readonly pattern?: RegExp;
  /** Accept a JSON number and keep its digits (customerNo, spec §9 #12). */
  readonly allowNumber?: boolean;
}

const absent = (v: JsonValue | undefined): boolean => v === undefined || v === null || v === '';

export function readString(obj: JsonObject, name: string, rule: StringRule, prefix = ''): string | undefined {
  const v = obj[name];
  const field = prefix + name;
  if (absent(v)) {
    if (rule.required === true) throw new SnapFieldError('invalidMandatoryField', field);
    return undefined;
  }
  const text = v instanceof JsonNumber && rule.allowNumber === true ? v.raw : v;
  if (typeof text !== 'string' || text.length > rule.max || (rule.pattern !== undefined && !rule.pattern.test(text))) {
    throw new SnapFieldError('invalidFieldFormat', field);
  }
  return text;
}

export function readDateTime(obj: JsonObject, name: string, required = false): string | undefined {
  const text = readString(obj, name, { required, max: 35 });
  if (text !== undefined && parseIsoDateTime(text) === undefined) throw new SnapFieldError('invalidFieldFormat', name);
  return text;
}

export function readObject(obj: JsonObject, name: string, required = false): JsonObject | undefined {
  const v = obj[name];
  if (v === undefined || v === null) {
    if (required) throw new SnapFieldError('invalidMandatoryField', name);
    return undefined;
  }
  if (!isJsonObject(v)) throw new SnapFieldError('invalidFieldFormat', name);
  return v;
}

/** `{value, currency}` with value as a 2-decimal string (or JSON number) and an ISO-4217 currency. */
export function readMoney(obj: JsonObject, name: string, required: boolean): Money | undefined {
  const m = readObject(obj, name, required);
  if (m === undefined) return undefined;
  if (absent(m.value)) throw new SnapFieldError('invalidMandatoryField', `${name}.value`);
  if (absent(m.currency)) throw new SnapFieldError('invalidMandatoryField', `${name}.currency`);
  const minor = parseAmountValue(m.value);
  if (minor === undefined) throw new SnapFieldError('invalidFieldFormat', `${name}.value`);
  if (!isCurrency(m.currency)) throw new SnapFieldError('invalidFieldFormat', `${name}.currency`);
  return { minor, currency: m.currency };
}

/** `additionalInfo`, also accepted as Faspay's Route-page spelling `additional_info` (spec §9 #13). */
export function readAdditionalInfo(obj: JsonObject): JsonObject | undefined {
  return readObject(obj, 'additionalInfo') ?? readObject(obj, 'additional_info');
}
