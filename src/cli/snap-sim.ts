#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { accessToken, loadPrivateKey, newExternalId, requestToken, send, serialise, snapHeaders, type Quirks, type SimExchange, type SimTarget } from '../sim/snap-client';
import { CC_PATH, DD_NOTIFY_PATH, DEBIT_PATH, EXPIRED_PATH, INQUIRY_PATH, inquiryBody, makeCtx, markdownReport, PAYMENT_PATH, paymentBody, QR_NOTIFY_PATH, RECURRING_PATH, runUat, type ScenarioResult } from '../sim/uat';
import { ccCallback, ccExpiredNotice, debitNotification, notifyBody, recurringPaymentNotification, sendLegacy, type LegacyExchange } from '../sim/card-notifications';
import { FaspayRecurringStub } from '../sim/faspay-recurring-stub';
import { FaspayApiStub } from '../sim/faspay-api-stub';
import type { CardCredentials, FaspayCredentials } from '../legacy/faspay-credentials';

const USAGE = `usage: snap-sim <inquiry|payment|flow|token|dd-notify|qris-notify|uat|legacy-notify|cc-payment-notify|cc-expired|cc-callback|faspay-recurring> [options]
  --url URL                 the service's public base URL (default http://127.0.0.1:8080)
  --admin-url URL           its internal port, for registering bills (default http://127.0.0.1:9090)
  --token TOKEN             INTERNAL_API_TOKEN (default: $INTERNAL_API_TOKEN, or var/dev-keys/internal-api-token)
  --key FILE                private key to sign with (default var/dev-keys/faspay-dev-private.pem)
  --partner-id ID           X-PARTNER-ID, and X-CLIENT-KEY in token mode (default 82150)
  --auth MODE               faspay-rsa (default) or snap-symmetric (B2B token + HMAC-SHA512, spec §1.6)
  --client-secret-file FILE token mode: the partner's client secret (never on the command line)
  --psid DIGITS             partnerServiceId (default 088899)
  --va DIGITS               VA digits = psid + customerNo (default: a fresh one)
  --amount VALUE            payment amount (default 150000.00)
  --payment-request-id ID   (default: a fresh one)
  --external-id ID          X-EXTERNAL-ID (default: a fresh one)
  --timestamp TS            X-TIMESTAMP, verbatim
  quirks: --pretty --php-escapes --pad1 --stale --wrong-key --tamper
          --duplicate-external-id (send twice, same id, second body different)  --retry (send the payment twice)
          token mode: --no-token --bad-token
  card notifications (credentials from these or FASPAY_USER_ID, FASPAY_PASSWORD, FASPAY_MERCHANT_ID,
  FASPAY_CC_MERCHANT_ID, FASPAY_CC_TXN_PASSWORD; secrets only from files or the environment):
  --user-id ID --password-file FILE --merchant-id N --cc-merchant-id ID --cc-txn-password-file FILE
  --trx-id ID --member-id ID --status CODE (2|3, or a txn_status for cc-callback) --expired-date YYYY-MM
  --merchant-tranid ID --transaction-id ID --form (form-encoded instead of JSON) --tamper --retry
  faspay-recurring --port N  a local stand-in for FASPAY_RECURRING_URL (checks recurring_signature)
  faspay-api --port N --merchant-public-key FILE   a local stand-in for FASPAY_API_BASE_URL (status 26, create-va 27,
                            delete-va 31; verifies the merchant's signature); POST /__sim/pay {virtualAccountNo, paymentRequestId, value}
                            marks a VA paid without any notification (a lost one, for reconciliation)
  dd-notify / qris-notify: --reference REF --status 00..07 --amount VALUE (SNAP-signed; the quirks apply)
  legacy-notify: --bill-no NO --status 0..9 --format xml|json --to-snap-url (post it to the SNAP payment URL)
  --report FILE             uat: Markdown report path (default uat-report-<time>.md); card scenarios run when credentials are given
  --json                    machine-readable output`;

const color = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const green = (s: string): string => paint('32', s);
const red = (s: string): string => paint('31', s);
const dim = (s: string): string => paint('2', s);

function pretty(body: string): string[] {
  try {
    return JSON.stringify(JSON.parse(body), null, 2).split('\n');
  } catch {
    return body.split('\n');
  }
}

/** Request and response side by side when the terminal is wide enough, one above the other otherwise. */
export function renderExchange(x: SimExchange, width = process.stdout.columns ?? 0): string {
  const secretish = (k: string): boolean => k === 'X-SIGNATURE' || k === 'Authorization';
  const left = [`${x.request.method} ${x.request.url}`, ...Object.entries(x.request.headers).map(([k, v]) => dim(`${k}: ${secretish(k) ? `${v.slice(0, 24)}…` : v}`)), '', ...x.request.body.split('\n')];
  const ok = x.response.status < 300;
  const right = [`HTTP ${x.response.status}`, ...Object.entries(x.response.headers).map(([k, v]) => dim(`${k}: ${v}`)), '', ...pretty(x.response.body)];
  const verdict = `${ok ? green('✔') : red('✘')} ${String(x.response.json?.responseCode ?? '')} — ${x.meaning}`;
  // eslint-disable-next-line no-control-regex
  const visible = (s: string): number => s.replace(/\u001b\[\d+m/g, '').length;
  const colWidth = Math.max(...left.map(visible), 20);
  if (width < colWidth * 2 + 5) return [dim('── request ──'), ...left, dim('── response ──'), ...right, verdict].join('\n');
  const rows = Math.max(left.length, right.length);
  const out = [`${dim('request'.padEnd(colWidth))}  │  ${dim('response')}`];
  for (let i = 0; i < rows; i++) {
    const l = left[i] ?? '';
    out.push(`${l}${' '.repeat(colWidth - visible(l))}  │  ${right[i] ?? ''}`);
  }
  out.push(verdict);
  return out.join('\n');
}

function defaultToken(): string {
  if (process.env.INTERNAL_API_TOKEN) return process.env.INTERNAL_API_TOKEN;
  const p = join(process.env.VAR_DIR ?? 'var', 'dev-keys', 'internal-api-token');
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : '';
}

export async function main(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      url: { type: 'string' }, 'admin-url': { type: 'string' }, token: { type: 'string' }, key: { type: 'string' }, 'partner-id': { type: 'string' },
      psid: { type: 'string' }, va: { type: 'string' }, amount: { type: 'string' }, 'payment-request-id': { type: 'string' }, 'external-id': { type: 'string' },
      timestamp: { type: 'string' }, pretty: { type: 'boolean' }, 'php-escapes': { type: 'boolean' }, pad1: { type: 'boolean' }, stale: { type: 'boolean' },
      'wrong-key': { type: 'boolean' }, tamper: { type: 'boolean' }, 'duplicate-external-id': { type: 'boolean' }, retry: { type: 'boolean' },
      report: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      auth: { type: 'string' }, 'client-secret-file': { type: 'string' }, 'no-token': { type: 'boolean' }, 'bad-token': { type: 'boolean' },
      'user-id': { type: 'string' }, 'password-file': { type: 'string' }, 'merchant-id': { type: 'string' }, 'cc-merchant-id': { type: 'string' },
      'cc-txn-password-file': { type: 'string' }, 'trx-id': { type: 'string' }, 'member-id': { type: 'string' }, status: { type: 'string' },
      'expired-date': { type: 'string' }, 'merchant-tranid': { type: 'string' }, 'transaction-id': { type: 'string' }, form: { type: 'boolean' }, port: { type: 'string' },
      reference: { type: 'string' }, 'bill-no': { type: 'string' }, format: { type: 'string' }, 'to-snap-url': { type: 'boolean' },
      'merchant-public-key': { type: 'string' },
    },
  });
  const command = positionals[0];
  const CARD_COMMANDS = ['cc-payment-notify', 'cc-expired', 'cc-callback', 'faspay-recurring', 'legacy-notify'];
  if (command === 'faspay-api') return faspayApiCommand(values['merchant-public-key'], values.port, out);
  if (values.help === true || command === undefined || ![...['inquiry', 'payment', 'flow', 'token', 'uat', 'dd-notify', 'qris-notify', 'faspay-api'], ...CARD_COMMANDS].includes(command)) {
    out(USAGE);
    return values.help === true ? 0 : 2;
  }
  const fromFile = (file: string | undefined, env: string): string | undefined =>
    file === undefined ? process.env[env] : readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  const userId = values['user-id'] ?? process.env.FASPAY_USER_ID;
  const password = fromFile(values['password-file'], 'FASPAY_PASSWORD');
  const merchantId = values['merchant-id'] ?? process.env.FASPAY_MERCHANT_ID;
  const ccMerchantId = values['cc-merchant-id'] ?? process.env.FASPAY_CC_MERCHANT_ID;
  const ccTxnPassword = fromFile(values['cc-txn-password-file'], 'FASPAY_CC_TXN_PASSWORD');
  const faspay = userId !== undefined && password !== undefined && merchantId !== undefined ? { userId, password, merchantId } : undefined;
  const card = ccMerchantId !== undefined && ccTxnPassword !== undefined ? { ccMerchantId, ccTxnPassword } : undefined;
  const baseUrl = values.url ?? 'http://127.0.0.1:8080';
  if (CARD_COMMANDS.includes(command)) return cardCommand(command, { faspay, card, baseUrl, values, out });
  const keyPath = values.key ?? join(process.env.VAR_DIR ?? 'var', 'dev-keys', 'faspay-dev-private.pem');
  if (!existsSync(keyPath)) throw new Error(`no private key at ${keyPath}: start the service once (it creates a development pair) or pass --key`);
  const auth = values.auth ?? 'faspay-rsa';
  if (auth !== 'faspay-rsa' && auth !== 'snap-symmetric') throw new Error(`--auth ${auth} must be faspay-rsa or snap-symmetric`);
  let clientSecret: string | undefined;
  if (auth === 'snap-symmetric') {
    const file = values['client-secret-file'];
    if (file === undefined) throw new Error('--auth snap-symmetric needs --client-secret-file FILE (the partner\'s client secret)');
    clientSecret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  }
  const target: SimTarget = { url: values.url ?? 'http://127.0.0.1:8080', key: loadPrivateKey(keyPath), partnerId: values['partner-id'] ?? '82150', auth, clientSecret };
  const api = { adminUrl: values['admin-url'] ?? 'http://127.0.0.1:9090', token: values.token ?? defaultToken() };
  const psid = values.psid ?? '088899';
  const ctx = makeCtx(target, api, psid);
  const q: Quirks = {
    pretty: values.pretty, phpEscapes: values['php-escapes'], pad1: values.pad1, stale: values.stale, wrongKey: values['wrong-key'], tamper: values.tamper,
    noToken: values['no-token'], badToken: values['bad-token'],
  };

  if (command === 'uat') {
    const results = await runUat(ctx, (r: ScenarioResult) => {
      if (values.json !== true) out(`${r.pass ? green('PASS') : red('FAIL')}  ${r.id.padEnd(6)} ${r.title.padEnd(62)} expected ${r.expected.padEnd(20)} got ${r.got}${r.detail ? ` (${r.detail})` : ''}`);
    }, { faspay, card });
    const report = markdownReport(results, { url: target.url, partnerId: target.partnerId, at: new Date().toISOString(), auth });
    const file = values.report ?? `uat-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`;
    writeFileSync(file, report);
    const failed = results.filter((r) => !r.pass).length;
    if (values.json === true) out(JSON.stringify({ passed: results.length - failed, failed, report: file, results }));
    else out(`\n${failed === 0 ? green(`all ${results.length} scenarios passed`) : red(`${failed} of ${results.length} scenarios failed`)}; report: ${file}`);
    return failed === 0 ? 0 : 1;
  }

  let va = ctx.va();
  if (values.va !== undefined) {
    if (!/^\d+$/.test(values.va) || !values.va.startsWith(psid)) throw new Error(`--va ${values.va} must be digits starting with the partnerServiceId ${psid}`);
    va = { psid, customerNo: values.va.slice(psid.length) };
  }
  const amount = values.amount ?? '150000.00';
  const exchanges: SimExchange[] = [];
  const call = async (path: string, body: Record<string, unknown>, externalId?: string): Promise<SimExchange> => {
    const { wire, signed } = serialise(body, q);
    const token = auth === 'snap-symmetric' ? await accessToken(target) : undefined;
    const headers = snapHeaders(path, signed, target, q, { ...(externalId ? { externalId } : {}), ...(values.timestamp ? { timestamp: values.timestamp } : {}), ...(token ? { accessToken: token } : {}) });
    const x = await send(path, wire, headers, target, q.tamper === true);
    exchanges.push(x);
    return x;
  };
  const xid = values['external-id'] ?? newExternalId();
  const prid = values['payment-request-id'] ?? `sim-${va.customerNo}-${Date.now()}`;

  if (command === 'token') {
    exchanges.push(await requestToken(target, { wrongKey: q.wrongKey }));
  } else if (command === 'dd-notify' || command === 'qris-notify') {
    const path = command === 'dd-notify' ? DD_NOTIFY_PATH : QR_NOTIFY_PATH;
    const body = notifyBody({ reference: values.reference ?? `SIM-${Date.now()}`, status: values.status, amount: values.amount, qris: command === 'qris-notify' });
    await call(path, body, xid);
    if (values.retry === true) await call(path, body);
  } else if (command === 'flow') {
    await ctx.bill(va, { amount });
    await call(INQUIRY_PATH, inquiryBody(va, `sim-inq-${Date.now()}`));
    await call(PAYMENT_PATH, paymentBody(va, prid, amount));
  } else {
    const path = command === 'inquiry' ? INQUIRY_PATH : PAYMENT_PATH;
    const body = command === 'inquiry' ? inquiryBody(va, `sim-inq-${Date.now()}`) : paymentBody(va, prid, amount);
    await call(path, body, xid);
    if (values['duplicate-external-id'] === true) {
      await call(path, command === 'inquiry' ? inquiryBody(va, `sim-other-${Date.now()}`) : paymentBody(va, `${prid}-other`, amount), xid);
    }
    if (values.retry === true) await call(path, body);
  }
  if (values.json === true) out(JSON.stringify(exchanges.map((x) => ({ request: x.request, response: { status: x.response.status, body: x.response.json ?? x.response.body }, meaning: x.meaning }))));
  else out(exchanges.map((x) => renderExchange(x)).join('\n\n'));
  if (command === 'flow' && values.json !== true) {
    const res = await fetch(`${api.adminUrl}/internal/v1/bills/${psid}${va.customerNo}`, { headers: { Authorization: `Bearer ${api.token}` } });
    const bill = (await res.json()) as { status?: string; payments?: Array<{ eventId: string }> };
    out(`\nbill after the flow: ${bill.status ?? `HTTP ${res.status}`}`);
    const eventId = bill.payments?.at(-1)?.eventId;
    if (eventId !== undefined) out(`\nqueued event ${eventId}:\n${await queuedEvent(eventId)}`);
  }
  return exchanges.every((x) => x.response.status < 300) ? 0 : 1;
}

/** `snap-sim faspay-api`: Faspay's SNAP API as a local stand-in, until Ctrl-C. */
async function faspayApiCommand(publicKeyFile: string | undefined, port: string | undefined, out: (s: string) => void): Promise<number> {
  const file = publicKeyFile ?? join(process.env.VAR_DIR ?? 'var', 'dev-keys', 'merchant-public.pem');
  if (!existsSync(file)) throw new Error(`no merchant public key at ${file}: start the service once (it creates a development pair) or pass --merchant-public-key`);
  const stub = new FaspayApiStub(readFileSync(file, 'utf8'));
  const url = await stub.start(Number(port ?? 0));
  const { createServer } = await import('node:http');
  // a control port next to it: mark a VA paid "at the bank" without notifying the merchant
  const control = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { virtualAccountNo: string; paymentRequestId: string; value: string; partnerServiceId?: string; customerNo?: string };
        const digits = b.virtualAccountNo.replace(/\D/g, '');
        if (b.partnerServiceId !== undefined && b.customerNo !== undefined) stub.know(digits, b.partnerServiceId, b.customerNo);
        stub.pay(digits, b.paymentRequestId, b.value);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlPort = (control.address() as import('node:net').AddressInfo).port;
  out(`Faspay SNAP API stand-in at ${url} (set FASPAY_API_BASE_URL=${url}); POST http://127.0.0.1:${controlPort}/__sim/pay to lose a payment notification. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  control.close();
  await stub.stop();
  return 0;
}

interface CardCommandContext {
  readonly faspay: FaspayCredentials | undefined;
  readonly card: CardCredentials | undefined;
  readonly baseUrl: string;
  readonly values: Record<string, string | boolean | undefined>;
  readonly out: (s: string) => void;
}

/** Faspay's side of the card family: signed notifications, and a stand-in for its recurring API. */
async function cardCommand(command: string, c: CardCommandContext): Promise<number> {
  const v = c.values as Record<string, string | undefined> & { form?: boolean; tamper?: boolean; retry?: boolean; json?: boolean };
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`${command} needs ${what}`);
    return x;
  };
  if (command === 'faspay-recurring') {
    const stub = new FaspayRecurringStub(need(c.faspay, '--user-id, --password-file and --merchant-id (to check recurring_signature)'));
    const url = await stub.start(Number(v.port ?? 0));
    c.out(`Faspay recurring stand-in at ${url} (set FASPAY_RECURRING_URL=${url}); member ids ending -err, -slow, -5xx, -html, -spelled, -txn-X pick the answer. Ctrl-C stops it.`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await stub.stop();
    return 0;
  }
  const unique = `${Date.now()}`;
  let path: string;
  let fields: Record<string, string>;
  if (command === 'legacy-notify') {
    path = c.values['to-snap-url'] === true ? PAYMENT_PATH : DEBIT_PATH;
    fields = debitNotification(need(c.faspay, '--user-id, --password-file and --merchant-id'), { billNo: v['bill-no'] ?? `SIM${unique}`, status: v.status ?? '2' });
  } else if (command === 'cc-payment-notify') {
    path = RECURRING_PATH;
    const status = v.status ?? '2';
    if (status !== '2' && status !== '3') throw new Error('--status for cc-payment-notify is 2 (success) or 3 (failed)');
    fields = recurringPaymentNotification(need(c.faspay, '--user-id, --password-file and --merchant-id'), { trxId: v['trx-id'] ?? `SIM${unique}`, memberId: v['member-id'] ?? 'SIM-MEMBER', status });
  } else if (command === 'cc-expired') {
    path = EXPIRED_PATH;
    fields = ccExpiredNotice({ memberId: need(v['member-id'], '--member-id'), expiredDate: v['expired-date'] ?? new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 7) });
  } else {
    path = CC_PATH;
    fields = ccCallback(need(c.card, '--cc-merchant-id and --cc-txn-password-file'), { merchantTranId: v['merchant-tranid'] ?? `SIM${unique}`, transactionId: v['transaction-id'] ?? unique, txnStatus: v.status ?? 'S' });
  }
  if (v.format !== undefined && v.format !== 'xml' && v.format !== 'json') throw new Error('--format is xml or json');
  const as = v.format === 'xml' ? 'xml' : v.form === true ? 'form' : 'json';
  const exchanges: LegacyExchange[] = [await sendLegacy(c.baseUrl, path, fields, { as, tamper: v.tamper === true })];
  if (v.retry === true) exchanges.push(await sendLegacy(c.baseUrl, path, fields, { as }));
  if (v.json === true) c.out(JSON.stringify(exchanges.map((x) => ({ request: x.request, response: { status: x.response.status, body: x.response.json ?? x.response.body }, meaning: x.meaning }))));
  else c.out(exchanges.map((x) => renderExchange(x as unknown as SimExchange)).join('\n\n'));
  return exchanges.every((x) => x.responseCode === '00') ? 0 : 1;
}

/** The event as queued in snap-payments, read with the service's own REDIS_URL / QUEUE_PREFIX. */
async function queuedEvent(eventId: string): Promise<string> {
  const { Queue } = await import('bullmq');
  const { loadConfig } = await import('../config/load-config');
  const { closeRedis, createQueueRedis } = await import('../redis/redis-connections');
  const { describeRedisTarget } = await import('../redis/redis-target');
  const config = loadConfig(process.env);
  const redis = createQueueRedis(config.redis);
  const queue = new Queue('snap-payments', { connection: redis, prefix: config.queuePrefix });
  try {
    const job = await queue.getJob(eventId);
    return job === undefined ? dim(`(not found in snap-payments at ${describeRedisTarget(config.redis)}; set REDIS_URL / QUEUE_PREFIX like the service)`) : JSON.stringify(job.data, null, 2);
  } finally {
    await queue.close();
    await closeRedis(redis);
  }
}

if (require.main === module) {
  main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`snap-sim: ${e.message}\n`);
      process.exit(2);
    },
  );
}
