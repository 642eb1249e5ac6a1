import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookSubscriber } from '../../src/config/load-subscribers';
import { decodeWebhookSecret } from '../../src/delivery/webhook-signature';

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly delayMs?: number;
}

/** A real order-system stand-in on 127.0.0.1: records every delivery and answers as told. */
export class SubscriberServer {
  readonly received: Received[] = [];
  /** Status answered to each received request, by index. */
  readonly statuses: number[] = [];
  respond: (r: Received, index: number) => Reply = () => ({ status: 200 });
  private server: http.Server | undefined;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        this.received.push(r);
        const reply = this.respond(r, this.received.length - 1);
        this.statuses[this.received.length - 1] = reply.status;
        const send = (): void => {
          if (res.destroyed) return;
          res.writeHead(reply.status, reply.headers);
          res.end('{}');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
        else send();
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops open connections: deliveries now get ECONNREFUSED. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/faspay-events`;
  }

  ids(): string[] {
    return this.received.map((r) => String(r.headers['webhook-id']));
  }
}

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export function webhookSubscriber(name: string, url: string, secrets: string[], timeoutMs = 2_000): WebhookSubscriber {
  return { kind: 'webhook', name, url: new URL(url), keys: secrets.map(decodeWebhookSecret), timeoutMs };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
