import { SentinelConnector } from 'ioredis';

type ErrorEmitter = Parameters<SentinelConnector['connect']>[0];

/** The parts of ioredis 5's SentinelConnector and FailoverDetector this class reaches into. */
interface Internals {
  initFailoverDetector(): Promise<void>;
  failoverDetector: { connector: { disconnect(): void }; cleanup(): void } | null;
}

/**
 * ioredis's SentinelConnector with one race closed. Its failover detector stays subscribed to
 * `+switch-master` after the primary's socket dies; when the message arrives while the client is
 * already reconnecting (asking Sentinel for the primary), the detector's `disconnect()` cancels that
 * connect, and ioredis then ends the client for good: status `end`, every later command "Connection
 * is closed", never retried. Found by the Sentinel failover fault scenario (README "Proof under
 * faults"), where it stranded one connection in about one run in four. Here the detector's message
 * closes an established connection as before, and is dropped while a connect is in flight, which
 * asks Sentinel anyway.
 */
export class FailoverSafeSentinelConnector extends SentinelConnector {
  private resolving = false;

  // ioredis hands a custom Connector the client's whole options (ConnectorConstructor takes `unknown`)
  constructor(options: unknown) {
    super(options as ConstructorParameters<typeof SentinelConnector>[0]);
    const self = this as unknown as Internals;
    const init = self.initFailoverDetector;
    self.initFailoverDetector = async () => {
      // everything up to its first await runs now, the new detector included: wire it before any message can arrive
      const subscribed = init.call(this);
      const detector = self.failoverDetector;
      if (detector !== null) detector.connector = { disconnect: () => this.onFailover(detector) };
      await subscribed;
    };
  }

  override connect(eventEmitter: ErrorEmitter): ReturnType<SentinelConnector['connect']> {
    this.resolving = true;
    const connecting = super.connect(eventEmitter);
    const done = (): void => {
      this.resolving = false;
    };
    connecting.then(done, done);
    return connecting;
  }

  private onFailover(detector: NonNullable<Internals['failoverDetector']>): void {
    if (this.resolving) {
      detector.cleanup();
      return;
    }
    this.disconnect();
  }
}
