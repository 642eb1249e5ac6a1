import { AccessDeniedError } from '../access/access-denied-error';
import { TokenError } from '../auth/token-error';
import { OrderServiceError, OrderServiceTimeoutError } from '../bills/order-service-bills';
import { RecordElsewhereError, ReplicationShortfallError } from '../redis/replication-guard';
import { SnapFieldError } from '../snap/request-fields';
import type { OutcomeName } from '../snap/response-codes';
import { SignatureError } from '../snap/signature-error';
import { ContentTypeError, NotConfiguredError, NotFoundError, UnknownClientError } from './pipeline-errors';

export interface Failure {
  readonly outcome: OutcomeName;
  readonly detail?: string | undefined;
  /** Machine-readable cause for logs and metrics. */
  readonly reason: string;
  /** Seconds for a Retry-After header (rate limit). */
  readonly retryAfterSeconds?: number | undefined;
}

/** The one place typed errors become SNAP outcomes (spec §3.3, §1.6). */
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
      // the operator's to fix: a 5xx makes Faspay retry, so nothing is lost while keys are put right
      case 'key_config':
      case 'key_window': return { outcome: 'generalError', reason: err.reason };
    }
  }
  if (err instanceof AccessDeniedError) {
    switch (err.rule) {
      // no hint that an IP rule matched: the same answer as an unknown partner
      case 'ip-list': return { outcome: 'unauthorized', detail: 'Unknown client', reason: err.rule };
      case 'hour-list': return { outcome: 'featureNotAllowedAtThisTime', reason: err.rule };
      case 'service-list': return { outcome: 'featureNotAllowed', reason: err.rule };
      case 'rate-limit': return { outcome: 'tooManyRequests', reason: err.rule, retryAfterSeconds: err.retryAfterSeconds };
    }
  }
  if (err instanceof TokenError) {
    return err.reason === 'token_missing' ? { outcome: 'tokenNotFound', reason: err.reason } : { outcome: 'invalidToken', reason: err.reason };
  }
  if (err instanceof UnknownClientError) return { outcome: 'unauthorized', detail: 'Unknown client', reason: err.reason };
  if (err instanceof ContentTypeError) return { outcome: 'badRequest', reason: err.reason };
  if (err instanceof NotFoundError) return { outcome: 'notFound', detail: err.message, reason: err.reason };
  if (err instanceof NotConfiguredError) return { outcome: 'notConfigured', detail: err.message, reason: err.reason };
  if (err instanceof OrderServiceTimeoutError) return { outcome: 'timeout', reason: err.reason };
  if (err instanceof OrderServiceError) return { outcome: 'externalServerError', reason: err.reason };
  // the payment is recorded and queued, but "paid" is only said once replicas hold it: Faspay retries
  if (err instanceof ReplicationShortfallError || err instanceof RecordElsewhereError) return { outcome: 'internalServerError', reason: err.reason };
  return { outcome: 'internalServerError', reason: 'internal' };
}
