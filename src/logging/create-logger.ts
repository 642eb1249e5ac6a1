import winston from 'winston';

/** One JSON object per line on stdout. */
export function createLogger(level: string, silent = false): winston.Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { service: 'snap-receiver' },
    transports: [new winston.transports.Console()],
  });
}
