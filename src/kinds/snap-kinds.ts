import type { MessageKind } from '../pipeline/message-kind';
import { isLegacyShape } from '../legacy/legacy-shape';
import { accessTokenKind } from './access-token/access-token-kind';
import type { CardDeps } from './card/card-deps';
import { ccCallbackKind } from './card/cc-callback-kind';
import { ccExpiredKind } from './card/cc-expired-kind';
import { recurringPaymentKind } from './card/recurring-payment-kind';
import type { DebitDeps } from './debit/debit-deps';
import { legacyDebitKind } from './debit/legacy-debit-kind';
import { notifyKind } from './snap-notify/notify-kind';
import { inquiryKind } from './virtual-account/inquiry-kind';
import { paymentKind } from './virtual-account/payment-kind';
import type { VaDeps } from './virtual-account/va-deps';

/** Every message kind the public port serves. A new kind is one folder and one line here. */
export function publicKinds(deps: { readonly va: VaDeps; readonly card: CardDeps; readonly debit: DebitDeps }): readonly MessageKind[] {
  const legacyDebit = legacyDebitKind(deps.debit) as MessageKind;
  // Faspay's sandbox posts the legacy Debit notification to SNAP URLs too (spec §9 #16)
  const payment = { ...paymentKind(deps.va), divertTo: (raw: Buffer, mediaType: string | undefined) => (isLegacyShape(raw, mediaType) ? legacyDebit : undefined) };
  return [
    inquiryKind(deps.va), payment, accessTokenKind(),
    notifyKind('debit-notify', deps.debit, legacyDebit), notifyKind('qr-notify', deps.debit, legacyDebit),
    legacyDebit, recurringPaymentKind(deps.card), ccExpiredKind(deps.card), ccCallbackKind(deps.card),
  ] as readonly MessageKind[];
}
