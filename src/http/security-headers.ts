import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

// An API answers JSON only: the browser-page protections of helmet add bytes and nothing else.
// No CORS either: no browser has any business calling these routes.
const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: false, crossOriginEmbedderPolicy: false, crossOriginOpenerPolicy: false, crossOriginResourcePolicy: false,
  originAgentCluster: false, xDnsPrefetchControl: false, xDownloadOptions: false, xPermittedCrossDomainPolicies: false,
  referrerPolicy: false, xXssProtection: false,
};

/**
 * helmet's headers for the public port, computed once by running its middleware against a
 * recording response, so every answer sets them as a static block instead of running
 * helmet per request (it showed in the hot path's profile).
 */
export function securityHeaders(): ReadonlyArray<readonly [string, string]> {
  const out: Array<[string, string]> = [];
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => out.push([name, String(value)]),
    removeHeader: () => undefined,
  } as unknown as ServerResponse;
  let called = false;
  helmet(OPTIONS)({} as IncomingMessage, res, () => {
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously: cannot precompute its headers');
  return Object.freeze(out);
}
