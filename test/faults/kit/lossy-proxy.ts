import net from 'node:net';
import { freePort } from './free-port';

export interface LinkSettings {
  /** One-way delay added to every chunk, and a uniform jitter on top (order is kept, as TCP does). */
  latencyMs: number;
  jitterMs: number;
  /** Chance per second that a connection is cut (both sockets destroyed, as a reset would). */
  cutsPerSecond: number;
}

type Direction = 'toServer' | 'toClient';

interface Lane {
  readonly to: net.Socket;
  readonly queue: Array<{ at: number; chunk: Buffer }>;
  timer: NodeJS.Timeout | undefined;
}

interface Pipe {
  readonly client: net.Socket;
  readonly server: net.Socket;
  readonly lanes: Record<Direction, Lane>;
}

/**
 * A TCP proxy between the service and Redis that misbehaves like a bad network: latency with
 * jitter, connections cut at random, and one direction stalled for a while (the bytes are held
 * and then delivered late, as TCP retransmission after a partition would).
 */
export class LossyProxy {
  readonly settings: LinkSettings = { latencyMs: 0, jitterMs: 0, cutsPerSecond: 0 };
  port = 0;
  cuts = 0;
  private readonly pipes = new Set<Pipe>();
  private readonly stalledUntil: Record<Direction, number> = { toServer: 0, toClient: 0 };
  private server: net.Server | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<this> {
    this.port = await freePort();
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.ticker = setInterval(() => {
      for (const p of this.pipes) if (Math.random() < this.settings.cutsPerSecond / 10) this.cut(p);
    }, 100);
    return this;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Holds every byte going one way for `ms` (new connections too), then lets it through. */
  stall(direction: Direction, ms: number): void {
    this.stalledUntil[direction] = Date.now() + ms;
  }

  cutAll(): void {
    for (const p of this.pipes) this.cut(p);
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.cutAll();
    await new Promise<void>((r) => (this.server === undefined ? r() : this.server.close(() => r())));
  }

  private accept(client: net.Socket): void {
    const server = net.connect(this.targetPort, '127.0.0.1');
    const pipe: Pipe = {
      client, server,
      lanes: { toServer: { to: server, queue: [], timer: undefined }, toClient: { to: client, queue: [], timer: undefined } },
    };
    this.pipes.add(pipe);
    const close = (): void => {
      if (!this.pipes.delete(pipe)) return;
      client.destroy();
      server.destroy();
    };
    client.on('error', close).on('close', close);
    server.on('error', close).on('close', close);
    client.on('data', (d: Buffer) => this.forward(pipe.lanes.toServer, 'toServer', d));
    server.on('data', (d: Buffer) => this.forward(pipe.lanes.toClient, 'toClient', d));
  }

  /** One FIFO per direction, drained by one timer: chunks never overtake each other (a stream, not packets). */
  private forward(lane: Lane, dir: Direction, chunk: Buffer): void {
    const s = this.settings;
    const last = lane.queue.at(-1)?.at ?? 0;
    lane.queue.push({ at: Math.max(Date.now() + s.latencyMs + Math.random() * s.jitterMs, last), chunk });
    this.drain(lane, dir);
  }

  private drain(lane: Lane, dir: Direction): void {
    if (lane.timer !== undefined) return;
    for (;;) {
      const head = lane.queue[0];
      if (head === undefined || lane.to.destroyed) {
        lane.queue.length = 0;
        return;
      }
      const due = Math.max(head.at, this.stalledUntil[dir]) - Date.now();
      if (due > 0) {
        lane.timer = setTimeout(() => {
          lane.timer = undefined;
          this.drain(lane, dir);
        }, due);
        return;
      }
      lane.queue.shift();
      lane.to.write(head.chunk);
    }
  }

  private cut(p: Pipe): void {
    this.cuts++;
    for (const lane of Object.values(p.lanes)) clearTimeout(lane.timer);
    p.client.destroy();
    p.server.destroy();
    this.pipes.delete(p);
  }
}
