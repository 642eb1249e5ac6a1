import type { MessageKind } from '../pipeline/message-kind';
import { accessTokenKind } from './access-token/access-token-kind';
import type { CardDeps } from './card/card-deps';
import { ccCallbackKind } from './card/cc-callback-kind';
import { ccExpiredKind } from './card/cc-expired-kind';
import { recurringPaymentKind } from './card/recurring-payment-kind';
import { inquiryKind } from './virtual-account/inquiry-kind';
import { paymentKind } from './virtual-account/payment-kind';
import type { VaDeps } from './virtual-account/va-deps';

/** Every message kind the public port serves. A new kind is one folder and one line here. */
export function publicKinds(deps: { readonly va: VaDeps; readonly card: CardDeps }): readonly MessageKind[] {
  return [
    inquiryKind(deps.va), paymentKind(deps.va), accessTokenKind(),
    recurringPaymentKind(deps.card), ccExpiredKind(deps.card), ccCallbackKind(deps.card),
  ] as readonly MessageKind[];
}
