import { fastJson } from '../../src/logging/fast-json-format';

const MESSAGE = Symbol.for('message');
const line = (info: Record<string, unknown>) => (fastJson().transform({ level: 'info', message: 'm', ...info }) as Record<symbol, string>)[MESSAGE]!;

describe('the log line format', () => {
  it('writes level and message first, then the fields in their order', () => {
    expect(line({ b: 1, a: 'x' })).toBe('{"level":"info","message":"m","b":1,"a":"x"}');
  });
  it('writes values JSON cannot (BigInt, a cycle) instead of losing the line', () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    expect(JSON.parse(line({ amount: 10n, cyclic }))).toEqual({ level: 'info', message: 'm', amount: '10', cyclic: { n: 1, self: '[Circular]' } });
  });
});
