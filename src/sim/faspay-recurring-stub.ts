import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaspayCredentials } from '../legacy/faspay-credentials';
import { recurringSignature } from '../legacy/recurring-update';
import { StubHttpServer } from './stub-http-server';

export interface StubCall {
  readonly path: string;
  readonly body: Record<string, string>;
}

/**
 * A local stand-in for FASPAY_RECURRING_URL (`snap-sim faspay-recurring`): checks the
 * recurring signature and answers like seed 001's response table. The member id picks the
 * behaviour: `…-err` (err_code 3, txn_status F), `…-slow` (answers after `slowMs`), `…-5xx`
 * (HTTP 503), `…-html` (not JSON), `…-spelled` (the correct spellings instead of the seed's
 * `reccuring_amount` / `recurring_perriod_at`), `…-txn-X` (txn_status X).
 */
export class FaspayRecurringStub {
  readonly calls: StubCall[] = [];
  private readonly http = new StubHttpServer((req, raw, res) => this.handle(req, raw, res));

  constructor(private readonly creds: FaspayCredentials, private readonly slowMs = 3_000) {}

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    return `${await this.http.start(port, host)}/recurring`;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, body: string, type = 'application/json'): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (req.method !== 'POST' || !['/recurring', '/recurring/process/update'].includes(path)) return send(404, '{"err_code":"404","err_desc":"Not Found"}');
    let body: Record<string, string>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, string>;
    } catch {
      return send(400, '{"err_code":"1","err_desc":"Invalid JSON"}');
    }
    this.calls.push({ path, body });
    const memberId = String(body.member_id ?? '');
    const signature = path === '/recurring' ? body.recurring_signature : body.signature;
    if (signature !== recurringSignature(this.creds, memberId)) {
      return send(200, JSON.stringify({ member_id: memberId, err_code: '5', err_desc: 'Invalid signature', txn_status: 'E' }));
    }
    if (memberId.endsWith('-5xx')) return send(503, '<html>Service Unavailable</html>', 'text/html');
    if (memberId.endsWith('-html')) return send(200, '<html>maintenance</html>', 'text/html');
    if (memberId.endsWith('-slow')) await new Promise((r) => setTimeout(r, this.slowMs));
    const declined = memberId.endsWith('-err');
    const txn = /-txn-([A-Z]{1,2})$/.exec(memberId)?.[1] ?? (declined ? 'F' : 'S');
    const spelled = memberId.endsWith('-spelled');
    send(200, JSON.stringify({
      recurring_type: '1',
      member_id: memberId,
      member_name: body.member_name,
      member_email: body.member_email,
      member_email_notif: body.member_email_notif,
      process_date: body.process_date,
      [spelled ? 'recurring_amount' : 'reccuring_amount']: body.recurring_amount,
      recurring_start_date: body.recurring_start_date,
      recurring_end_date: body.recurring_end_date,
      recurring_period: body.recurring_period,
      [spelled ? 'recurring_period_at' : 'recurring_perriod_at']: body.recurring_perriod_at ?? body.recurring_period_at,
      recurring_status: '1',
      merchantid: 'TEST01',
      merchant_tranid: `UPD-${memberId}`,
      err_code: declined ? '3' : '0',
      err_desc: declined ? 'Card declined by the issuer' : 'Success',
      usr_msg: declined ? 'Please use another card' : 'Transaction approved',
      txn_status: txn,
      currencycode: 'IDR',
      amount: body.recurring_amount,
      transactionid: 700000 + this.calls.length,
    }));
  }
}
