import { cardExpiryEvent } from '../../legacy/card-events';
import { readCcExpired, type CcExpiredNotice } from '../../legacy/cc-expired';
import { legacyAck } from '../../legacy/legacy-ack';
import { readLegacyBody } from '../../legacy/legacy-body';
import type { LedgerKind } from '../../pipeline/message-kind';
import { NotFoundError } from '../../pipeline/pipeline-errors';
import { legacyNotification, recordNotification } from '../legacy/legacy-notification';
import type { CardDeps } from './card-deps';

const SERVICE = 'cc-expired';

/** The member named by a CC Expired notice is not one this service set up: nothing is recorded. */
export class UnknownMemberError extends NotFoundError {
  constructor(memberId: string) {
    super('unknown_member', `member ${memberId.slice(0, 50)} is not a recurring member of this service`);
    this.name = 'UnknownMemberError';
  }
}

/**
 * Notification CC Expired (spec §6.2): it has no signature, so it is taken only from a partner
 * with an IP allow list, and only for a member this service knows (Update Card / Member stored
 * it); → one `card.expiry.notice` per (member, month).
 */
export function ccExpiredKind(deps: CardDeps): LedgerKind<CcExpiredNotice> {
  return {
    name: 'card-cc-expired',
    ...legacyNotification(SERVICE, deps.routes.ccExpired, deps.merchantId, 'FASPAY_MERCHANT_ID'),
    authentication: 'source-address',
    read: (raw, mediaType) => readCcExpired(readLegacyBody(raw, mediaType)),
    identity: (n) => `${n.memberId}|${n.expiredDate}`,
    async business(ctx, n) {
      ctx.log.memberId = n.memberId;
      if (!(await deps.members.exists(n.memberId))) throw new UnknownMemberError(n.memberId);
      const event = cardExpiryEvent(n, ctx.nowMs);
      const ack = legacyAck('Notification CC Expired', { member_id: n.memberId }, '00', 'Success', ctx.nowMs);
      return recordNotification(deps, ctx, SERVICE, { id: event.id, type: event.type, json: JSON.stringify(event) }, ack);
    },
  };
}
