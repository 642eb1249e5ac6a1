import http from 'node:http';
import https from 'node:https';

export interface PostResult {
  readonly status: number;
  readonly retryAfter?: string | undefined;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** POSTs a JSON body with a hard timeout (or until `cancel` fires); the response body is drained and ignored. */
export function postJson(url: URL, body: string, headers: Record<string, string>, timeoutMs: number, cancel?: AbortSignal): Promise<PostResult> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'POST',
      agent: agents[url.protocol as 'http:' | 'https:'],
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'snap-receiver', ...headers },
      signal: cancel === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]),
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
