import { jwtVerify, SignJWT } from 'jose';
import { isRole, type Role, type Scope } from './roles';

/** Header in which the gateway passes the verified caller to subgraphs. */
export const IDENTITY_HEADER = 'x-insight-identity';

/** The verified caller of an operation, as the gateway passes it to subgraphs. */
export interface Identity {
  /** User id (the JWT `sub`). */
  sub: string;
  roles: Role[];
  scopes: Scope[];
}

const ISSUER = 'insight-graph-gateway';
const AUDIENCE = 'insight-graph-subgraphs';
/** Seconds a signed identity stays valid: one request's life, with room for clock skew. */
const TTL_SECONDS = 60;

/** Signs an identity for one subgraph request (HS256 with the secret gateway and subgraphs share). */
export async function signIdentity(identity: Identity, secret: string): Promise<string> {
  return new SignJWT({ roles: identity.roles, scopes: identity.scopes })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(new TextEncoder().encode(secret));
}

/** Verifies a gateway-signed identity; resolves undefined when it is missing, forged or expired. */
export async function verifyIdentity(token: string | undefined, secret: string): Promise<Identity | undefined> {
  return (await verifyWithExpiry(token, secret))?.identity;
}

/**
 * A verifier that remembers the identities it verified until they expire: the gateway reuses one signed
 * identity per caller for half a minute, so a subgraph checks its signature once, not on every request.
 */
export function createIdentityVerifier(secret: string): (token: string | undefined) => Promise<Identity | undefined> {
  const verified = new Map<string, { identity: Identity; until: number }>();
  return async (token) => {
    if (!token) return undefined;
    const known = verified.get(token);
    if (known && known.until > Date.now()) return known.identity;
    const result = await verifyWithExpiry(token, secret);
    if (!result) return undefined;
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { identity: result.identity, until: result.expiresAt });
    return result.identity;
  };
}

async function verifyWithExpiry(token: string | undefined, secret: string): Promise<{ identity: Identity; expiresAt: number } | undefined> {
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    const scopes = Array.isArray(payload.scopes) ? (payload.scopes as Scope[]) : [];
    if (!payload.sub) return undefined;
    return { identity: { sub: payload.sub, roles, scopes }, expiresAt: (payload.exp ?? 0) * 1000 };
  } catch {
    return undefined;
  }
}
