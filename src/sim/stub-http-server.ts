import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The listening part of the Faspay stand-ins: a real HTTP server on 127.0.0.1 that reads each
 * body whole, and a stop that does not wait for keep-alive sockets.
 */
export class StubHttpServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handle: (req: IncomingMessage, raw: Buffer, res: ServerResponse) => Promise<void> | void) {}

  /** Listens and answers the base URL (`http://host:port`). */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.read(req, res));
    this.server = server;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  private async read(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await this.handle(req, Buffer.concat(chunks), res);
  }
}
