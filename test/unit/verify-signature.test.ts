import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { minifyJson, parsePublicKeys, repadIds, SignatureError, verifySignature, type PublicKeyEntry, type VerifyOptions } from '../../src/snap';
import { makeKeyPair, snapSignature } from '../helpers/signer';

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const INQ = '/v1.0/transfer-va/inquiry';
const TS = '2020-12-17T10:55:00+07:00';
const NOW = Date.parse(TS);

const V1 = '{"partnerServiceId":"  088899","customerNo":"12345678901234567890","virtualAccountNo":"  08889912345678901234567890","inquiryRequestId":"abcdef-123456-abcdef"}';
const V3 = '{"partnerServiceId":"  088899","customerNo":"12345678901234567890","virtualAccountNo":"  08889912345678901234567890","paymentRequestId":"abcdef-123456-abcdef","paidAmount":{"value":"12345678.00","currency":"IDR"},"trxDateTime":"20201231T235959Z","referenceNo":"123456789012345"}';
const V5_ONE = '{"partnerServiceId":" 370201","customerNo":"0260806001","virtualAccountNo":" 3702010260806001","inquiryRequestId":"10d854a2-fad5-4aeb-8942-196d3cc5"}';
const V5_EIGHT = '{"partnerServiceId":"  370201","customerNo":"0260806001","virtualAccountNo":"  3702010260806001","inquiryRequestId":"10d854a2-fad5-4aeb-8942-196d3cc5"}';
const V5_NONE = '{"partnerServiceId":"370201","customerNo":"0260806001","virtualAccountNo":"3702010260806001","inquiryRequestId":"10d854a2-fad5-4aeb-8942-196d3cc5"}';
const V6_JS = '{"virtualAccountName":"Budi Śantoso","redirectUrl":"https://x.test/a/b"}';
const V6_PHP = '{"virtualAccountName":"Budi \\u015aantoso","redirectUrl":"https:\\/\\/x.test\\/a\\/b"}';

describe('test vectors of spec §11', () => {
  it('V1: hashes the minified inquiry body to 1cb97060…363c', () => {
    expect(sha(V1)).toBe('1cb970603fcbe2772a58eb0a91e47b2bcef115cce8b32e929cab35a0a8d5363c');
  });
  it('V1: the 3-space pretty-printed body hashes differently and minifies back to V1, keeping the padding', () => {
    const pretty = JSON.stringify(JSON.parse(V1), null, 3);
    expect(sha(pretty)).toBe('639de604d40f4715aeacbdd5171f23b85932d98e7c77f073108f9e9b44bd9382');
    expect(minifyJson(Buffer.from(pretty)).toString()).toBe(V1);
  });
  it('V2: builds the stringToSign whose digest is 8080d4a0…e6e2', () => {
    expect(sha(`POST:${INQ}:${sha(V1)}:${TS}`)).toBe('8080d4a09e08aa47df699263ae88d86873c438c4a67755af3b0a871458cce6e2');
  });
  it('V3: hashes the payment body to 01d6950a…c4ef', () => {
    expect(sha(V3)).toBe('01d6950a39d517b662c8d25521208111510cbd202c7a7adab469c4c45d7cc4ef');
  });
  it('V4: hashes the empty body to e3b0c442…b855', () => {
    expect(sha(minifyJson(Buffer.alloc(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('V5: the three padding variants hash as the spec says, and repadding the 1-space body gives the 8-padded one', () => {
    expect(sha(V5_ONE)).toBe('9a3ddec6bdaca46a2cfc8c55ff69d665f63e70abcacefa54d03282efc22ca153');
    expect(sha(V5_EIGHT)).toBe('12ead7651027ae592748a5c6e5766b7058b1901ad289a97df1132ffb53938b72');
    expect(sha(V5_NONE)).toBe('2201a37beb39a4bb808c647519e3cdc4e86c25c6fb4c933886f9e8d862b7db73');
    expect(repadIds(V5_ONE)).toBe(V5_EIGHT);
    expect(repadIds(V5_NONE)).toBe(V5_EIGHT);
  });
  it('V6: JS and PHP serialisations hash differently and minify leaves the escapes alone', () => {
    expect(sha(V6_JS)).toBe('8681309ac695358172075e5fc6f341ccf796b75bc3d5dc3623988e5c661b8105');
    expect(sha(V6_PHP)).toBe('2982781a966fb2c14c001b82cd06c41fee435be72c88ce66fbf6a1580a6e2862');
    expect(minifyJson(Buffer.from(V6_PHP)).toString()).toBe(V6_PHP);
  });
});

describe('verifySignature', () => {
  const faspay = makeKeyPair();
  const rotated = makeKeyPair();
  const stranger = makeKeyPair();
  const keys: PublicKeyEntry[] = [...parsePublicKeys(faspay.publicKeyPem), ...parsePublicKeys(rotated.publicKeyPem)];
  const opts = (o: Partial<VerifyOptions> = {}): VerifyOptions => ({
    method: 'POST', canonicalPath: INQ, actualPath: INQ, keys, nowMs: NOW, maxSkewSeconds: 300, repadCandidate: true, ...o,
  });
  const headers = (body: string, o: { key?: typeof faspay; path?: string; ts?: string } = {}) => {
    const ts = o.ts ?? TS;
    return { timestamp: ts, signature: snapSignature((o.key ?? faspay).privateKey, 'POST', o.path ?? INQ, body, ts) };
  };

  it('accepts the raw bytes Faspay signed and reports which key, path and body matched', () => {
    const r = verifySignature(Buffer.from(V1), headers(V1), opts());
    expect(r).toEqual({ keyId: keys[0]!.id, path: 'canonical', body: 'raw', timestampMs: NOW, rawBodySha256: sha(V1) });
  });

  it('accepts a pretty-printed body signed over its minified form', () => {
    const pretty = JSON.stringify(JSON.parse(V1), null, 2);
    const h = headers(V1);
    expect(verifySignature(Buffer.from(pretty), h, opts()).body).toBe('minified');
  });

  it('accepts a PHP-style \\/-escaped body signed over its own bytes', () => {
    expect(verifySignature(Buffer.from(V6_PHP), headers(V6_PHP), opts()).body).toBe('raw');
  });

  it('rejects a PHP-style body when the signer hashed the JS serialisation (bytes differ)', () => {
    expect(() => verifySignature(Buffer.from(V6_PHP), headers(V6_JS), opts())).toThrow(SignatureError);
  });

  it('accepts the sandbox padding quirk when the candidate is on, and rejects it when off', () => {
    const h = headers(V5_EIGHT);
    expect(verifySignature(Buffer.from(V5_ONE), h, opts()).body).toBe('repadded');
    expect(() => verifySignature(Buffer.from(V5_ONE), h, opts({ repadCandidate: false }))).toThrow('does not verify');
  });

  it('does not repad a body whose padding is already canonical', () => {
    expect(() => verifySignature(Buffer.from(V5_EIGHT), headers(V5_NONE), opts())).toThrow(SignatureError);
  });

  it('checks both the canonical and the actual path under a BASE_PATH', () => {
    const actualPath = `/snap${INQ}`;
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ actualPath })).path).toBe('canonical');
    expect(verifySignature(Buffer.from(V1), headers(V1, { path: actualPath }), opts({ actualPath })).path).toBe('actual');
    expect(() => verifySignature(Buffer.from(V1), headers(V1, { path: '/other' }), opts({ actualPath }))).toThrow(SignatureError);
  });

  it('accepts requests signed by either of two configured keys (rotation) and names the one that matched', () => {
    expect(verifySignature(Buffer.from(V1), headers(V1, { key: rotated }), opts()).keyId).toBe(keys[1]!.id);
    expect(verifySignature(Buffer.from(V1), headers(V1, { key: faspay }), opts()).keyId).toBe(keys[0]!.id);
  });

  it('tries the preferred key first (the one that matched last), else the keys in their order', () => {
    // the same key under two ids: whichever is tried first is the one that matches
    const twins = [{ id: 'first', key: keys[0]!.key }, { id: 'second', key: keys[0]!.key }];
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ keys: twins })).keyId).toBe('first');
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ keys: twins, preferKeyId: 'second' })).keyId).toBe('second');
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ keys: twins, preferKeyId: 'first' })).keyId).toBe('first');
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ keys: twins, preferKeyId: 'gone' })).keyId).toBe('first');
  });

  it('rejects a request signed by a key that is not configured', () => {
    expect(() => verifySignature(Buffer.from(V1), headers(V1, { key: stranger }), opts())).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });

  it('rejects a tampered body, path, method or timestamp', () => {
    const h = headers(V1);
    expect(() => verifySignature(Buffer.from(V1.replace('abcdef', 'abcdeg')), h, opts())).toThrow(SignatureError);
    expect(() => verifySignature(Buffer.from(V1), h, opts({ canonicalPath: '/v1.0/transfer-va/payment', actualPath: '/v1.0/transfer-va/payment' }))).toThrow(SignatureError);
    expect(() => verifySignature(Buffer.from(V1), h, opts({ method: 'PUT' }))).toThrow(SignatureError);
    expect(() => verifySignature(Buffer.from(V1), { ...h, timestamp: '2020-12-17T10:55:01+07:00' }, opts())).toThrow(SignatureError);
  });

  it('upper-cases the method before signing', () => {
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ method: 'post' })).body).toBe('raw');
  });

  it('accepts a hex-encoded signature (the 64-hex sample suggests some senders do)', () => {
    const sig = sign('sha256', Buffer.from(`POST:${INQ}:${sha(V1)}:${TS}`), faspay.privateKey).toString('hex');
    expect(verifySignature(Buffer.from(V1), { timestamp: TS, signature: sig }, opts()).body).toBe('raw');
  });

  it('rejects a signature that is neither base64 nor hex', () => {
    expect(() => verifySignature(Buffer.from(V1), { timestamp: TS, signature: '!!not a signature!!' }, opts())).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });

  it.each([
    ['accepts', 300, 'old', true], ['rejects', 301, 'old', false],
    ['accepts', 300, 'ahead', true], ['rejects', 301, 'ahead', false],
  ] as const)('%s a timestamp %i s %s', (_verb, seconds, dir, ok) => {
    const nowMs = dir === 'old' ? NOW + seconds * 1000 : NOW - seconds * 1000;
    const run = () => verifySignature(Buffer.from(V1), headers(V1), opts({ nowMs }));
    if (ok) expect(run().timestampMs).toBe(NOW);
    else expect(run).toThrow(expect.objectContaining({ reason: 'stale' }));
  });

  it('accepts any age when the skew check is explicitly off', () => {
    expect(verifySignature(Buffer.from(V1), headers(V1), opts({ nowMs: NOW + 86_400_000 * 30, maxSkewSeconds: 'off' })).body).toBe('raw');
  });

  it('rejects a signed but unparseable X-TIMESTAMP as bad_timestamp', () => {
    const ts = '17/12/2020 10:55';
    expect(() => verifySignature(Buffer.from(V1), headers(V1, { ts }), opts())).toThrow(expect.objectContaining({ reason: 'bad_timestamp', header: 'X-TIMESTAMP' }));
  });

  it('uses X-TIMESTAMP verbatim: a Z-form timestamp verifies only as sent', () => {
    const ts = '2020-12-17T03:55:00Z';
    expect(verifySignature(Buffer.from(V1), headers(V1, { ts }), opts()).timestampMs).toBe(NOW);
  });

  it('names the missing header', () => {
    expect(() => verifySignature(Buffer.from(V1), { signature: 'x' }, opts())).toThrow(expect.objectContaining({ reason: 'missing_header', header: 'X-TIMESTAMP' }));
    expect(() => verifySignature(Buffer.from(V1), { timestamp: TS, signature: '' }, opts())).toThrow(expect.objectContaining({ reason: 'missing_header', header: 'X-SIGNATURE' }));
    expect(() => verifySignature(Buffer.from(V1), { timestamp: '', signature: 'x' }, opts())).toThrow(expect.objectContaining({ header: 'X-TIMESTAMP' }));
  });

  it('reports key_config when no key is configured', () => {
    expect(() => verifySignature(Buffer.from(V1), headers(V1), opts({ keys: [] }))).toThrow(expect.objectContaining({ reason: 'key_config' }));
  });

  it('verifies with an RSA-4096 key too', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const big = parsePublicKeys(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const h = { timestamp: TS, signature: snapSignature(privateKey, 'POST', INQ, V1, TS) };
    expect(verifySignature(Buffer.from(V1), h, opts({ keys: big })).keyId).toBe(big[0]!.id);
  });
});
