import { SNAP_JSON } from '../../pipeline/answer-format';
import { dedupOutcome, isDedupHit } from '../../pipeline/dedup-outcome';
import type { LedgerKind } from '../../pipeline/message-kind';
import { snapTransaction } from '../../pipeline/snap-transaction';
import { billStatus, type BillView, type StoredBillStatus } from '../../snap/bill';
import { readInquiryRequest, type InquiryRequest } from '../../snap/inquiry-request';
import { parseBodyObject } from '../../snap/request-fields';
import type { OutcomeName } from '../../snap/response-codes';
import { inquiryAnswers, inquiryResponse } from '../../snap/snap-responses';
import { billKeys, syncBill } from './va-bills';
import type { VaDeps } from './va-deps';

/** VA inquiry (service 24, spec §4.2–4.3): a read of the bill, answered and stored for replay in one step. */
export function inquiryKind(deps: VaDeps): LedgerKind<InquiryRequest> {
  return {
    name: 'va-inquiry',
    ...snapTransaction('inquiry'),
    read: (raw) => readInquiryRequest(parseBodyObject(raw)),
    async business(ctx, request) {
      const early = await syncBill(deps, ctx, request, 'inquiry');
      if (early !== undefined) return early;
      const r = await deps.ledger.inquiry(ctx.claim, billKeys(deps.keys, request), inquiryAnswers(request));
      if (isDedupHit(r)) return dedupOutcome(SNAP_JSON, 'inquiry', r, ctx.nowMs);
      ctx.claimed();
      if (r.kind === 'claimed') throw new Error('unexpected ledger reply to an inquiry: claimed');
      // the usual case: decided and stored for replay in the script's one round trip
      if (r.kind === 'answered') return { dedup: 'new', body: r.body };
      // a bill registered before bills kept their answer fragment: decided here, stored in a second step
      const status = r.bill === undefined
        ? undefined
        : billStatus({ status: r.bill.status as StoredBillStatus, expiresAtMs: r.bill.exp === '' ? undefined : Number(r.bill.exp) }, ctx.nowMs);
      const outcome: OutcomeName = status === undefined || status === 'cancelled' ? 'billNotFound'
        : status === 'paid' ? 'paidBill'
          : status === 'expired' ? 'billExpired' : 'success';
      const text = JSON.stringify(inquiryResponse(request, outcome, outcome === 'success' ? (JSON.parse(r.bill!.view) as BillView) : undefined));
      await deps.ledger.complete(ctx.claim.dedupKey, ctx.claim.token, text, ctx.claim.ttlSeconds);
      return { dedup: 'new', body: text };
    },
  };
}
