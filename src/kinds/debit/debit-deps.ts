import type { FaspayCredentials } from '../../legacy/faspay-credentials';
import type { NotificationDeps } from '../legacy/legacy-deps';

export interface DebitDeps extends NotificationDeps {
  readonly faspay?: FaspayCredentials | undefined;
  readonly merchantId?: string | undefined;
  /** FASPAY_DEBIT_NOTIFY_PATH. */
  readonly path: string;
  /** FASPAY_LEGACY_AMOUNT_UNIT: whether bill_total / payment_total are in sen or whole rupiah. */
  readonly amountUnit: 'sen' | 'rupiah';
}
