import winston from 'winston';
import { fastJson } from './fast-json-format';
import { LineBatchTransport } from './line-batch-transport';

/** One JSON object per line on stdout, the lines of an event-loop turn in one write. */
export function createLogger(level: string, silent = false): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: fastJson(),
    defaultMeta: { service: 'snap-receiver' },
    transports: [new LineBatchTransport()],
  });
}
