import {
  AccessDeniedError, anyContains, checkAccess, cidrContains, clientAddress, inHourRange, jakartaMinuteOfDay,
  parseCidr, parseForwardedHop, parseHourRange, parseIp, type AccessPolicy, type Cidr,
} from '../../src/access';

const cidr = (t: string): Cidr => {
  const c = parseCidr(t);
  if (c === undefined) throw new Error(`test CIDR ${t} does not parse`);
  return c;
};
const ip = (t: string) => parseIp(t)!;
const at = (jakarta: string) => Date.parse(`2026-12-03T${jakarta}+07:00`);

describe('IP addresses', () => {
  it('reads IPv4 and IPv6 and writes them canonically', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n, text: '10.0.0.1' });
    expect(parseIp('2001:DB8:0:0:0:0:0:1')?.text).toBe('2001:db8::1');
    expect(parseIp('2001:db8:1:0:0:1:0:0')?.text).toBe('2001:db8:1::1:0:0');
    expect(parseIp('::')?.text).toBe('::');
    expect(parseIp('1::')?.text).toBe('1::');
    expect(parseIp('1:2:3:4:5:6:7:8')?.text).toBe('1:2:3:4:5:6:7:8');
  });

  it('treats IPv4-mapped IPv6 peers as the IPv4 address they carry', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('127.0.0.1'));
    expect(parseIp('::ffff:7f00:1')).toEqual(parseIp('127.0.0.1'));
  });

  it('drops an interface zone and refuses what is not an address', () => {
    expect(parseIp('fe80::1%eth0')?.text).toBe('fe80::1');
    for (const bad of ['', '10.0.0.256', '1.2.3', 'localhost', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.4.5']) expect(parseIp(bad)).toBeUndefined();
  });

  it('reads X-Forwarded-For hops with or without ports', () => {
    expect(parseForwardedHop(' 149.129.213.81 ')?.text).toBe('149.129.213.81');
    expect(parseForwardedHop('149.129.213.81:51234')?.text).toBe('149.129.213.81');
    expect(parseForwardedHop('[2001:db8::7]:443')?.text).toBe('2001:db8::7');
    expect(parseForwardedHop('[2001:db8::7]')?.text).toBe('2001:db8::7');
    expect(parseForwardedHop('unknown')).toBeUndefined();
  });
});

describe('CIDR blocks', () => {
  it('contains the first and the last address of a block and not their neighbours', () => {
    const b = cidr('10.1.2.0/24');
    expect(cidrContains(b, ip('10.1.2.0'))).toBe(true);
    expect(cidrContains(b, ip('10.1.2.255'))).toBe(true);
    expect(cidrContains(b, ip('10.1.1.255'))).toBe(false);
    expect(cidrContains(b, ip('10.1.3.0'))).toBe(false);
  });

  it('matches a /32 exactly and a bare address as a /32', () => {
    expect(cidrContains(cidr('149.129.213.81/32'), ip('149.129.213.81'))).toBe(true);
    expect(cidrContains(cidr('149.129.213.81/32'), ip('149.129.213.82'))).toBe(false);
    expect(cidr('149.129.213.81').bits).toBe(32);
    expect(cidrContains(cidr('0.0.0.0/0'), ip('203.0.113.9'))).toBe(true);
  });

  it('matches IPv6 blocks at both ends and never crosses families', () => {
    const b = cidr('2001:db8::/32');
    expect(cidrContains(b, ip('2001:db8::'))).toBe(true);
    expect(cidrContains(b, ip('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe(true);
    expect(cidrContains(b, ip('2001:db9::'))).toBe(false);
    expect(cidrContains(b, ip('10.0.0.1'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), ip('2001:db8::1'))).toBe(false);
  });

  it('applies an IPv4 rule to an IPv4-mapped peer and a mapped rule to an IPv4 peer', () => {
    expect(cidrContains(cidr('127.0.0.0/8'), ip('::ffff:127.0.0.1'))).toBe(true);
    const mapped = cidr('::ffff:10.0.0.0/104');
    expect(mapped).toMatchObject({ family: 4, bits: 8 });
    expect(cidrContains(mapped, ip('10.200.0.1'))).toBe(true);
    expect(parseCidr('::ffff:0.0.0.0/95')).toBeUndefined();
    const wide = cidr('::fffe:0:0/95');
    expect(wide.family).toBe(6);
    expect(cidrContains(wide, ip('10.200.0.1'))).toBe(true);
  });

  it('refuses blocks that are not CIDRs', () => {
    for (const bad of ['10.0.0.300/8', '10.0.0.0/33', '2001:db8::/129', '10.0.0.1/8', 'fe80::%eth0/10', '10.0.0.0/x', '10.0.0.0/', 'any']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it('says which block of a list holds an address', () => {
    expect(anyContains([cidr('10.0.0.0/8'), cidr('192.168.0.0/16')], ip('192.168.4.4'))?.text).toBe('192.168.0.0/16');
    expect(anyContains([cidr('10.0.0.0/8')], ip('11.0.0.1'))).toBeUndefined();
  });
});

describe('the client address behind proxies', () => {
  const trusted = [cidr('10.0.0.0/8'), cidr('fd00::/8')];

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.5', '149.129.213.81', [])).toEqual({ ip: ip('203.0.113.5'), source: 'peer' });
  });

  it('ignores X-Forwarded-For from an untrusted peer (spoofing does not work)', () => {
    expect(clientAddress('203.0.113.5', '149.129.213.81', trusted).ip?.text).toBe('203.0.113.5');
  });

  it('believes the hop a trusted proxy added', () => {
    expect(clientAddress('10.1.1.1', '149.129.213.81', trusted)).toEqual({ ip: ip('149.129.213.81'), source: 'forwarded' });
    expect(clientAddress('::ffff:10.1.1.1', '149.129.213.81', trusted).ip?.text).toBe('149.129.213.81');
  });

  it('takes the right-most untrusted hop of a chain of proxies, never a hop the client wrote', () => {
    // client wrote 149.129.213.81 itself; the real client is 198.51.100.7, then two of our proxies
    expect(clientAddress('10.0.0.2', '149.129.213.81, 198.51.100.7, 10.0.0.9', trusted).ip?.text).toBe('198.51.100.7');
    expect(clientAddress('fd00::2', '2001:db8::5, fd00::9', trusted).ip?.text).toBe('2001:db8::5');
  });

  it('falls back to the left-most hop when every hop is a trusted proxy, and to the peer without hops', () => {
    expect(clientAddress('10.0.0.2', '10.0.0.7, 10.0.0.8', trusted)).toEqual({ ip: ip('10.0.0.7'), source: 'forwarded' });
    expect(clientAddress('10.0.0.2', ' , ', trusted)).toEqual({ ip: ip('10.0.0.2'), source: 'peer' });
    expect(clientAddress('10.0.0.2', undefined, trusted)).toEqual({ ip: ip('10.0.0.2'), source: 'peer' });
  });

  it('stays right after more distinct peers than its parse cache holds', () => {
    for (let i = 0; i < 1100; i++) expect(clientAddress(`10.9.${i >> 8}.${i & 255}`, undefined, []).ip?.text).toBe(`10.9.${i >> 8}.${i & 255}`);
    expect(clientAddress('10.9.0.0', undefined, []).ip?.text).toBe('10.9.0.0');
    expect(clientAddress('not-an-ip', undefined, []).ip).toBeUndefined();
    expect(clientAddress('not-an-ip', undefined, []).ip).toBeUndefined();
  });

  it('has no address when the deciding hop or the peer is unreadable', () => {
    expect(clientAddress('10.0.0.2', 'garbage, 10.0.0.9', trusted)).toEqual({ ip: undefined, source: 'forwarded' });
    expect(clientAddress(undefined, undefined, trusted)).toEqual({ ip: undefined, source: 'peer' });
    // an unreadable hop left of the deciding one does not matter
    expect(clientAddress('10.0.0.2', 'garbage, 198.51.100.7', trusted).ip?.text).toBe('198.51.100.7');
  });
});

describe('hour ranges in Asia/Jakarta', () => {
  it('reads ranges and refuses malformed or empty ones', () => {
    expect(parseHourRange('02:00-03:00')).toEqual({ startMinute: 120, endMinute: 180, text: '02:00-03:00' });
    expect(parseHourRange(' 00:00 - 24:00 ')).toMatchObject({ startMinute: 0, endMinute: 1440 });
    for (const bad of ['2:00-3:00', '02:00', '02:00-02:00', '24:00-01:00', '01:60-02:00', '25:00-26:00', '01:00-24:30', 'a-b', '01:00-02:00-03:00']) {
      expect(parseHourRange(bad)).toBeUndefined();
    }
  });

  it('is [start, end): the start minute is inside, the end minute is not', () => {
    const r = parseHourRange('02:00-03:00')!;
    expect(inHourRange(r, jakartaMinuteOfDay(at('01:59:59')))).toBe(false);
    expect(inHourRange(r, jakartaMinuteOfDay(at('02:00:00')))).toBe(true);
    expect(inHourRange(r, jakartaMinuteOfDay(at('02:59:59')))).toBe(true);
    expect(inHourRange(r, jakartaMinuteOfDay(at('03:00:00')))).toBe(false);
  });

  it('wraps a range past midnight and covers the whole day with 00:00-24:00', () => {
    const night = parseHourRange('22:00-02:00')!;
    expect(inHourRange(night, 21 * 60 + 59)).toBe(false);
    expect(inHourRange(night, 22 * 60)).toBe(true);
    expect(inHourRange(night, 1 * 60 + 59)).toBe(true);
    expect(inHourRange(night, 2 * 60)).toBe(false);
    const day = parseHourRange('00:00-24:00')!;
    expect(inHourRange(day, 0)).toBe(true);
    expect(inHourRange(day, 1439)).toBe(true);
  });

  it('counts minutes on the Jakarta clock from any instant, before 1970 too', () => {
    expect(jakartaMinuteOfDay(Date.parse('2026-12-02T19:00:00Z'))).toBe(120);
    expect(jakartaMinuteOfDay(Date.parse('1969-12-31T17:00:00Z'))).toBe(0);
  });
});

describe('checkAccess: the three list modes of seed 000 in order', () => {
  const client = (t: string) => ({ ip: ip(t), source: 'peer' as const });
  const req = (o: { ip?: string; time?: string; service?: string } = {}) => ({
    client: client(o.ip ?? '149.129.213.81'), nowMs: at(o.time ?? '12:00:00'), service: o.service ?? 'payment',
  });

  it('allows everything when no list is configured', () => {
    expect(checkAccess({}, req())).toEqual({ allowed: true });
  });

  it('IP allow list: lets a listed address in and keeps others out', () => {
    const p: AccessPolicy = { ipList: { mode: 'allow', cidrs: [cidr('149.129.213.81/32')] } };
    expect(checkAccess(p, req()).allowed).toBe(true);
    expect(checkAccess(p, req({ ip: '149.129.213.82' }))).toEqual({ allowed: false, rule: 'ip-list', detail: '149.129.213.82 is in no allowed block' });
    expect(checkAccess(p, { ...req(), client: { ip: undefined, source: 'forwarded' } })).toMatchObject({ allowed: false, rule: 'ip-list' });
  });

  it('IP deny list: keeps a listed address out and lets others in', () => {
    const p: AccessPolicy = { ipList: { mode: 'deny', cidrs: [cidr('203.0.113.0/24')] } };
    expect(checkAccess(p, req({ ip: '203.0.113.255' }))).toEqual({ allowed: false, rule: 'ip-list', detail: '203.0.113.255 is in denied block 203.0.113.0/24' });
    expect(checkAccess(p, req({ ip: '203.0.114.0' })).allowed).toBe(true);
  });

  it('hour deny list: refuses inside the range and serves at its end minute', () => {
    const p: AccessPolicy = { hourList: { mode: 'deny', hours: [parseHourRange('02:00-03:00')!] } };
    expect(checkAccess(p, req({ time: '02:00:00' }))).toMatchObject({ allowed: false, rule: 'hour-list' });
    expect(checkAccess(p, req({ time: '03:00:00' })).allowed).toBe(true);
  });

  it('hour allow list: serves inside the range only', () => {
    const p: AccessPolicy = { hourList: { mode: 'allow', hours: [parseHourRange('08:00-17:00')!] } };
    expect(checkAccess(p, req({ time: '08:00:00' })).allowed).toBe(true);
    expect(checkAccess(p, req({ time: '17:00:00' }))).toMatchObject({ allowed: false, rule: 'hour-list', detail: 'outside the allowed hours (Asia/Jakarta)' });
  });

  it('service allow and deny lists', () => {
    const allow: AccessPolicy = { services: { mode: 'allow', list: ['inquiry'] } };
    expect(checkAccess(allow, req({ service: 'inquiry' })).allowed).toBe(true);
    expect(checkAccess(allow, req({ service: 'payment' }))).toEqual({ allowed: false, rule: 'service-list', detail: 'payment is not an allowed service' });
    const deny: AccessPolicy = { services: { mode: 'deny', list: ['payment'] } };
    expect(checkAccess(deny, req({ service: 'payment' }))).toEqual({ allowed: false, rule: 'service-list', detail: 'payment is a denied service' });
    expect(checkAccess(deny, req({ service: 'inquiry' })).allowed).toBe(true);
  });

  it('reports the first rule that refuses: IP before hour before service', () => {
    const all: AccessPolicy = {
      ipList: { mode: 'allow', cidrs: [cidr('10.0.0.0/8')] },
      hourList: { mode: 'deny', hours: [parseHourRange('00:00-24:00')!] },
      services: { mode: 'allow', list: [] },
    };
    expect(checkAccess(all, req()).allowed === false && (checkAccess(all, req()) as { rule: string }).rule).toBe('ip-list');
    expect((checkAccess(all, req({ ip: '10.0.0.1' })) as { rule: string }).rule).toBe('hour-list');
    expect((checkAccess({ ...all, hourList: undefined }, req({ ip: '10.0.0.1' })) as { rule: string }).rule).toBe('service-list');
  });

  it('names the rule in the error it raises', () => {
    const e = new AccessDeniedError('rate-limit', 'over 200/s', 2);
    expect(e).toMatchObject({ rule: 'rate-limit', retryAfterSeconds: 2, message: 'access denied by rate-limit: over 200/s', name: 'AccessDeniedError' });
  });
});
