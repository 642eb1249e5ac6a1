import type { JsonObject } from './parse-json';
import { readAdditionalInfo, readString, SnapFieldError } from './request-fields';

/** Body of `POST /v1.0/access-token/b2b` (spec §1.6). */
export interface TokenRequest {
  readonly grantType: 'client_credentials';
  readonly additionalInfo?: JsonObject | undefined;
}

export function readTokenRequest(body: JsonObject): TokenRequest {
  const grantType = readString(body, 'grantType', { required: true, max: 64 });
  if (grantType !== 'client_credentials') throw new SnapFieldError('invalidFieldFormat', 'grantType');
  return { grantType, additionalInfo: readAdditionalInfo(body) };
}
