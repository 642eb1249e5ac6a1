import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import TransportStream from 'winston-transport';

// winston's transports write info[Symbol.for('message')] (triple-beam's MESSAGE), as its Console transport does
const MESSAGE = Symbol.for('message');

/** Transports with lines not yet written: the process's 'exit' writes them (one listener for all). */
const pending = new Set<LineBatchTransport>();
process.on('exit', () => {
  for (const t of pending) t.flush();
});

/**
 * How a batch reaches stdout. A pipe or a TTY (a pod's stdout, a terminal) through process.stdout,
 * which writes the string as it is. A file or /dev/null with fs.writeSync: process.stdout is then
 * Node's SyncWriteStream, which copies each batch into a Buffer and runs it through a Writable first
 * (8 µs more per 20 KB batch, measured: test/bench/HISTORY.md).
 */
function stdoutSink(): (text: string) => void {
  let file = false;
  try {
    const st = fstatSync(1);
    file = st.isFile() || (st.isCharacterDevice() && !isatty(1));
  } catch {
    // no fd 1 to stat: Node's own stream copes
  }
  return file ? (text) => void writeSync(1, text) : (text) => void process.stdout.write(text);
}

/**
 * stdout, one write per event-loop turn: the lines logged during a turn are joined and written in
 * one call when the turn ends (setImmediate), where winston's Console transport makes a write per
 * line. Under load a turn answers several requests, so their request lines share one syscall
 * (README "Hot-path benchmark" has the figures). Lines keep their order. A
 * process that exits writes what is pending from its 'exit' event (stdout is synchronous for files
 * and pipes on Linux); only a SIGKILL within the same turn loses that turn's lines.
 */
export class LineBatchTransport extends TransportStream {
  private lines: string[] = [];

  constructor(private readonly sink: (text: string) => void = stdoutSink()) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.lines.push(`${String(info[MESSAGE])}\n`);
    // in `pending` = its flush at the end of this turn is already scheduled
    if (!pending.has(this)) {
      pending.add(this);
      setImmediate(this.flush);
    }
    next();
  }

  /** Writes what is pending now (called at the end of the turn, on 'exit' and on close). */
  readonly flush = (): void => {
    pending.delete(this);
    if (this.lines.length === 0) return;
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.sink(text);
  };

  override close(): void {
    this.flush();
  }
}
