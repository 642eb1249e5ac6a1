import type { IncomingMessage, ServerResponse } from 'node:http';
import { parsePublicKeys } from '../snap/public-keys';
import { verifySignature } from '../snap/verify-signature';
import { StubHttpServer } from './stub-http-server';

interface StubVa {
  readonly partnerServiceId: string;
  readonly customerNo: string;
  readonly trxId?: string | undefined;
  status: 'open' | 'paid' | 'deleted';
  payment?: { paymentRequestId: string; paidAmount: { value: string; currency: string }; transactionDate: string };
}

export interface ApiStubCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly verified: boolean;
}

/**
 * A local stand-in for Faspay's SNAP API (`snap-sim faspay-api`): verifies the merchant's
 * signature with its public key and answers Inquiry Status (26), Create VA (27) and Delete VA
 * (31) from its own state. `pay()` marks a VA paid without sending any notification: the lost
 * notification reconciliation exists for. `down` answers 503 to everything.
 */
export class FaspayApiStub {
  readonly calls: ApiStubCall[] = [];
  down = false;
  private readonly vas = new Map<string, StubVa>();
  private readonly http = new StubHttpServer((req, raw, res) => this.handle(req, raw, res));
  private readonly keys;

  /** `maxSkewSeconds`: 'off' for callers whose clock is not the wall clock (tests with an injected clock). */
  constructor(merchantPublicKeyPem: string, private readonly maxSkewSeconds: number | 'off' = 300) {
    this.keys = parsePublicKeys(merchantPublicKeyPem);
  }

  /** A VA Faspay knows (a static VA, or one created outside this stand-in). */
  know(vaDigits: string, partnerServiceId: string, customerNo: string, trxId?: string): void {
    this.vas.set(vaDigits, { partnerServiceId, customerNo, trxId, status: 'open' });
  }

  /** The customer paid at the bank; the notification to the merchant is "lost". */
  pay(vaDigits: string, paymentRequestId: string, value: string, transactionDate = new Date().toISOString().replace(/\.\d+Z$/, 'Z')): void {
    const va = this.vas.get(vaDigits);
    if (va === undefined) throw new Error(`the stand-in does not know VA ${vaDigits}`);
    va.status = 'paid';
    va.payment = { paymentRequestId, paidAmount: { value, currency: 'IDR' }, transactionDate };
  }

  start(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.http.start(port, host);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let verified = false;
    try {
      verifySignature(raw, { timestamp: req.headers['x-timestamp'] as string, signature: req.headers['x-signature'] as string }, {
        method: req.method ?? 'POST', canonicalPath: path, actualPath: path, keys: this.keys, nowMs: Date.now(), maxSkewSeconds: this.maxSkewSeconds, repadCandidate: false,
      });
      verified = true;
    } catch {
      verified = false;
    }
    this.calls.push({ method: req.method ?? '', path, headers: req.headers, body: raw.toString('utf8'), verified });
    const service = { '/v1.0/transfer-va/status': '26', '/v1.0/transfer-va/create-va': '27', '/v1.0/transfer-va/delete-va': '31' }[path];
    if (service === undefined) return send(404, { responseCode: '4040000', responseMessage: 'Not Found' });
    if (this.down) return send(503, { responseCode: `503${service}00`, responseMessage: 'Service Unavailable' });
    if (!verified) return send(401, { responseCode: `401${service}00`, responseMessage: 'Unauthorized. [Signature]' });
    const body = JSON.parse(raw.toString('utf8')) as Record<string, string | Record<string, string>>;
    const digits = String(body.virtualAccountNo ?? '').replace(/\D/g, '');
    const echo = { partnerServiceId: body.partnerServiceId, customerNo: body.customerNo, virtualAccountNo: body.virtualAccountNo };
    if (service === '27') {
      this.know(digits, String(body.partnerServiceId), String(body.customerNo), String(body.trxId));
      return send(200, { responseCode: '2002700', responseMessage: 'Success', virtualAccountData: { ...echo, virtualAccountName: body.virtualAccountName, trxId: body.trxId, totalAmount: body.totalAmount, expiredDate: body.expiredDate } });
    }
    const va = this.vas.get(digits);
    if (va === undefined || va.status === 'deleted') return send(404, { responseCode: `404${service}12`, responseMessage: 'Invalid Bill/Virtual Account [Not Found]' });
    if (service === '31') {
      va.status = 'deleted';
      return send(200, { responseCode: '2003100', responseMessage: 'Success', virtualAccountData: { ...echo, trxId: body.trxId } });
    }
    const paid = va.status === 'paid';
    return send(200, {
      responseCode: '2002600', responseMessage: 'Success',
      virtualAccountData: {
        paymentFlagReason: { english: paid ? 'Success' : 'Pending' }, ...echo,
        ...(paid ? { paymentRequestId: va.payment!.paymentRequestId, paidAmount: va.payment!.paidAmount, transactionDate: va.payment!.transactionDate } : { paidAmount: { value: '0.00', currency: 'IDR' } }),
        paymentFlagStatus: paid ? '00' : '03',
        additionalInfo: { channelCode: (body.additionalInfo as Record<string, string> | undefined)?.channelCode ?? '' },
      },
    });
  }
}

