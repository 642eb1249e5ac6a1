import { formatAmountValue, formatJakarta, formatMoney, isCurrency, jakartaDay, jakartaStamp, JsonNumber, parseAmountValue, parseIsoDateTime } from '../../src/snap';

describe('parseIsoDateTime', () => {
  const at = Date.UTC(2020, 11, 17, 3, 55, 0);
  it.each([
    ['2020-12-17T10:55:00+07:00', at],
    ['2020-12-17T10:55:00+0700', at],
    ['2020-12-17T03:55:00Z', at],
    ['2020-12-17T03:55:00.250Z', at + 250],
    ['2020-12-16T20:55:00-07:00', at],
    ['20201217T035500Z', at],
    ['20201217T105500+0700', at],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2021-04-30T00:00:00Z', Date.UTC(2021, 3, 30)],
    ['2021-02-28T00:00:00Z', Date.UTC(2021, 1, 28)],
  ])('reads %s', (text, ms) => {
    expect(parseIsoDateTime(text)).toBe(ms);
  });
  it.each([
    'garbage', '2020-12-17 10:55:00+07:00', '2020-12-17T10:55:00', '2020-13-01T00:00:00Z', '2020-00-01T00:00:00Z',
    '2021-04-31T00:00:00Z', '2021-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2020-12-00T00:00:00Z', '2020-12-17T24:00:00Z', '2020-12-17T10:60:00Z', '2020-12-17T10:55:60Z',
    '2020-12-17T10:55:00+15:00', '2020-12-17T10:55:00+07:60',
  ])('refuses %s', (text) => {
    expect(parseIsoDateTime(text)).toBeUndefined();
  });
});

describe('Jakarta time', () => {
  it('formats responses in +07:00', () => {
    expect(formatJakarta(Date.UTC(2020, 11, 17, 3, 55, 0))).toBe('2020-12-17T10:55:00+07:00');
  });
  it('changes the X-EXTERNAL-ID day at midnight WIB, not UTC', () => {
    expect(jakartaDay(Date.parse('2026-11-22T23:59:59+07:00'))).toBe('20261122');
    expect(jakartaDay(Date.parse('2026-11-23T00:00:00+07:00'))).toBe('20261123');
  });
  it('gives each instant its own day, also when the clock goes back a day', () => {
    expect(jakartaDay(Date.parse('2026-11-23T06:59:59Z'))).toBe('20261123');
    expect(jakartaDay(Date.parse('2026-11-22T16:59:59Z'))).toBe('20261122');
    expect(jakartaDay(Date.parse('2026-11-22T17:00:00Z'))).toBe('20261123');
  });
  it('stamps X-TIMESTAMP to the second, also when the clock goes back', () => {
    const t = Date.UTC(2020, 11, 17, 3, 55, 0);
    expect(jakartaStamp(t)).toBe('2020-12-17T10:55:00+07:00');
    expect(jakartaStamp(t + 999)).toBe('2020-12-17T10:55:00+07:00');
    expect(jakartaStamp(t + 1000)).toBe('2020-12-17T10:55:01+07:00');
    expect(jakartaStamp(t - 1)).toBe('2020-12-17T10:54:59+07:00');
  });
});

describe('amounts in minor units', () => {
  it.each([
    ['10000', 1_000_000n], ['10000.5', 1_000_050n], ['10000.50', 1_000_050n], ['0.01', 1n], ['0', 0n],
    ['9999999999999999.99', 999_999_999_999_999_999n],
  ])('reads "%s"', (text, minor) => {
    expect(parseAmountValue(text)).toBe(minor);
  });
  it('reads a JSON number from its source digits', () => {
    expect(parseAmountValue(new JsonNumber('10000.10'))).toBe(1_000_010n);
  });
  it.each(['1.001', '-1', '', '1,00', '1e3', ' 1', '12345678901234567'])('refuses "%s"', (text) => {
    expect(parseAmountValue(text)).toBeUndefined();
  });
  it('refuses a JS number, which may already have lost precision', () => {
    expect(parseAmountValue(1.5)).toBeUndefined();
  });
  it('always writes two decimals', () => {
    expect(formatAmountValue(5n)).toBe('0.05');
    expect(formatAmountValue(1_234_567_800n)).toBe('12345678.00');
    expect(formatMoney({ minor: 150n, currency: 'IDR' })).toEqual({ value: '1.50', currency: 'IDR' });
  });
  it('accepts ISO-4217 style currencies only', () => {
    expect(isCurrency('IDR')).toBe(true);
    expect(isCurrency('idr')).toBe(false);
    expect(isCurrency(360)).toBe(false);
  });
});
