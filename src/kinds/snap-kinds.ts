import type { MessageKind } from '../pipeline/message-kind';
import { accessTokenKind } from './access-token/access-token-kind';
import { inquiryKind } from './virtual-account/inquiry-kind';
import { paymentKind } from './virtual-account/payment-kind';
import type { VaDeps } from './virtual-account/va-deps';

/** Every message kind the public port serves. A new kind is one folder and one line here. */
export function snapKinds(va: VaDeps): readonly MessageKind[] {
  return [inquiryKind(va), paymentKind(va), accessTokenKind()] as readonly MessageKind[];
}
