import { debitEvent, readDebitNotification, verifyDebitNotification, type DebitNotification } from '../../legacy/debit-notification';
import { legacyAckFields } from '../../legacy/legacy-ack';
import { LEGACY_MEDIA_TYPES, readLegacyBody, withoutSignature } from '../../legacy/legacy-body';
import { readXmlBody, XML_MEDIA_TYPES } from '../../legacy/xml-body';
import { LEGACY_JSON, LEGACY_XML, renderLegacy } from '../../pipeline/answer-format';
import type { LedgerKind } from '../../pipeline/message-kind';
import { NotConfiguredError } from '../../pipeline/pipeline-errors';
import { legacyNotification, recordNotification } from '../legacy/legacy-notification';
import type { DebitDeps } from './debit-deps';

const SERVICE = 'debit-notification';

type Read = { readonly n: DebitNotification; readonly raw: Record<string, string>; readonly format: string };

/**
 * Faspay Debit "Payment Notification" (spec §6.1): XML or JSON as set in Faspay's portal,
 * answered in the same encoding. One `debit.payment.notification` per (bill_no, trx_id,
 * payment_status_code): Faspay's three tries are one event, a later status is another.
 */
export function legacyDebitKind(deps: DebitDeps): LedgerKind<Read> {
  return {
    name: 'debit-legacy-notification',
    ...legacyNotification(SERVICE, deps.path, deps.faspay === undefined ? undefined : deps.merchantId, 'FASPAY_USER_ID, FASPAY_PASSWORD and FASPAY_MERCHANT_ID'),
    contentTypes: [...LEGACY_MEDIA_TYPES, ...XML_MEDIA_TYPES],
    formatFor: (mediaType) => (XML_MEDIA_TYPES.includes(mediaType) ? LEGACY_XML : LEGACY_JSON),
    authentication: 'body-signature',
    read: (raw, mediaType) => {
      const xml = XML_MEDIA_TYPES.includes(mediaType);
      const f = xml ? readXmlBody(raw) : readLegacyBody(raw, mediaType);
      return { n: readDebitNotification(f), raw: withoutSignature(f), format: xml ? 'xml' : mediaType === 'application/json' ? 'json' : 'form' };
    },
    verify: ({ n }) => {
      if (deps.faspay === undefined) throw new NotConfiguredError('Debit notifications are not configured');
      verifyDebitNotification(n, deps.faspay);
      return 'sha1md5';
    },
    identity: ({ n }) => `${n.billNo}|${n.trxId}|${n.paymentStatusCode}`,
    async business(ctx, { n, raw, format }) {
      const event = debitEvent(n, raw, { receivedAtMs: ctx.nowMs, unit: deps.amountUnit, format });
      ctx.log.billNo = n.billNo;
      const ack = renderLegacy(ctx.format, legacyAckFields('Payment Notification', { trx_id: n.trxId, merchant_id: n.merchantId, merchant: n.merchant, bill_no: n.billNo }, '00', 'Success', ctx.nowMs));
      return recordNotification(deps, ctx, SERVICE, { id: event.id, type: event.type, json: JSON.stringify(event) }, ack);
    },
  };
}
