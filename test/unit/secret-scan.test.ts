import { scanForSecrets } from '../helpers/secret-scan';
import { makeKeyPair } from '../helpers/signer';

describe('the log secret scan the harness runs on close', () => {
  const pem = makeKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const bodyLine = pem.split('\n')[3]!;

  it('finds a token, a signature or one line of a private key anywhere in a log line, and names only the message', () => {
    const hits = scanForSecrets([
      { message: 'ok', partner: 'bca' },
      { message: 'leaky token', meta: { auth: 'Bearer eyJhbGciOi.abc.def' } },
      { message: 'leaky key', error: `bad key ${bodyLine}` },
    ], ['eyJhbGciOi.abc.def', pem]);
    expect(hits).toEqual(['log line "leaky token" carries a secret of 18 characters', 'log line "leaky key" carries a secret of 64 characters']);
    expect(hits.join()).not.toContain('eyJ');
  });

  it('passes clean logs and ignores values too short to be secrets', () => {
    expect(scanForSecrets([{ message: 'snap request', responseCode: '2002500' }], ['2002500', 'a-long-secret-value'])).toEqual([]);
  });
});
