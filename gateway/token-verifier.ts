import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { isRole, scopesOf, type Identity } from '../auth';
import type { GatewayAuthConfig } from './config';
import { UnauthenticatedError } from './errors';

/** Turns an `Authorization` value into the verified caller, or throws `UnauthenticatedError` saying why. */
export type TokenVerifier = (authorization: string | undefined) => Promise<Identity>;

/** How long a verified token is trusted without verifying it again, in ms (never past its `exp`). */
const VERIFIED_TTL_MS = 60_000;
/** Most verified tokens remembered; past it the memory starts afresh. */
const VERIFIED_MAX = 10_000;

/**
 * Builds the verifier for the configured issuer (development HS256 secret, JWKS or public key).
 * Verified tokens are remembered for up to a minute, so a dashboard's steady stream of requests costs
 * one signature check a minute, not one each (WebCrypto verification was a tenth of the gateway's CPU).
 */
export function createTokenVerifier(auth: GatewayAuthConfig): TokenVerifier {
  const key = loadKey(auth);
  const verified = new Map<string, { identity: Identity; until: number }>();
  const options: JWTVerifyOptions = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.kind === 'dev-secret' ? ['HS256'] : auth.kind === 'public-key' ? [auth.algorithm] : undefined,
  };
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new UnauthenticatedError(
        authorization ? 'The Authorization header must be "Bearer <token>".' : 'Missing token: send "Authorization: Bearer <token>".',
      );
    }
    const token = match[1];
    const known = verified.get(token);
    if (known && known.until > Date.now()) return known.identity;
    let payload;
    try {
      const resolved = await key;
      ({ payload } =
        typeof resolved === 'function' ? await jwtVerify(match[1], resolved, options) : await jwtVerify(match[1], resolved, options));
    } catch (error) {
      throw new UnauthenticatedError(describeFailure(error));
    }
    if (!payload.sub) throw new UnauthenticatedError('The token has no subject (sub).');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    const identity: Identity = { sub: payload.sub, roles, scopes: scopesOf(roles) };
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { identity, until: Math.min(Date.now() + VERIFIED_TTL_MS, (payload.exp ?? 0) * 1000) });
    return identity;
  };
}

function loadKey(auth: GatewayAuthConfig): Promise<Uint8Array | CryptoKey | JWTVerifyGetKey> {
  switch (auth.kind) {
    case 'dev-secret':
      return Promise.resolve(new TextEncoder().encode(auth.secret));
    case 'jwks':
      return Promise.resolve(createRemoteJWKSet(new URL(auth.url)));
    case 'public-key':
      return importSPKI(auth.pem, auth.algorithm);
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired; get a new one.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is signed with an algorithm this gateway does not accept.';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The token was signed by a key this gateway does not know.';
  return 'The token is malformed.';
}
