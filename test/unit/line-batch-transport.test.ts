import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turnEnds } from 'node:timers/promises';
import winston from 'winston';
import { fastJson } from '../../src/logging/fast-json-format';
import { LineBatchTransport } from '../../src/logging/line-batch-transport';
import { ensureBuilt, ROOT } from '../helpers/spawned-service';

function capture(): { writes: string[]; logger: winston.Logger; transport: LineBatchTransport } {
  const writes: string[] = [];
  const transport = new LineBatchTransport((text) => writes.push(text));
  return { writes, transport, logger: winston.createLogger({ level: 'info', format: fastJson(), transports: [transport] }) };
}

const messages = (text: string) => text.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { message: string }).message);

describe('the request log on stdout', () => {
  it('writes the lines of one event-loop turn in one write, in order, one JSON object per line', async () => {
    const { writes, logger } = capture();
    logger.info('first');
    logger.warn('second', { partner: 'faspay' });
    logger.info('third');
    await turnEnds();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.endsWith('\n')).toBe(true);
    expect(messages(writes[0]!)).toEqual(['first', 'second', 'third']);
  });

  it('writes nothing before the turn ends, and a later turn\'s lines in a write of their own', async () => {
    const { writes, logger } = capture();
    logger.info('one');
    expect(writes).toHaveLength(0);
    await turnEnds();
    logger.info('two');
    await turnEnds();
    expect(writes.map(messages)).toEqual([['one'], ['two']]);
  });

  it('makes no write for a turn whose only line was below the level', async () => {
    const { writes, logger } = capture();
    logger.debug('below the level');
    await turnEnds();
    expect(writes).toEqual([]);
  });

  it('writes what is pending at once when it is closed', () => {
    const { writes, logger, transport } = capture();
    logger.info('last words');
    transport.close();
    expect(writes.map(messages)).toEqual([['last words']]);
  });

  describe('in a process of its own (dist/), with stdout on a pipe as in a pod, and on a file', () => {
    const logThenExit = `const l = require(${JSON.stringify(join(ROOT, 'dist', 'logging', 'create-logger'))}).createLogger('info');
      l.info('before exit'); setImmediate(() => { l.warn('next turn'); l.error('fatal'); process.exit(3); });`;
    const run = (stdout: 'pipe' | number): number => {
      try {
        execFileSync(process.execPath, ['-e', logThenExit], { stdio: ['ignore', stdout, 'ignore'] });
        return 0;
      } catch (e) {
        piped = String((e as { stdout: unknown }).stdout ?? '');
        return (e as { status: number }).status;
      }
    };
    let piped = '';
    beforeAll(ensureBuilt);

    it('writes every line, the last turn\'s too when the process exits in it (pipe)', () => {
      expect(run('pipe')).toBe(3);
      expect(messages(piped)).toEqual(['before exit', 'next turn', 'fatal']);
    });

    it('writes every line, the last turn\'s too when the process exits in it (file)', () => {
      const file = join(mkdtempSync(join(tmpdir(), 'snap-log-')), 'out.log');
      const fd = openSync(file, 'w');
      try {
        expect(run(fd)).toBe(3);
      } finally {
        closeSync(fd);
      }
      expect(messages(readFileSync(file, 'utf8'))).toEqual(['before exit', 'next turn', 'fatal']);
    });
  });
});
