import type { CardCredentials, FaspayCredentials } from '../../legacy/faspay-credentials';
import type { MemberStore } from '../../redis/member-store';
import type { NotificationDeps } from '../legacy/legacy-deps';

export interface CardDeps extends NotificationDeps {
  readonly faspay?: FaspayCredentials | undefined;
  readonly card?: CardCredentials | undefined;
  /** FASPAY_MERCHANT_ID: the partner the card notifications belong to (may be set without the secrets). */
  readonly merchantId?: string | undefined;
  readonly members: MemberStore;
  readonly routes: { readonly recurringPayment: string; readonly ccExpired: string; readonly ccNotification: string };
}
