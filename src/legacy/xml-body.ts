import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SnapFieldError } from '../snap/request-fields';
import type { LegacyFields } from './legacy-body';

export const XML_MEDIA_TYPES: readonly string[] = Object.freeze(['application/xml', 'text/xml']);

// Entities are never expanded (billion laughs) and nothing external is ever fetched: a DOCTYPE
// (where entities and external references are declared) is refused before parsing at all.
const parser = new XMLParser({
  processEntities: false, htmlEntities: false, ignoreDeclaration: true, ignorePiTags: true, ignoreAttributes: true,
  parseTagValue: false, parseAttributeValue: false, trimValues: true,
});

const PREDEFINED: Readonly<Record<string, string>> = Object.freeze({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });

/** The five predefined XML entities and numeric character references; any other entity is refused. */
function decodeText(text: string, field: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-z]+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    const c = PREDEFINED[ref];
    if (c === undefined) throw new SnapFieldError('invalidFieldFormat', field);
    return c;
  });
}

/**
 * Reads Faspay's legacy XML (`<faspay><trx_id>…</trx_id>…</faspay>`, spec §6.1) into the same
 * flat fields as its JSON: one level of children, names lower-cased.
 */
export function readXmlBody(raw: Buffer): LegacyFields {
  const text = raw.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new SnapFieldError('badRequest');
  if (XMLValidator.validate(text) !== true) throw new SnapFieldError('badRequest');
  const doc: unknown = parser.parse(text);
  const root = (doc as Record<string, unknown>).faspay;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new SnapFieldError('badRequest');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    const key = k.toLowerCase();
    // a repeated element, a nested one, or a name given twice in two cases is ambiguous
    if (typeof v !== 'string' || Object.prototype.hasOwnProperty.call(out, key)) throw new SnapFieldError('invalidFieldFormat', k);
    out[key] = decodeText(v, k);
  }
  return out;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The legacy acknowledgement as XML (spec §6.1): the same fields as the JSON one, in order. */
export function xmlAck(fields: Readonly<Record<string, string>>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><faspay>${Object.entries(fields).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</faspay>`;
}
