import { format } from 'winston';

// winston's transports write info[Symbol.for('message')] (triple-beam's MESSAGE)
const MESSAGE = Symbol.for('message');

/**
 * One JSON object per line, formatted once with JSON.stringify (keys in insertion order, no
 * sorting: winston's own json format sorts every line, which the CPU profile of the hot path
 * showed). Values JSON cannot write (BigInt, a cycle) fall back to a safe rendering.
 */
export const fastJson = format((info) => {
  const { level, message, ...rest } = info as Record<string | symbol, unknown> & { level: string; message: unknown };
  const fields: Record<string, unknown> = { level, message };
  for (const k of Object.keys(rest)) fields[k] = rest[k];
  let line: string;
  try {
    line = JSON.stringify(fields);
  } catch {
    const seen = new WeakSet<object>();
    line = JSON.stringify(fields, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  }
  (info as Record<symbol, unknown>)[MESSAGE] = line;
  return info;
});
