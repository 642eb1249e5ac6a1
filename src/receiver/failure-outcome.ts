import { OrderServiceError, OrderServiceTimeoutError } from '../bills/order-service-bills';
import { ReplicationShortfallError } from '../redis/replication-guard';
import { SnapFieldError } from '../snap/request-fields';
import type { OutcomeName } from '../snap/response-codes';
import { SignatureError } from '../snap/verify-signature';

export class UnknownClientError extends Error {
  readonly reason = 'unknown_client';
  constructor(partnerId: string) {
    super(`X-PARTNER-ID ${partnerId} is not configured in FASPAY_PARTNER_ID`);
    this.name = 'UnknownClientError';
  }
}

export interface Failure {
  readonly outcome: OutcomeName;
  readonly detail?: string | undefined;
  /** Machine-readable cause for logs and metrics. */
  readonly reason: string;
}

/** The one place typed errors become SNAP outcomes (spec §3.3). */
export function failureOutcome(err: unknown): Failure {
  if (err instanceof SnapFieldError) return { outcome: err.problem, detail: err.field, reason: err.problem };
  if (err instanceof SignatureError) {
    switch (err.reason) {
      case 'missing_header':
        // spec §2.1: missing X-TIMESTAMP is a mandatory-field error, missing X-SIGNATURE is unauthorized
        return err.header === 'X-TIMESTAMP'
          ? { outcome: 'invalidMandatoryField', detail: 'X-TIMESTAMP', reason: 'missing_header' }
          : { outcome: 'unauthorized', detail: 'Signature', reason: 'missing_header' };
      case 'bad_timestamp': return { outcome: 'invalidFieldFormat', detail: 'X-TIMESTAMP', reason: err.reason };
      case 'stale': return { outcome: 'unauthorized', detail: 'Timestamp', reason: err.reason };
      case 'mismatch': return { outcome: 'unauthorized', detail: 'Signature', reason: err.reason };
      case 'key_config': return { outcome: 'generalError', reason: err.reason };
    }
  }
  if (err instanceof UnknownClientError) return { outcome: 'unauthorized', detail: 'Unknown client', reason: err.reason };
  if (err instanceof OrderServiceTimeoutError) return { outcome: 'timeout', reason: err.reason };
  if (err instanceof OrderServiceError) return { outcome: 'externalServerError', reason: err.reason };
  // the payment is recorded and queued, but "paid" is only said once replicas hold it: Faspay retries
  if (err instanceof ReplicationShortfallError) return { outcome: 'internalServerError', reason: err.reason };
  return { outcome: 'internalServerError', reason: 'internal' };
}
