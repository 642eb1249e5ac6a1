import { randomInt } from 'node:crypto';
import { accessToken, registerBill, requestToken, send, serialise, snapHeaders, newExternalId, type BillApi, type Quirks, type SimExchange, type SimTarget } from './snap-client';
import { ccCallback, ccExpiredNotice, debitNotification, notifyBody, recurringPaymentNotification, sendLegacy, type LegacyExchange } from './card-notifications';
import type { CardCredentials, FaspayCredentials } from '../legacy/faspay-credentials';

export const INQUIRY_PATH = '/v1.0/transfer-va/inquiry';
export const PAYMENT_PATH = '/v1.0/transfer-va/payment';
export const DD_NOTIFY_PATH = '/v1.0/debit/notify';
export const QR_NOTIFY_PATH = '/v1.0/qr/qr-mpm-notify';

export interface VaRef {
  readonly psid: string;
  readonly customerNo: string;
}

export function inquiryBody(va: VaRef, inquiryRequestId: string): Record<string, unknown> {
  const psid = va.psid.padStart(8, ' ');
  return { partnerServiceId: psid, customerNo: va.customerNo, virtualAccountNo: psid + va.customerNo, inquiryRequestId };
}

export function paymentBody(va: VaRef, paymentRequestId: string, amount: string): Record<string, unknown> {
  const psid = va.psid.padStart(8, ' ');
  return {
    partnerServiceId: psid, customerNo: va.customerNo, virtualAccountNo: psid + va.customerNo, paymentRequestId,
    paidAmount: { value: amount, currency: 'IDR' }, trxDateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), referenceNo: paymentRequestId.slice(-16),
  };
}

export function billBody(va: VaRef, o: { amount?: string; amountType?: 'closed' | 'open'; expiredDate?: string } = {}): Record<string, unknown> {
  return {
    partnerServiceId: va.psid, customerNo: va.customerNo, virtualAccountName: 'UAT Customer', virtualAccountEmail: 'uat@example.com',
    virtualAccountPhone: '6281200000000', totalAmount: { value: o.amount ?? '150000.00', currency: 'IDR' }, amountType: o.amountType ?? 'closed',
    ...(o.expiredDate === undefined ? {} : { expiredDate: o.expiredDate }), trxId: `UAT-${va.customerNo}`, billDescription: 'UAT bill',
  };
}

export interface Ctx {
  readonly target: SimTarget;
  readonly api: BillApi;
  readonly psid: string;
  va(): VaRef;
  call(path: string, body: Record<string, unknown>, q?: Quirks, externalId?: string): Promise<SimExchange>;
  bill(va: VaRef, o?: Parameters<typeof billBody>[1]): Promise<void>;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly expected: string;
  readonly got: string;
  readonly pass: boolean;
  readonly detail?: string;
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly expected: string;
  run(ctx: Ctx): Promise<{ got: string; pass?: boolean; detail?: string }>;
}

const code = (x: SimExchange): string => String(x.response.json?.responseCode ?? `HTTP ${x.response.status}`);
const one = (x: SimExchange) => ({ got: code(x) });

/** Faspay's "VA – Skenario Functional Test" cases that apply to a merchant receiver (spec §8), plus the quirks. */
export const SCENARIOS: readonly Scenario[] = [
  { id: '11.1', title: 'Inquiry on an open bill', expected: '2002400', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(INQUIRY_PATH, inquiryBody(va, `inq-${va.customerNo}`))); } },
  { id: '11.2', title: 'Invalid signature (wrong key)', expected: '4012400', run: async (c) => one(await c.call(INQUIRY_PATH, inquiryBody(c.va(), 'bad-sig'), { wrongKey: true })) },
  { id: '11.2b', title: 'Body changed after signing', expected: '4012500', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(PAYMENT_PATH, paymentBody(va, `tamper-${va.customerNo}`, '150000.00'), { tamper: true })); } },
  { id: '11.2c', title: 'Stale X-TIMESTAMP (10 minutes old)', expected: '4012400', run: async (c) => one(await c.call(INQUIRY_PATH, inquiryBody(c.va(), 'stale'), { stale: true })) },
  { id: '11.3', title: 'Missing mandatory field (virtualAccountNo)', expected: '4002402', run: async (c) => { const b = inquiryBody(c.va(), 'missing'); delete b.virtualAccountNo; return one(await c.call(INQUIRY_PATH, b)); } },
  { id: '11.4', title: 'Invalid field format (customerNo with letters)', expected: '4002401', run: async (c) => one(await c.call(INQUIRY_PATH, { ...inquiryBody(c.va(), 'format'), customerNo: '12AB34' })) },
  {
    id: '11.5', title: 'Duplicate X-EXTERNAL-ID with another body, same day', expected: '4092400',
    run: async (c) => {
      const xid = newExternalId();
      const va = c.va();
      await c.call(INQUIRY_PATH, inquiryBody(va, 'dup-1'), {}, xid);
      return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'dup-2'), {}, xid));
    },
  },
  {
    id: '11.5b', title: 'Duplicate X-EXTERNAL-ID with the same body: first answer replayed', expected: '2002400 (identical)',
    run: async (c) => {
      const va = c.va();
      await c.bill(va);
      const xid = newExternalId();
      const a = await c.call(INQUIRY_PATH, inquiryBody(va, 'replay'), {}, xid);
      const b = await c.call(INQUIRY_PATH, inquiryBody(va, 'replay'), {}, xid);
      const same = a.response.body === b.response.body;
      return { got: `${code(b)}${same ? ' (identical)' : ' (different)'}`, pass: code(b) === '2002400' && same };
    },
  },
  { id: '11.6', title: 'Inquiry on an unknown VA', expected: '4042412', run: async (c) => one(await c.call(INQUIRY_PATH, inquiryBody(c.va(), 'unknown'))) },
  { id: '11.7', title: 'Payment on an unknown VA', expected: '4042512', run: async (c) => one(await c.call(PAYMENT_PATH, paymentBody(c.va(), `unk-${randomInt(1e9)}`, '1000.00'))) },
  {
    id: '11.8', title: 'Inquiry on an expired VA', expected: '4042419',
    run: async (c) => { const va = c.va(); await c.bill(va, { expiredDate: new Date(Date.now() - 60_000).toISOString() }); return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'expired'))); },
  },
  {
    id: '11.8b', title: 'Payment on an expired VA', expected: '4042519',
    run: async (c) => { const va = c.va(); await c.bill(va, { expiredDate: new Date(Date.now() - 60_000).toISOString() }); return one(await c.call(PAYMENT_PATH, paymentBody(va, `exp-${va.customerNo}`, '150000.00'))); },
  },
  { id: '11.9', title: 'Payment of a closed bill', expected: '2002500', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(PAYMENT_PATH, paymentBody(va, `pay-${va.customerNo}`, '150000.00'))); } },
  {
    id: '11.10', title: 'Same payment retried under a new X-EXTERNAL-ID (idempotent)', expected: '2002500',
    run: async (c) => {
      const va = c.va();
      await c.bill(va);
      const body = paymentBody(va, `retry-${va.customerNo}`, '150000.00');
      await c.call(PAYMENT_PATH, body);
      return one(await c.call(PAYMENT_PATH, body));
    },
  },
  {
    id: '11.11', title: 'Inquiry on a paid bill', expected: '4042414',
    run: async (c) => { const va = c.va(); await c.bill(va); await c.call(PAYMENT_PATH, paymentBody(va, `p-${va.customerNo}`, '150000.00')); return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'paid'))); },
  },
  {
    id: '11.12', title: 'Second payment on a paid bill', expected: '4042514',
    run: async (c) => {
      const va = c.va();
      await c.bill(va);
      await c.call(PAYMENT_PATH, paymentBody(va, `a-${va.customerNo}`, '150000.00'));
      return one(await c.call(PAYMENT_PATH, paymentBody(va, `b-${va.customerNo}`, '150000.00')));
    },
  },
  { id: '11.13', title: 'Invalid amount on a closed bill', expected: '4042513', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(PAYMENT_PATH, paymentBody(va, `amt-${va.customerNo}`, '149999.00'))); } },
  {
    id: '11.14', title: 'Same paymentRequestId with another amount', expected: '4042518',
    run: async (c) => {
      const va = c.va();
      await c.bill(va, { amountType: 'open', amount: '0' });
      await c.call(PAYMENT_PATH, paymentBody(va, `inc-${va.customerNo}`, '5000.00'));
      return one(await c.call(PAYMENT_PATH, paymentBody(va, `inc-${va.customerNo}`, '6000.00')));
    },
  },
  { id: '11.16', title: 'Open-amount payment', expected: '2002500', run: async (c) => { const va = c.va(); await c.bill(va, { amountType: 'open', amount: '0' }); return one(await c.call(PAYMENT_PATH, paymentBody(va, `open-${va.customerNo}`, '12345.67'))); } },
  { id: '19.1', title: 'Direct Debit notify: payment success', expected: '2005600', run: async (c) => one(await c.call(DD_NOTIFY_PATH, notifyBody({ reference: `UAT-DD-${randomInt(1e9)}` }))) },
  { id: '19.2', title: 'Direct Debit notify with an invalid signature', expected: '4015600', run: async (c) => one(await c.call(DD_NOTIFY_PATH, notifyBody({ reference: `UAT-DD-${randomInt(1e9)}` }), { wrongKey: true })) },
  {
    id: '19.3', title: 'Direct Debit notify resent under a new X-EXTERNAL-ID', expected: '2005600',
    run: async (c) => { const b = notifyBody({ reference: `UAT-DD-${randomInt(1e9)}` }); await c.call(DD_NOTIFY_PATH, b); return one(await c.call(DD_NOTIFY_PATH, b)); },
  },
  { id: '19.4', title: 'Direct Debit notify without latestTransactionStatus', expected: '4005602', run: async (c) => { const b = notifyBody({ reference: `UAT-DD-${randomInt(1e9)}` }); delete b.latestTransactionStatus; return one(await c.call(DD_NOTIFY_PATH, b)); } },
  { id: '18.1', title: 'QRIS notify: payment success', expected: '2005200', run: async (c) => one(await c.call(QR_NOTIFY_PATH, notifyBody({ reference: `UAT-QR-${randomInt(1e9)}`, qris: true }))) },
  { id: '18.2', title: 'QRIS notify with an amount changed after signing', expected: '4015200', run: async (c) => one(await c.call(QR_NOTIFY_PATH, notifyBody({ reference: `UAT-QR-${randomInt(1e9)}`, qris: true }), { tamper: true })) },
  { id: '18.3', title: 'QRIS notify, pretty-printed body', expected: '2005200', run: async (c) => one(await c.call(QR_NOTIFY_PATH, notifyBody({ reference: `UAT-QR-${randomInt(1e9)}`, qris: true }), { pretty: true })) },
  { id: 'Q1', title: 'Pretty-printed body (signed minified)', expected: '2002400', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'pretty'), { pretty: true })); } },
  { id: 'Q2', title: 'PHP-style \\/ escapes', expected: '2002400', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'php/escaped'), { phpEscapes: true })); } },
  { id: 'Q3', title: 'Sandbox padding quirk (1-space on the wire, 8 signed)', expected: '2002400', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(INQUIRY_PATH, inquiryBody(va, 'pad1'), { pad1: true })); } },
];

/** Token mode (auth: snap-symmetric, spec §1.6): the token endpoint and what a call without a good token gets. */
export const TOKEN_SCENARIOS: readonly Scenario[] = [
  { id: 'T1', title: 'B2B access token issued (service 73)', expected: '2007300', run: async (c) => one(await requestToken(c.target)) },
  { id: 'T2', title: 'Token request signed with another key', expected: '4017300', run: async (c) => one(await requestToken(c.target, { wrongKey: true })) },
  { id: 'T3', title: 'Token request with grantType password', expected: '4007301', run: async (c) => one(await requestToken(c.target, { grantType: 'password' })) },
  { id: 'T4', title: 'Inquiry without an access token', expected: '4012403', run: async (c) => one(await c.call(INQUIRY_PATH, inquiryBody(c.va(), 'no-token'), { noToken: true })) },
  { id: 'T5', title: 'Inquiry with a token this service never issued', expected: '4012401', run: async (c) => one(await c.call(INQUIRY_PATH, inquiryBody(c.va(), 'bad-token'), { badToken: true })) },
  { id: 'T6', title: 'Payment HMAC with another client secret', expected: '4012500', run: async (c) => { const va = c.va(); await c.bill(va); return one(await c.call(PAYMENT_PATH, paymentBody(va, `hmac-${va.customerNo}`, '150000.00'), { wrongKey: true })); } },
];

/** Faspay's card credentials the UAT runner signs the card notifications with (their paths: the service's defaults). */
export interface CardUat {
  readonly faspay?: FaspayCredentials | undefined;
  readonly card?: CardCredentials | undefined;
}

const legacyCode = (x: LegacyExchange): string => x.responseCode ?? `HTTP ${x.response.status}`;

/** The card notifications of the credit-card recurring flow (spec §6.2), when their credentials are given. */
export function cardScenarios(c: CardUat): Array<Scenario & { run(ctx: Ctx): Promise<{ got: string; pass?: boolean }> }> {
  const out: Array<Scenario & { run(ctx: Ctx): Promise<{ got: string; pass?: boolean }> }> = [];
  const uniq = () => `${Date.now()}${randomInt(1e6)}`;
  if (c.faspay !== undefined) {
    const f = c.faspay;
    out.push(
      { id: 'C1', title: 'Recurring payment notification (success)', expected: '00', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, RECURRING_PATH, recurringPaymentNotification(f, { trxId: `UAT${uniq()}`, memberId: 'UAT-MEMBER' }))) }) },
      {
        id: 'C2', title: 'Same notification resent: same answer, no second event', expected: '00 (identical)',
        run: async (ctx) => {
          const n = recurringPaymentNotification(f, { trxId: `UAT${uniq()}`, memberId: 'UAT-MEMBER' });
          const a = await sendLegacy(ctx.target.url, RECURRING_PATH, n);
          const b = await sendLegacy(ctx.target.url, RECURRING_PATH, n, { as: 'form' });
          const same = a.response.body === b.response.body;
          return { got: `${legacyCode(b)}${same ? ' (identical)' : ' (different)'}`, pass: legacyCode(b) === '00' && same };
        },
      },
      { id: 'C3', title: 'Recurring notification with a changed status', expected: '01', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, RECURRING_PATH, recurringPaymentNotification(f, { trxId: `UAT${uniq()}`, memberId: 'UAT-MEMBER' }), { tamper: true })) }) },
      { id: 'C4', title: 'CC Expired for a member this service never set up', expected: '03', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, EXPIRED_PATH, ccExpiredNotice({ memberId: `UAT-NOBODY-${uniq()}`, expiredDate: '2027-01' }))) }) },
    );
  }
  if (c.faspay !== undefined) {
    const f = c.faspay;
    out.push(
      { id: 'L1', title: 'Debit Payment Notification, JSON', expected: '00', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, DEBIT_PATH, debitNotification(f, { billNo: `UAT${uniq()}` }))) }) },
      { id: 'L2', title: 'Debit Payment Notification, XML', expected: '00', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, DEBIT_PATH, debitNotification(f, { billNo: `UAT${uniq()}` }), { as: 'xml' })) }) },
      { id: 'L3', title: 'Debit notification with a changed status', expected: '01', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, DEBIT_PATH, debitNotification(f, { billNo: `UAT${uniq()}` }), { tamper: true, as: 'xml' })) }) },
      { id: 'L4', title: 'Legacy notification sent to the SNAP payment URL', expected: '00', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, PAYMENT_PATH, debitNotification(f, { billNo: `UAT${uniq()}` }))) }) },
    );
  }
  if (c.card !== undefined) {
    const k = c.card;
    out.push(
      { id: 'C5', title: 'Credit-card server callback (sales)', expected: '00', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, CC_PATH, ccCallback(k, { merchantTranId: `UAT${uniq()}`, transactionId: uniq(), txnStatus: 'S' }), { as: 'form' })) }) },
      { id: 'C6', title: 'Credit-card callback with a changed amount', expected: '01', run: async (ctx) => ({ got: legacyCode(await sendLegacy(ctx.target.url, CC_PATH, ccCallback(k, { merchantTranId: `UAT${uniq()}`, transactionId: uniq() }), { tamper: true })) }) },
    );
  }
  return out;
}

export const RECURRING_PATH = '/faspay/recurring/payment-notification';
export const DEBIT_PATH = '/faspay/debit/notification';
export const EXPIRED_PATH = '/faspay/recurring/cc-expired';
export const CC_PATH = '/faspay/credit-card/notification';

export function makeCtx(target: SimTarget, api: BillApi, psid: string): Ctx {
  const base = `${Date.now() % 1e9}`.padStart(9, '0');
  let n = 0;
  return {
    target, api, psid,
    va: () => ({ psid, customerNo: `9${base}${String(++n).padStart(3, '0')}` }),
    call: async (path, body, q = {}, externalId) => {
      const { wire, signed } = serialise(body, q);
      const token = target.auth === 'snap-symmetric' ? await accessToken(target) : undefined;
      return send(path, wire, snapHeaders(path, signed, target, q, { ...(externalId === undefined ? {} : { externalId }), ...(token === undefined ? {} : { accessToken: token }) }), target, q.tamper === true);
    },
    bill: async (va, o) => {
      const r = await registerBill(api, billBody(va, o));
      if (r.status !== 201 && r.status !== 200) throw new Error(`bill API answered HTTP ${r.status}: ${JSON.stringify(r.body)} (check --admin-url and --token)`);
    },
  };
}

export async function runUat(ctx: Ctx, onResult: (r: ScenarioResult) => void = () => undefined, card: CardUat = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  // the re-padding quirk is Faspay's sandbox signer (spec §1.4): token-mode providers sign what they send
  const snap = ctx.target.auth === 'snap-symmetric' ? [...TOKEN_SCENARIOS, ...SCENARIOS.filter((s) => s.id !== 'Q3')] : SCENARIOS;
  const scenarios = [...snap, ...cardScenarios(card)];
  for (const s of scenarios) {
    let r: ScenarioResult;
    try {
      const out = await s.run(ctx);
      r = { id: s.id, title: s.title, expected: s.expected, got: out.got, pass: out.pass ?? out.got === s.expected, ...(out.detail ? { detail: out.detail } : {}) };
    } catch (e) {
      r = { id: s.id, title: s.title, expected: s.expected, got: 'error', pass: false, detail: (e as Error).message };
    }
    results.push(r);
    onResult(r);
  }
  return results;
}

export function markdownReport(results: readonly ScenarioResult[], meta: { url: string; partnerId: string; at: string; auth?: string }): string {
  const passed = results.filter((r) => r.pass).length;
  const lines = [
    '# Faspay SNAP VA — functional test report',
    '',
    `- Endpoint: ${meta.url}`,
    `- X-PARTNER-ID: ${meta.partnerId}${meta.auth === 'snap-symmetric' ? ' (token mode: B2B token + HMAC-SHA512)' : ''}`,
    `- Run at: ${meta.at}`,
    `- Result: **${passed}/${results.length} passed**`,
    '',
    '| # | Scenario | Expected | Got | Result |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.id} | ${r.title} | ${r.expected} | ${r.got}${r.detail ? ` (${r.detail.replace(/\|/g, '/')})` : ''} | ${r.pass ? 'PASS' : 'FAIL'} |`),
    '',
  ];
  return lines.join('\n');
}
