import { isLegacyShape } from '../../legacy/legacy-shape';
import type { LedgerKind, MessageKind } from '../../pipeline/message-kind';
import { snapTransaction } from '../../pipeline/snap-transaction';
import { notifyEvent, readNotifyRequest, type NotifyRequest } from '../../snap/notify-request';
import { parseBodyObject } from '../../snap/request-fields';
import { bareResponse } from '../../snap/snap-responses';
import { recordNotification } from '../legacy/legacy-notification';
import type { NotificationDeps } from '../legacy/legacy-deps';

/**
 * SNAP Direct Debit notify (56, e-wallets and direct debit: OVO, DANA, ShopeePay, LinkAja, BRI)
 * and QRIS MPM notify (52), spec §7: RSA-signed like VA, X-EXTERNAL-ID replayed byte for byte,
 * and one event per (merchant reference, Faspay reference, latestTransactionStatus) whatever
 * X-EXTERNAL-ID Faspay resends it under. A legacy-shaped body is handed to the legacy kind.
 */
export function notifyKind(service: 'debit-notify' | 'qr-notify', deps: NotificationDeps, legacy?: MessageKind): LedgerKind<NotifyRequest> {
  return {
    name: service === 'debit-notify' ? 'snap-debit-notify' : 'snap-qris-notify',
    ...snapTransaction(service),
    read: (raw) => readNotifyRequest(parseBodyObject(raw), service),
    acknowledgesWrite: (code) => code.startsWith('200'),
    divertTo: legacy === undefined ? undefined : (raw, mediaType) => (isLegacyShape(raw, mediaType) ? legacy : undefined),
    async business(ctx, n) {
      const event = notifyEvent(n, service, { receivedAtMs: ctx.nowMs, partnerId: ctx.headers.partnerId, externalId: ctx.externalId, channelId: ctx.headers.channelId });
      ctx.log.reference = n.originalPartnerReferenceNo ?? n.originalReferenceNo;
      ctx.log.status = n.latestTransactionStatus;
      return recordNotification(deps, ctx, service, { id: event.id, type: event.type, json: JSON.stringify(event) }, JSON.stringify(bareResponse(service, 'success')));
    },
  };
}
