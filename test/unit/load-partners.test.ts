import { parsePartners, PartnersFileError, type PartnerDefaults, type PartnersIo } from '../../src/partners/load-partners';
import { formatPath } from '../../src/partners/partners-schema';
import { makeKeyPair } from '../helpers/signer';

const faspay = makeKeyPair();
const other = makeKeyPair();
const files: Record<string, string> = { '/keys/faspay.pem': faspay.publicKeyPem, '/keys/other.pem': other.publicKeyPem, '/secrets/dd': 'dd-client-secret-0123456789\n' };
const io: PartnersIo = {
  readFile: (p) => {
    const f = files[p];
    if (f === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
    return f;
  },
  env: { OTHER_PEM: other.publicKeyPem.replace(/\n/g, '\\n'), BCA_SECRET: 'bca-client-secret-abcdef', TOKEN_KEY: 'k'.repeat(40) },
};
const defaults: PartnerDefaults = { clockSkewSeconds: 300, rateLimit: { requestsPerSecond: 1000, burst: 2000 }, production: true };

const YAML = `
trustedProxies: ["10.0.0.0/8", "fd00::/8"]
tokens:
  issuer: shop-snap
  ttlSeconds: 600
  signingKeys:
    - id: "2026-12"
      secret: { env: TOKEN_KEY }
partners:
  - name: faspay-sandbox
    partnerId: "12345"
    auth: faspay-rsa
    publicKeys:
      - file: /keys/faspay.pem
        notBefore: 2026-01-01T00:00:00+07:00
        notAfter: 2027-01-01T00:00:00+07:00
      - env: OTHER_PEM
    clockSkewSeconds: off
    services: { mode: allow, list: [inquiry, payment] }
    ipList: { mode: allow, cidrs: ["149.129.213.81/32", "2001:db8::/32"] }
    hourList: { mode: deny, hours: ["02:00-03:00"] }
    rateLimit: { requestsPerSecond: 200, burst: 400 }
  - name: bca
    partnerId: "BCA-CLIENT"
    auth: snap-symmetric
    publicKeys: [{ pem: ${JSON.stringify(other.publicKeyPem)} }]
    clientSecret: { env: BCA_SECRET }
    rateLimit: off
`;

const problemsOf = (text: string, file = '/etc/snap/partners.yaml', d: PartnerDefaults = defaults): readonly string[] => {
  try {
    parsePartners(text, file, io, d);
  } catch (e) {
    if (e instanceof PartnersFileError) return e.problems;
    throw e;
  }
  throw new Error('the file was accepted');
};

const minimal = (partner: string, extra = '') => `${extra}\npartners:\n  - name: p\n    partnerId: "1"\n    auth: faspay-rsa\n    publicKeys: [{ file: /keys/faspay.pem }]\n${partner}`;

describe('the partners file', () => {
  it('reads the YAML shape of the issue into a frozen registry', () => {
    const r = parsePartners(YAML, '/etc/snap/partners.yaml', io, defaults);
    expect(Object.isFrozen(r)).toBe(true);
    expect(r.source).toBe('/etc/snap/partners.yaml');
    expect(r.trustedProxies.map((c) => c.text)).toEqual(['10.0.0.0/8', 'fd00::/8']);
    const fp = r.find('12345')!;
    expect(fp).toMatchObject({ name: 'faspay-sandbox', auth: 'faspay-rsa', clockSkewSeconds: 'off', rateLimit: { requestsPerSecond: 200, burst: 400 } });
    expect(fp.publicKeys).toHaveLength(2);
    expect(fp.publicKeys[0]).toMatchObject({ notBeforeMs: Date.parse('2026-01-01T00:00:00+07:00'), notAfterMs: Date.parse('2027-01-01T00:00:00+07:00') });
    expect(fp.publicKeys[1]!.notAfterMs).toBeUndefined();
    expect(fp.access.ipList!.cidrs.map((c) => c.text)).toEqual(['149.129.213.81/32', '2001:db8::/32']);
    expect(fp.access.hourList!.hours[0]).toMatchObject({ startMinute: 120, endMinute: 180 });
    expect(fp.access.services).toEqual({ mode: 'allow', list: ['inquiry', 'payment'] });
    const bca = r.find('BCA-CLIENT')!;
    expect(bca).toMatchObject({ auth: 'snap-symmetric', clockSkewSeconds: 300, rateLimit: undefined });
    expect(bca.clientSecret!.toString()).toBe('bca-client-secret-abcdef');
    expect(r.tokens).toMatchObject({ issuer: 'shop-snap', ttlSeconds: 600, signingKeys: [{ id: '2026-12' }] });
    expect(r.find('99999')).toBeUndefined();
  });

  it('reads the same registry from JSON', () => {
    const json = JSON.stringify({
      partners: [{ name: 'faspay', partnerId: '12345', auth: 'faspay-rsa', publicKeys: [{ file: '/keys/faspay.pem' }], ipList: { mode: 'deny', cidrs: ['203.0.113.0/24'] } }],
    });
    const r = parsePartners(json, '/etc/snap/partners.json', io, defaults);
    expect(r.find('12345')!.access.ipList).toMatchObject({ mode: 'deny', cidrs: [{ text: '203.0.113.0/24' }] });
    expect(r.find('12345')!.rateLimit).toEqual(defaults.rateLimit);
  });

  it('names the bad field and its path', () => {
    expect(problemsOf(minimal('    ipList: { mode: allow, cidrs: ["10.0.0.300/8"] }'))).toEqual(['partners[0].ipList.cidrs[0]: "10.0.0.300/8" is not a CIDR']);
    expect(problemsOf(minimal('    hourList: { mode: deny, hours: ["2-3"] }'))[0]).toMatch(/^partners\[0\]\.hourList\.hours\[0\]: "2-3" is not an hour range/);
    expect(problemsOf(minimal('    services: { mode: allow, list: [inquiry, refund] }'))[0]).toMatch(/^partners\[0\]\.services\.list\[1\]: Invalid option/);
    expect(problemsOf(minimal('    iplist: { mode: allow, cidrs: [] }'))[0]).toBe('partners[0]: Unrecognized key: "iplist"');
    expect(problemsOf(minimal('    clockSkewSeconds: 0'))[0]).toMatch(/^partners\[0\]\.clockSkewSeconds: /);
  });

  it('lists every problem at once, across partners', () => {
    const text = `partners:
  - { name: a, partnerId: "1", auth: faspay-rsa, publicKeys: [{ file: /keys/faspay.pem }] }
  - { name: B, partnerId: 2, auth: rsa, publicKeys: [] }`;
    expect(problemsOf(text)).toEqual([
      'partners[1].name: must be 1-63 lowercase letters, digits, ".", "_" or "-" (it labels logs and metrics)',
      'partners[1].partnerId: write partnerId as a quoted string ("2"): a number can lose leading zeros',
      'partners[1].auth: Invalid option: expected one of "faspay-rsa"|"snap-symmetric"',
      'partners[1].publicKeys: list at least one key',
    ]);
  });

  it('refuses inline secrets, secrets of another scheme and a symmetric partner without one', () => {
    expect(problemsOf(minimal('    clientSecret: { value: "s3cr3t-s3cr3t-s3cr3t" }'))).toEqual(['partners[0].clientSecret: secrets take file or env only, never an inline value']);
    expect(problemsOf(minimal('    clientSecret: { env: BCA_SECRET }'))).toEqual(['partners[0].clientSecret: only auth snap-symmetric uses a client secret']);
    const symmetric = 'partners:\n  - { name: s, partnerId: "S", auth: snap-symmetric, publicKeys: [{ file: /keys/other.pem }] }';
    expect(problemsOf(symmetric)).toEqual([
      'partners[0].clientSecret: required for auth snap-symmetric (file or env)',
      'tokens.signingKeys: a snap-symmetric partner needs a token signing key (secret of at least 32 bytes, file or env)',
    ]);
  });

  it('never puts a secret value in a message', () => {
    const short = `tokens: { signingKeys: [{ id: k, secret: { env: BCA_SECRET } }] }\npartners:\n  - { name: s, partnerId: "S", auth: snap-symmetric, publicKeys: [{ file: /keys/other.pem }], clientSecret: { env: BCA_SECRET } }`;
    const problems = problemsOf(short);
    expect(problems).toEqual(['tokens.signingKeys[0].secret: the secret must be at least 32 bytes']);
    expect(problems.join('\n')).not.toContain('bca-client-secret');
    const inline = problemsOf(minimal('    clientSecret: { value: "hunter2-hunter2" }'));
    expect(inline.join('\n')).not.toContain('hunter2');
  });

  it('names unreadable key files, unset variables and keys that are not keys', () => {
    const text = `partners:
  - name: p
    partnerId: "1"
    auth: faspay-rsa
    publicKeys: [{ file: /keys/missing.pem }, { env: NOT_SET }, { pem: "not a key" }, { file: /keys/faspay.pem, env: OTHER_PEM }]`;
    expect(problemsOf(text)).toEqual([
      'partners[0].publicKeys[3]: give exactly one of file, pem, env',
    ]);
    const resolved = problemsOf(text.replace(', { file: /keys/faspay.pem, env: OTHER_PEM }', ''));
    expect(resolved[0]).toBe('partners[0].publicKeys[0].file: cannot read /keys/missing.pem: ENOENT');
    expect(resolved[1]).toBe('partners[0].publicKeys[1].env: the variable NOT_SET is not set');
    expect(resolved[2]).toMatch(/^partners\[0\]\.publicKeys\[2\]: /);
  });

  it('refuses a validity window that ends before it starts and a date without offset', () => {
    expect(problemsOf(minimal('', '').replace('{ file: /keys/faspay.pem }', '{ file: /keys/faspay.pem, notBefore: "2027-01-01T00:00:00+07:00", notAfter: "2026-01-01T00:00:00+07:00" }')))
      .toEqual(['partners[0].publicKeys[0]: notBefore must be before notAfter']);
    expect(problemsOf(minimal('').replace('{ file: /keys/faspay.pem }', '{ file: /keys/faspay.pem, notAfter: "2027-01-01" }'))[0])
      .toBe('partners[0].publicKeys[0].notAfter: "2027-01-01" is not a date-time with offset, e.g. 2026-01-01T00:00:00+07:00');
  });

  it('refuses duplicate names and partner ids, and a symmetric partner that could never get a token', () => {
    const text = `tokens: { signingKeys: [{ id: k, secret: { env: TOKEN_KEY } }, { id: k, secret: { env: TOKEN_KEY } }] }
partners:
  - { name: a, partnerId: "1", auth: faspay-rsa, publicKeys: [{ file: /keys/faspay.pem }] }
  - { name: a, partnerId: "1", auth: faspay-rsa, publicKeys: [{ file: /keys/faspay.pem }] }
  - { name: s, partnerId: "S", auth: snap-symmetric, publicKeys: [{ file: /keys/other.pem }], clientSecret: { file: /secrets/dd }, services: { mode: allow, list: [inquiry] } }
  - { name: t, partnerId: "T", auth: snap-symmetric, publicKeys: [{ file: /keys/other.pem }], clientSecret: { file: /secrets/nope }, services: { mode: deny, list: [access-token] } }`;
    expect(problemsOf(text)).toEqual([
      'partners[1].name: "a" is used by another partner',
      'partners[1].partnerId: "1" is already partner a\'s',
      'partners[2].services: a snap-symmetric partner needs access-token in its allow list, or it can never get a token',
      'partners[3].clientSecret.file: cannot read /secrets/nope: ENOENT',
      'partners[3].services: a snap-symmetric partner cannot deny access-token, or it can never get a token',
      'tokens.signingKeys[1].id: "k" is listed twice',
    ]);
  });

  it('outside production, signs tokens with a development key when the file names none', () => {
    const text = 'partners:\n  - { name: s, partnerId: "S", auth: snap-symmetric, publicKeys: [{ file: /keys/other.pem }], clientSecret: { file: /secrets/dd } }';
    const r = parsePartners(text, 'p.yaml', io, { ...defaults, production: false, devTokenKey: () => Buffer.alloc(32, 7) });
    expect(r.tokens).toMatchObject({ issuer: 'snap-receiver', ttlSeconds: 900, signingKeys: [{ id: 'development' }] });
    expect(r.find('S')!.clientSecret!.toString()).toBe('dd-client-secret-0123456789');
  });

  it('reports syntax errors of YAML and JSON, and a file without partners', () => {
    expect(problemsOf('partners: [', 'p.yaml')[0]).toMatch(/^not valid YAML: /);
    expect(problemsOf('{"partners": [', 'p.json')[0]).toMatch(/^not valid JSON: /);
    expect(problemsOf('partners: []')).toEqual(['partners: list at least one partner']);
    expect(problemsOf('')).toEqual(['(top level): Invalid input: expected object, received null']);
    expect(problemsOf('a: 1\na: 2')[0]).toMatch(/^not valid YAML: /);
  });

  it('formats zod paths the way a reader writes them', () => {
    expect(formatPath(['partners', 1, 'ipList', 'cidrs', 0])).toBe('partners[1].ipList.cidrs[0]');
    expect(formatPath([])).toBe('');
  });
});

describe('config/partners.example.yaml', () => {
  it('is a valid partners file once its files and variables exist', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const text = readFileSync(require('node:path').join(__dirname, '..', '..', 'config', 'partners.example.yaml'), 'utf8') as string;
    const exampleIo: PartnersIo = {
      readFile: (p) => (p.endsWith('.pem') ? faspay.publicKeyPem : 'other-pjp-client-secret-value'),
      env: { SNAP_TOKEN_SIGNING_KEY: 's'.repeat(48), OTHER_PJP_PUBLIC_KEY: other.publicKeyPem },
    };
    const r = parsePartners(text, 'partners.example.yaml', exampleIo, defaults);
    expect(r.partners.map((p) => [p.name, p.auth, p.publicKeys.length])).toEqual([['faspay-sandbox', 'faspay-rsa', 2], ['other-pjp', 'snap-symmetric', 1]]);
    expect(r.find('PJP-CLIENT-ID')!.rateLimit).toEqual(defaults.rateLimit);
  });
});
