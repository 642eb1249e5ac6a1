import { cardStatusEvent } from '../../legacy/card-events';
import { readCcCallback, verifyCcCallback, type CcCallback } from '../../legacy/cc-callback';
import { legacyAck } from '../../legacy/legacy-ack';
import { readLegacyBody, withoutSignature } from '../../legacy/legacy-body';
import type { LedgerKind } from '../../pipeline/message-kind';
import { NotConfiguredError } from '../../pipeline/pipeline-errors';
import { legacyNotification, recordNotification } from '../legacy/legacy-notification';
import type { CardDeps } from './card-deps';

const SERVICE = 'cc-callback';

type Read = { readonly cb: CcCallback; readonly raw: Record<string, string> };

/** Credit-card server callback (URL Notification Credit Card): one `card.payment.status` per (transaction, status). */
export function ccCallbackKind(deps: CardDeps): LedgerKind<Read> {
  return {
    name: 'card-cc-callback',
    ...legacyNotification(SERVICE, deps.routes.ccNotification, deps.card === undefined ? undefined : deps.merchantId,
      'FASPAY_CC_MERCHANT_ID, FASPAY_CC_TXN_PASSWORD and FASPAY_MERCHANT_ID'),
    authentication: 'body-signature',
    read: (raw, mediaType) => {
      const f = readLegacyBody(raw, mediaType);
      return { cb: readCcCallback(f), raw: withoutSignature(f) };
    },
    verify: ({ cb }) => {
      if (deps.card === undefined) throw new NotConfiguredError('credit-card callbacks are not configured');
      verifyCcCallback(cb, deps.card);
      return 'cc-sha1';
    },
    identity: ({ cb }) => `${cb.transactionId}|${cb.txnStatus.toUpperCase()}`,
    async business(ctx, { cb, raw }) {
      const event = cardStatusEvent(cb, raw, ctx.nowMs);
      ctx.log.transactionId = cb.transactionId;
      const ack = legacyAck('Credit Card Notification', { merchant_tranid: cb.merchantTranId, transactionid: cb.transactionId }, '00', 'Success', ctx.nowMs);
      return recordNotification(deps, ctx, SERVICE, { id: event.id, type: event.type, json: JSON.stringify(event) }, ack);
    },
  };
}
