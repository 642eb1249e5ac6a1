import { minifyJson, repadIds } from '../../src/snap';

const m = (s: string): string => minifyJson(Buffer.from(s)).toString('utf8');

describe('minifyJson', () => {
  it('removes spaces, tabs and newlines outside strings only', () => {
    expect(m('{\r\n\t"a" : "  088899",\n "b" : [ 1 , 2 ] }')).toBe('{"a":"  088899","b":[1,2]}');
  });
  it('keeps an escaped quote inside a string and the whitespace after it', () => {
    expect(m('{ "a" : "x\\" y" }')).toBe('{"a":"x\\" y"}');
  });
  it('returns the same buffer when there is nothing to remove', () => {
    const b = Buffer.from('{"a":1}');
    expect(minifyJson(b)).toBe(b);
  });
  it('passes multi-byte UTF-8 through untouched', () => {
    expect(m('{ "n" : "Budi Śantoso" }')).toBe('{"n":"Budi Śantoso"}');
  });
  it('copes with a trailing backslash in a truncated body', () => {
    expect(m('"abc\\')).toBe('"abc\\');
  });
});

describe('repadIds (spec §1.4 sandbox quirk)', () => {
  it('pads partnerServiceId to 8 and rebuilds virtualAccountNo, leaving other members alone', () => {
    const body = '{"partnerServiceId":" 370201","customerNo":"0260806001","virtualAccountNo":" 3702010260806001","paidAmount":{"value":"1.00","partnerServiceId":"x"},"list":[1,"a"],"flag":true}';
    expect(repadIds(body)).toBe(body.replace('" 370201"', '"  370201"').replace('" 3702010260806001"', '"  3702010260806001"'));
  });
  it('accepts customerNo sent as a JSON number', () => {
    expect(repadIds('{"partnerServiceId":"370201","customerNo":260806001,"virtualAccountNo":"370201260806001"}'))
      .toBe('{"partnerServiceId":"  370201","customerNo":260806001,"virtualAccountNo":"  370201260806001"}');
  });
  it.each([
    ['a body that is not an object', '["partnerServiceId"]'],
    ['a body without the ID fields', '{"a":"b"}'],
    ['a partnerServiceId that is not digits', '{"partnerServiceId":"ABC","customerNo":"1","virtualAccountNo":"ABC1"}'],
    ['a customerNo that is not digits', '{"partnerServiceId":"1","customerNo":"x","virtualAccountNo":"1x"}'],
    ['a body that is already canonical', '{"partnerServiceId":"  370201","customerNo":"1","virtualAccountNo":"  3702011"}'],
    ['ID fields nested below the top level', '{"x":{"partnerServiceId":"1","customerNo":"1","virtualAccountNo":"11"}}'],
  ])('gives no candidate for %s', (_name, body) => {
    expect(repadIds(body)).toBeUndefined();
  });
});
