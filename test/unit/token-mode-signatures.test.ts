import { createHmac, sign } from 'node:crypto';
import {
  checkFreshness, decodeSignature, parsePublicKeys, readIdHeader, readTokenRequest, SignatureError, SnapFieldError,
  tokenResponse, usableKeys, verifySignature, verifySymmetricSignature, verifyTokenRequest, type PublicKeyEntry, type SymmetricVerifyOptions,
} from '../../src/snap';
import { makeKeyPair, snapSignature } from '../helpers/signer';

const INQ = '/v1.0/transfer-va/inquiry';
const TS = '2020-12-17T10:55:00+07:00';
const NOW = Date.parse(TS);
const V1 = '{"partnerServiceId":"  088899","customerNo":"12345678901234567890","virtualAccountNo":"  08889912345678901234567890","inquiryRequestId":"abcdef-123456-abcdef"}';
const V10 = 'VMjLbQv2IvfGe29KQHeTZ03Z6daLwgwRVhPG+YyE0loN1wmu39+yey1s9JlO5ihE6os+UmHeQxQEsMzYa39alQ==';
const SECRET = Buffer.from('my-client-secret');
const TOKEN = 'test-access-token';

const hmac = (body: string, o: { path?: string; token?: string; ts?: string; secret?: Buffer } = {}) =>
  createHmac('sha512', o.secret ?? SECRET)
    .update(`POST:${o.path ?? INQ}:${o.token ?? TOKEN}:${require('node:crypto').createHash('sha256').update(body).digest('hex')}:${o.ts ?? TS}`)
    .digest('base64');

describe('generic SNAP token mode: HMAC-SHA512 transaction signature (spec §1.6)', () => {
  const opts = (o: Partial<SymmetricVerifyOptions> = {}): SymmetricVerifyOptions => ({
    method: 'post', canonicalPath: INQ, actualPath: INQ, accessToken: TOKEN, clientSecret: SECRET, nowMs: NOW, maxSkewSeconds: 300, ...o,
  });

  it('V10: verifies the spec vector for the V1 inquiry', () => {
    expect(hmac(V1)).toBe(V10);
    const v = verifySymmetricSignature(Buffer.from(V1), { timestamp: TS, signature: V10 }, opts());
    expect(v).toMatchObject({ path: 'canonical', body: 'raw', timestampMs: NOW });
    expect(v.rawBodySha256).toBe('1cb970603fcbe2772a58eb0a91e47b2bcef115cce8b32e929cab35a0a8d5363c');
  });

  it('verifies a pretty-printed body over its minified form, and a prefixed route over its actual path', () => {
    const pretty = JSON.stringify(JSON.parse(V1), null, 2);
    expect(verifySymmetricSignature(Buffer.from(pretty), { timestamp: TS, signature: V10 }, opts()).body).toBe('minified');
    const actual = '/snap/v1.0/transfer-va/inquiry';
    expect(verifySymmetricSignature(Buffer.from(V1), { timestamp: TS, signature: hmac(V1, { path: actual }) }, opts({ actualPath: actual })).path).toBe('actual');
  });

  it('refuses a tampered body, another token, another secret and a signature of the wrong length', () => {
    const tampered = V1.replace('abcdef-123456-abcdef', 'abcdef-123456-abcdeg');
    for (const [body, sig, o] of [
      [tampered, V10, {}],
      [V1, V10, { accessToken: 'other-token' }],
      [V1, V10, { clientSecret: Buffer.from('another-secret!!') }],
      [V1, V10.slice(0, 20), {}],
    ] as const) {
      expect(() => verifySymmetricSignature(Buffer.from(body), { timestamp: TS, signature: sig }, opts(o))).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    }
  });

  it('checks the timestamp window only after the HMAC matched', () => {
    const late = NOW + 301_000;
    expect(() => verifySymmetricSignature(Buffer.from(V1), { timestamp: TS, signature: V10 }, opts({ nowMs: late }))).toThrow(expect.objectContaining({ reason: 'stale' }));
    expect(verifySymmetricSignature(Buffer.from(V1), { timestamp: TS, signature: V10 }, opts({ nowMs: NOW + 300_000 })).timestampMs).toBe(NOW);
    expect(() => verifySymmetricSignature(Buffer.from(V1), { timestamp: TS }, opts())).toThrow(expect.objectContaining({ reason: 'missing_header', header: 'X-SIGNATURE' }));
  });
});

describe('B2B token request signature: RSA over X-CLIENT-KEY|X-TIMESTAMP (V11)', () => {
  const partner = makeKeyPair();
  const stranger = makeKeyPair();
  const keys = parsePublicKeys(partner.publicKeyPem);
  const tokenSig = (key = partner, clientId = '82150', ts = TS) => sign('sha256', Buffer.from(`${clientId}|${ts}`), key.privateKey).toString('base64');

  it('verifies a signature over "82150|2020-12-17T10:55:00+07:00"', () => {
    expect(verifyTokenRequest('82150', { timestamp: TS, signature: tokenSig() }, { keys, nowMs: NOW, maxSkewSeconds: 300 })).toEqual({ keyId: keys[0]!.id, timestampMs: NOW });
  });

  it('refuses another client id, another key, and a stale timestamp', () => {
    const o = { keys, nowMs: NOW, maxSkewSeconds: 300 as const };
    expect(() => verifyTokenRequest('82151', { timestamp: TS, signature: tokenSig() }, o)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(() => verifyTokenRequest('82150', { timestamp: TS, signature: tokenSig(stranger) }, o)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(() => verifyTokenRequest('82150', { timestamp: TS, signature: tokenSig() }, { ...o, nowMs: NOW - 301_000 })).toThrow(expect.objectContaining({ reason: 'stale' }));
  });
});

describe('public key validity windows (rotation without downtime)', () => {
  const oldPair = makeKeyPair();
  const newPair = makeKeyPair();
  const switchAt = Date.parse('2027-01-01T00:00:00+07:00');
  const keys: PublicKeyEntry[] = [
    { ...parsePublicKeys(oldPair.publicKeyPem)[0]!, notAfterMs: switchAt },
    { ...parsePublicKeys(newPair.publicKeyPem)[0]!, notBeforeMs: switchAt },
  ];
  const verifyAt = (pair: typeof oldPair, nowMs: number) => {
    const ts = TS;
    return verifySignature(Buffer.from(V1), { timestamp: ts, signature: snapSignature(pair.privateKey, 'POST', INQ, V1, ts) }, {
      method: 'POST', canonicalPath: INQ, actualPath: INQ, keys, nowMs, maxSkewSeconds: 'off', repadCandidate: false,
    });
  };

  it('accepts the old key up to and including its notAfter, and refuses it one millisecond later', () => {
    expect(verifyAt(oldPair, switchAt).keyId).toBe(keys[0]!.id);
    expect(() => verifyAt(oldPair, switchAt + 1)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
  });

  it('refuses the new key one millisecond before its notBefore and accepts it from then on', () => {
    expect(() => verifyAt(newPair, switchAt - 1)).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(verifyAt(newPair, switchAt).keyId).toBe(keys[1]!.id);
  });

  it('says key_window, the operator\'s problem, when no configured key is valid at all', () => {
    expect(() => usableKeys([keys[0]!], switchAt + 1)).toThrow(expect.objectContaining({ reason: 'key_window' }));
    expect(() => usableKeys([], switchAt)).toThrow(expect.objectContaining({ reason: 'key_config' }));
    expect(usableKeys(keys, switchAt)).toHaveLength(2);
  });
});

describe('shared signature parts', () => {
  it('decodes base64, hex, both for an ambiguous value, and nothing for garbage', () => {
    expect(decodeSignature('AQID')).toEqual([Buffer.from([1, 2, 3]).subarray(0, 3)]);
    expect(decodeSignature('0a0b')).toHaveLength(2);
    expect(decodeSignature('not base64!')).toEqual([]);
  });

  it('parses X-TIMESTAMP or names it, and turns the window off only when asked', () => {
    expect(() => checkFreshness('yesterday', NOW, 300)).toThrow(expect.objectContaining({ reason: 'bad_timestamp', header: 'X-TIMESTAMP' }));
    expect(checkFreshness(TS, NOW + 86_400_000, 'off')).toBe(NOW);
    expect(new SignatureError('stale', 'x')).toMatchObject({ name: 'SignatureError', reason: 'stale' });
  });
});

describe('token request and answer bodies', () => {
  it('reads grantType client_credentials and refuses a missing or other grant', () => {
    expect(readTokenRequest({ grantType: 'client_credentials', additionalInfo: { a: 1 } } as never)).toMatchObject({ grantType: 'client_credentials' });
    expect(() => readTokenRequest({} as never)).toThrow(new SnapFieldError('invalidMandatoryField', 'grantType'));
    expect(() => readTokenRequest({ grantType: 'password' } as never)).toThrow(new SnapFieldError('invalidFieldFormat', 'grantType'));
  });

  it('answers 2007300 with a Bearer token and expiresIn as a string', () => {
    expect(tokenResponse('abc', 900)).toEqual({ responseCode: '2007300', responseMessage: 'Successful', accessToken: 'abc', tokenType: 'Bearer', expiresIn: '900' });
  });

  it('reads X-CLIENT-KEY as a mandatory String(36)', () => {
    expect(readIdHeader(() => '82150', 'X-CLIENT-KEY')).toBe('82150');
    expect(() => readIdHeader(() => undefined, 'X-CLIENT-KEY')).toThrow(new SnapFieldError('invalidMandatoryField', 'X-CLIENT-KEY'));
    expect(() => readIdHeader(() => 'x'.repeat(37), 'X-CLIENT-KEY')).toThrow(new SnapFieldError('invalidFieldFormat', 'X-CLIENT-KEY'));
  });
});
