import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyConfigError, parsePublicKeys } from '../../src/snap';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const pkcs1Pem = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const bare = (der: Buffer): string => der.toString('base64');

function certificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snap-cert-'));
  const keyPath = join(dir, 'key.pem');
  require('node:fs').writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync('openssl', ['req', '-new', '-x509', '-key', keyPath, '-subj', '/CN=faspay-test', '-days', '1', '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

describe('parsePublicKeys', () => {
  const expectedId = parsePublicKeys(spkiPem)[0]!.id;

  it('reads an SPKI PEM and gives it a 16-hex fingerprint', () => {
    expect(expectedId).toMatch(/^[0-9a-f]{16}$/);
  });
  it('reads a PKCS#1 PEM as the same key', () => {
    expect(parsePublicKeys(pkcs1Pem)[0]!.id).toBe(expectedId);
  });
  it('reads an X.509 certificate, PEM or bare base64 DER', () => {
    const cert = certificate();
    expect(parsePublicKeys(cert)[0]!.id).toBe(expectedId);
    const der = Buffer.from(cert.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(parsePublicKeys(bare(der))[0]!.id).toBe(expectedId);
  });
  it('reads bare base64 SPKI and PKCS#1 DER, with line breaks', () => {
    expect(parsePublicKeys(bare(publicKey.export({ type: 'spki', format: 'der' })))[0]!.id).toBe(expectedId);
    const pkcs1 = bare(publicKey.export({ type: 'pkcs1', format: 'der' })).replace(/(.{64})/g, '$1\n');
    expect(parsePublicKeys(pkcs1)[0]!.id).toBe(expectedId);
  });
  it('reads several keys from one file (rotation, sandbox + production)', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keys = parsePublicKeys(`# sandbox\n${spkiPem}\n# production\n${other}`);
    expect(keys).toHaveLength(2);
    expect(keys[0]!.id).not.toBe(keys[1]!.id);
  });
  it.each([
    ['an empty text', '  ', 'no public key given'],
    ['a private key', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'unsupported PEM block "PRIVATE KEY"'],
    ['a PEM block without an END line', '-----BEGIN PUBLIC KEY-----\nMIIB', 'no matching END line'],
    ['a corrupt PEM body', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'cannot read the PUBLIC KEY block'],
    ['base64 that is no key', 'aGVsbG8gd29ybGQ=', 'base64 DER'],
    ['an EC key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'got a ec key'],
  ])('refuses %s with a message that says what to fix', (_name, text, message) => {
    expect(() => parsePublicKeys(text)).toThrow(KeyConfigError);
    expect(() => parsePublicKeys(text)).toThrow(message);
  });
});
