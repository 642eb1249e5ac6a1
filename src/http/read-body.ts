import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too_large' | 'bad_body' | 'encoding' };

/**
 * The request body as bytes (signatures cover the bytes), at most `limitBytes`. A declared
 * Content-Length over the limit is refused before a byte is read; a chunked body is refused the
 * moment it passes the limit, and Node discards the rest. Compressed bodies are refused: no
 * Faspay message is sent compressed, and inflating one before its signature is checked would let a
 * stranger spend our CPU.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return Promise.resolve({ ok: false, reason: 'encoding' });
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyRead): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.once('error', () => finish({ ok: false, reason: 'bad_body' }));
    // a client gone before the body ended (Node emits 'close' after 'end' otherwise, so this is a no-op then)
    req.once('close', () => finish({ ok: false, reason: 'bad_body' }));
  });
}
