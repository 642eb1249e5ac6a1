import { isJsonObject, JsonNumber, JsonSyntaxError, parseJson, toPlain } from '../../src/snap';

describe('parseJson (lossless)', () => {
  it('keeps a 20-digit number as its source text', () => {
    const v = parseJson('{"customerNo":12345678901234567890}') as Record<string, JsonNumber>;
    expect(v.customerNo).toBeInstanceOf(JsonNumber);
    expect(v.customerNo!.raw).toBe('12345678901234567890');
  });

  it('keeps decimals and exponents as written', () => {
    expect((parseJson('[10000.10, -1.5e3, 0]') as JsonNumber[]).map((n) => n.raw)).toEqual(['10000.10', '-1.5e3', '0']);
  });

  it('decodes every JSON escape, including \\/ and \\uXXXX, alone and beside a number (the lossless parser)', () => {
    const escaped = '"a\\/b \\u015a \\"q\\" \\\\ \\b\\f\\n\\r\\t"';
    expect(parseJson(escaped)).toBe('a/b Ś "q" \\ \b\f\n\r\t');
    expect((parseJson(`[${escaped}, 1]`) as unknown[])[0]).toBe('a/b Ś "q" \\ \b\f\n\r\t');
  });

  it('parses literals, nesting, empty containers and surrounding whitespace', () => {
    expect(toPlain(parseJson(' {"a":[true,false,null,{},[]],"b":{"c":"d"}} '))).toEqual({ a: [true, false, null, {}, []], b: { c: 'd' } });
    expect(toPlain(parseJson(' {"a":[true,false,null,{},[]],"b":{"c":"d"},"n":1} '))).toEqual({ a: [true, false, null, {}, []], b: { c: 'd' }, n: 1 });
  });

  it('reads a body without numbers (the engine\'s parser) and one with numbers (the lossless one) the same way', () => {
    const text = '{"a":"1","b":[{"c":null,"d":true}],"a":"2","__proto__":"x","e":{}}';
    const fast = parseJson(text) as Record<string, unknown>;
    const lossless = parseJson(`{"n":5,${text.slice(1)}`) as Record<string, unknown>;
    for (const v of [fast, lossless]) {
      expect(Object.keys(v)).toEqual(expect.arrayContaining(['a', 'b', '__proto__', 'e']));
      expect([v.a, toPlain(v.b as never), Object.getOwnPropertyDescriptor(v, '__proto__')?.value, toPlain(v.e as never)]).toEqual(['2', [{ c: null, d: true }], 'x', {}]);
    }
    expect((lossless.n as JsonNumber).raw).toBe('5');
  });

  it.each([['without', '"x"'], ['with', '1']])('allows 32 levels of nesting and refuses 33, %s a number inside', (_w, leaf) => {
    expect(() => parseJson('['.repeat(32) + leaf + ']'.repeat(32))).not.toThrow();
    expect(() => parseJson('['.repeat(33) + leaf + ']'.repeat(33))).toThrow(JsonSyntaxError);
    expect(() => parseJson(`${'{"k":'.repeat(33)}${leaf}${'}'.repeat(33)}`)).toThrow(JsonSyntaxError);
  });

  it('turns numbers into plain numbers only when that is lossless', () => {
    expect(JSON.stringify(parseJson('[1.5, 12345678901234567890, 1.50]'))).toBe('[1.5,"12345678901234567890","1.50"]');
  });

  it.each([
    ['a trailing comma in an object', '{"a":1,}'],
    ['a trailing comma in an array', '[1,]'],
    ['a missing comma (as in the seed payment sample)', '{"a":"1" "b":"2"}'],
    ['a missing colon', '{"a" 1}'],
    ['a key that is not a string', '{a:1}'],
    ['an unterminated string', '"abc'],
    ['a raw control character in a string', '"a\nb"'],
    ['an unknown escape', '"\\x41"'],
    ['a short unicode escape', '"\\u12"'],
    ['data after the value', '{} {}'],
    ['an unknown token', 'nul'],
    ['an unclosed array', '[1 2]'],
    ['nesting deeper than 32 levels', '['.repeat(40) + ']'.repeat(40)],
    ['an empty text', ''],
  ])('rejects %s', (_name, text) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
  });

  it('reports where the syntax error is', () => {
    expect(() => parseJson('{"a":1,}')).toThrow('at position 7');
  });

  it('tells objects from arrays, numbers and null', () => {
    expect(isJsonObject(parseJson('{}'))).toBe(true);
    expect(isJsonObject(parseJson('[]'))).toBe(false);
    expect(isJsonObject(parseJson('1'))).toBe(false);
    expect(isJsonObject(parseJson('null'))).toBe(false);
    expect(isJsonObject(undefined)).toBe(false);
  });
});
