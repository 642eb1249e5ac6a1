import { readSnapHeaders } from '../snap/required-headers';
import { CANONICAL_PATH, type SnapService } from '../snap/response-codes';
import { SNAP_JSON } from './answer-format';

/**
 * What every transactional SNAP kind (VA inquiry and payment, Direct Debit and QRIS notify)
 * shares: its canonical path, SNAP JSON answers, application/json only, the partner's own
 * authentication, and X-EXTERNAL-ID dedup (spec §2.1, §2.3).
 */
export function snapTransaction<S extends SnapService>(service: S) {
  return {
    service,
    paths: [CANONICAL_PATH[service]],
    format: SNAP_JSON,
    contentTypes: ['application/json'],
    authentication: 'snap-transaction',
    dedup: 'x-external-id',
    readHeaders: readSnapHeaders,
  } as const;
}
