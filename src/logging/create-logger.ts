import winston from 'winston';
import { fastJson } from './fast-json-format';

/** One JSON object per line on stdout. */
export function createLogger(level: string, silent = false): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: fastJson(),
    defaultMeta: { service: 'snap-receiver' },
    transports: [new winston.transports.Console()],
  });
}
