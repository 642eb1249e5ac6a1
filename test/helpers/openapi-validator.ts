import Ajv2020 from 'ajv/dist/2020';
import { OPENAPI_DOCUMENT } from '../../src/http/openapi';

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(OPENAPI_DOCUMENT as object, 'openapi.json');

const paths = Object.keys(OPENAPI_DOCUMENT.paths);
const pointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function template(path: string): string | undefined {
  return paths.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(path));
}

export interface RecordedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

/**
 * Checks a real response against the OpenAPI document. Paths the document does not
 * describe (unknown routes, the queue UI) are skipped; a described path with an
 * undescribed status or a body that breaks the schema is an error.
 */
export function openApiProblems(r: RecordedResponse): string | undefined {
  const t = template(r.path.replace(/^\/snap(?=\/v1\.0)/, ''));
  if (t === undefined) return undefined;
  const op = (OPENAPI_DOCUMENT.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>)[t]![r.method.toLowerCase()];
  if (op?.responses?.[String(r.status)] === undefined) return `${r.method} ${r.path}: status ${r.status} is not documented`;
  const ref = `openapi.json#/paths/${pointer(t)}/${r.method.toLowerCase()}/responses/${r.status}/content/${pointer('application/json')}/schema`;
  if (ajv.validate({ $ref: ref }, r.body)) return undefined;
  return `${r.method} ${r.path} ${r.status}: ${ajv.errorsText(ajv.errors)} in ${JSON.stringify(r.body)}`;
}
