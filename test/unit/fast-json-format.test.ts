import { fastJson } from '../../src/logging/fast-json-format';

const MESSAGE = Symbol.for('message');
const format = (info: Record<string, unknown>) => (fastJson().transform(info as { level: string; message: unknown }) as Record<symbol, string>)[MESSAGE]!;
const line = (info: Record<string, unknown>) => format({ level: 'info', message: 'm', ...info }).replace(/"timestamp":"[^"]+"/, '"timestamp":"T"');

describe('the log line format', () => {
  it('writes level and message first, then the fields in their order, then the timestamp', () => {
    expect(line({ b: 1, a: 'x' })).toBe('{"level":"info","message":"m","b":1,"a":"x","timestamp":"T"}');
  });

  it('puts level and message first when the fields came first (winston\'s three-argument form)', () => {
    const written = format({ service: 's', b: 1, level: 'warn', message: 'm' });
    expect(written.replace(/"timestamp":"[^"]+"/, '"timestamp":"T"')).toBe('{"level":"warn","message":"m","service":"s","b":1,"timestamp":"T"}');
    expect(format({ level: 'warn', service: 's', message: 'm' })).toMatch(/^\{"level":"warn","message":"m","service":"s",/);
  });

  it('stamps each line with the time it was written', () => {
    const before = Date.now();
    const stamp = Date.parse((JSON.parse(format({ level: 'info', message: 'm' })) as { timestamp: string }).timestamp);
    expect(stamp).toBeGreaterThanOrEqual(before - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });

  it('writes values JSON cannot (BigInt, a cycle) instead of losing the line', () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(JSON.parse(line({ amount: 10n, cyclic }))).toEqual({ level: 'info', message: 'm', amount: '10', cyclic: { n: 1, self: '[Circular]' }, timestamp: 'T' });
  });
});
