import { recurringPaymentEvent } from '../../legacy/card-events';
import { legacyAck } from '../../legacy/legacy-ack';
import { readLegacyBody, withoutSignature } from '../../legacy/legacy-body';
import { readRecurringPaymentNotification, verifyRecurringPaymentNotification, type RecurringPaymentNotification } from '../../legacy/recurring-notification';
import type { LedgerKind } from '../../pipeline/message-kind';
import { NotConfiguredError } from '../../pipeline/pipeline-errors';
import { legacyNotification, recordNotification } from '../legacy/legacy-notification';
import type { CardDeps } from './card-deps';

const SERVICE = 'recurring-payment';

type Read = { readonly n: RecurringPaymentNotification; readonly raw: Record<string, string> };

/** Recurring Payment Notification (spec §6.2): one `card.recurring.payment` event per (trx_id, status). */
export function recurringPaymentKind(deps: CardDeps): LedgerKind<Read> {
  return {
    name: 'card-recurring-payment',
    ...legacyNotification(SERVICE, deps.routes.recurringPayment, deps.faspay === undefined ? undefined : deps.merchantId, 'FASPAY_USER_ID, FASPAY_PASSWORD and FASPAY_MERCHANT_ID'),
    authentication: 'body-signature',
    read: (raw, mediaType) => {
      const f = readLegacyBody(raw, mediaType);
      return { n: readRecurringPaymentNotification(f), raw: withoutSignature(f) };
    },
    verify: ({ n }) => {
      if (deps.faspay === undefined) throw new NotConfiguredError('recurring notifications are not configured');
      return `sha1md5:${verifyRecurringPaymentNotification(n, deps.faspay)}`;
    },
    identity: ({ n }) => `${n.trxId}|${n.paymentStatusCode}`,
    async business(ctx, { n, raw }) {
      const event = recurringPaymentEvent(n, raw, ctx.nowMs);
      ctx.log.memberId = n.memberId;
      const ack = legacyAck('Payment Notification', { trx_id: n.trxId, merchant_id: n.merchantId, member_id: n.memberId }, '00', 'Success', ctx.nowMs);
      return recordNotification(deps, ctx, SERVICE, { id: event.id, type: event.type, json: JSON.stringify(event) }, ack);
    },
  };
}
