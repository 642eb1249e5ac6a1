import { SnapFieldError } from './request-fields';

export interface SnapHeaders {
  readonly partnerId: string;
  readonly externalId: string;
  readonly channelId?: string | undefined;
}

type HeaderGetter = (name: string) => string | undefined;

/**
 * X-PARTNER-ID and X-EXTERNAL-ID are mandatory String(36) (spec §2.1); CHANNEL-ID is
 * logged, never validated, because Faspay's own docs disagree on its value (spec §9 #8).
 * X-TIMESTAMP and X-SIGNATURE are checked by verifySignature.
 */
export function readSnapHeaders(get: HeaderGetter): SnapHeaders {
  return { partnerId: readIdHeader(get, 'X-PARTNER-ID'), externalId: readIdHeader(get, 'X-EXTERNAL-ID'), channelId: get('CHANNEL-ID') };
}

/** A mandatory String(36) id header: X-PARTNER-ID, X-EXTERNAL-ID, X-CLIENT-KEY. */
export function readIdHeader(get: HeaderGetter, name: string): string {
  const v = get(name);
  if (v === undefined || v === '') throw new SnapFieldError('invalidMandatoryField', name);
  if (v.length > 36) throw new SnapFieldError('invalidFieldFormat', name);
  return v;
}
