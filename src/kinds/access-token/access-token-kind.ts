import { issueToken } from '../../auth/b2b-token';
import { SNAP_JSON } from '../../pipeline/answer-format';
import type { HeaderGetter, KindHeaders, StatelessKind } from '../../pipeline/message-kind';
import { readIdHeader } from '../../snap/required-headers';
import { parseBodyObject } from '../../snap/request-fields';
import { CANONICAL_PATH } from '../../snap/response-codes';
import { tokenResponse } from '../../snap/snap-responses';
import { readTokenRequest, type TokenRequest } from '../../snap/token-request';

/**
 * B2B access token (service 73, spec §1.6) for snap-symmetric partners: the caller proves its
 * RSA key over X-CLIENT-KEY|X-TIMESTAMP and gets a short-lived bearer token. Nothing is stored:
 * the token is a JWT this service can verify on its own.
 */
export function accessTokenKind(): StatelessKind<TokenRequest> {
  return {
    name: 'access-token',
    service: 'access-token',
    paths: [CANONICAL_PATH['access-token']],
    format: SNAP_JSON,
    contentTypes: ['application/json'],
    authentication: 'snap-token-request',
    dedup: 'none',
    readHeaders: (get: HeaderGetter): KindHeaders => ({ partnerId: readIdHeader(get, 'X-CLIENT-KEY') }),
    read: (raw) => readTokenRequest(parseBodyObject(raw)),
    async business(ctx) {
      const issued = await issueToken(ctx.registry.tokens, ctx.headers.partnerId, ctx.nowMs);
      ctx.log.tokenExpiresIn = issued.expiresIn;
      return {
        dedup: 'none',
        body: JSON.stringify(tokenResponse(issued.accessToken, issued.expiresIn)),
        headers: { 'X-CLIENT-KEY': ctx.headers.partnerId },
      };
    },
  };
}
