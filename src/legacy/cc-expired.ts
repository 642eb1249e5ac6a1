import { SnapFieldError } from '../snap/request-fields';
import { legacyField, type LegacyFields } from './legacy-body';

/** Notification CC Expired (spec §6.2): no signature exists; the IP list and a known member are the proof. */
export interface CcExpiredNotice {
  readonly memberId: string;
  readonly memberName?: string | undefined;
  readonly memberEmail?: string | undefined;
  readonly amount?: string | undefined;
  /** `YYYY-MM`. */
  readonly expiredDate: string;
}

export function readCcExpired(f: LegacyFields): CcExpiredNotice {
  const rawDate = legacyField(f, ['expired_date'], { required: true, max: 12 })!;
  // the page writes the format "YYYY - MM"; accept it with or without the spaces
  const m = /^(\d{4})\s*-\s*(\d{2})$/.exec(rawDate);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 12) throw new SnapFieldError('invalidFieldFormat', 'expired_date');
  return {
    memberId: legacyField(f, ['member_id'], { required: true, max: 50 })!,
    memberName: legacyField(f, ['member_name'], { max: 50 }),
    memberEmail: legacyField(f, ['member_email'], { max: 50 }),
    amount: legacyField(f, ['amount'], { max: 16, pattern: /^\d{1,13}(\.\d{1,2})?$/ }),
    expiredDate: `${m[1]}-${m[2]}`,
  };
}
