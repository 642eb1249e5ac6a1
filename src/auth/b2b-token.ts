import { randomUUID } from 'node:crypto';
import type { TokenSettings } from '../partners/partner';
import { loadJose } from './load-jose';
import { TokenError } from './token-error';

/** Pinned: a token that names any other algorithm (`none`, RS256 with our secret as a "public key", …) is refused. */
const ALGORITHM = 'HS256';

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

function liveKeys(settings: TokenSettings, nowMs: number) {
  return settings.signingKeys.filter((k) => k.notAfterMs === undefined || nowMs <= k.notAfterMs);
}

/**
 * A B2B access token (spec §1.6) as a JWT: iss = this service, aud = sub = the partner's client
 * key, exp = now + ttl, jti unique, kid = the signing key's id. Signed with the first live key.
 */
export async function issueToken(settings: TokenSettings | undefined, clientKey: string, nowMs: number): Promise<IssuedToken> {
  const key = settings === undefined ? undefined : liveKeys(settings, nowMs)[0];
  if (settings === undefined || key === undefined) throw new Error('no token signing key is configured (tokens.signingKeys in PARTNERS_FILE)');
  const { SignJWT } = await loadJose();
  const iat = Math.floor(nowMs / 1000);
  const accessToken = await new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: key.id })
    .setIssuer(settings.issuer)
    .setAudience(clientKey)
    .setSubject(clientKey)
    .setIssuedAt(iat)
    .setExpirationTime(iat + settings.ttlSeconds)
    .setJti(randomUUID())
    .sign(key.secret);
  return { accessToken, expiresIn: settings.ttlSeconds };
}

/** `Authorization: Bearer <token>`; absent → 401xx03, present but not a bearer token → 401xx01. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw new TokenError('token_missing', 'Authorization header is missing');
  const m = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (m === null) throw new TokenError('token_invalid', 'Authorization is not a Bearer token');
  return m[1]!;
}

/**
 * Verifies a token this service issued to `clientKey`: algorithm pinned, signature by a live
 * key (chosen by kid), iss, aud and exp checked against the injected clock with no leeway.
 */
export async function verifyToken(settings: TokenSettings | undefined, token: string, clientKey: string, nowMs: number): Promise<void> {
  if (settings === undefined) throw new TokenError('token_invalid', 'this service issues no tokens');
  const { jwtVerify, errors } = await loadJose();
  const keys = liveKeys(settings, nowMs);
  try {
    await jwtVerify(token, (header) => {
      const key = keys.find((k) => k.id === header.kid);
      if (key === undefined) throw new TokenError('token_invalid', 'token signed with an unknown or retired key');
      return key.secret;
    }, {
      algorithms: [ALGORITHM],
      issuer: settings.issuer,
      audience: clientKey,
      subject: clientKey,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'iat', 'jti'],
    });
  } catch (e) {
    if (e instanceof TokenError) throw e;
    const why = e instanceof errors.JWTExpired ? 'token expired'
      : e instanceof errors.JWTClaimValidationFailed ? `token claim ${e.claim} does not match`
        : 'token is not valid';
    throw new TokenError('token_invalid', why);
  }
}
