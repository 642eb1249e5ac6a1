import { SNAP_SERVICES, type SnapService } from '../snap/response-codes';

/** Faspay's non-SNAP notifications, by the names a partner's service list writes. */
export type LegacyService = 'recurring-payment' | 'cc-expired' | 'cc-callback' | 'debit-notification';

export const LEGACY_SERVICES: readonly LegacyService[] = Object.freeze(['recurring-payment', 'cc-expired', 'cc-callback', 'debit-notification']);

/** Every service a message kind can be: what `services:` lists allow or deny. */
export type ServiceName = SnapService | LegacyService;

export const SERVICE_NAMES: readonly ServiceName[] = Object.freeze([...SNAP_SERVICES, ...LEGACY_SERVICES]);

export function isSnapService(s: ServiceName): s is SnapService {
  return (SNAP_SERVICES as readonly string[]).includes(s);
}
