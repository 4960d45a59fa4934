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
    return { sub: payload.sub, roles, scopes };
  } catch {
    return undefined;
  }
}
