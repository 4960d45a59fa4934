import { SignJWT } from 'jose';
import { scopesOf, type Role } from './roles';

/**
 * The development token issuer: HS256 tokens signed with a secret that `npm start`, the gateway and
 * `npm run token` share. Production gateways verify tokens from a real issuer (JWKS URL or public key).
 */
export const DEV_ISSUER = 'insight-graph-dev';
export const DEV_AUDIENCE = 'insight-graph';
/** The development signing secret, used only when no production key is configured. */
export const DEV_JWT_SECRET = 'insight-graph-development-secret-do-not-use-in-production';

/** Issues a development bearer token for a user and role. */
export async function issueDevToken(options: {
  user: string;
  roles: readonly Role[];
  /** Lifetime in seconds. Default 12 hours. */
  ttlSeconds?: number;
  secret?: string;
}): Promise<string> {
  return new SignJWT({ roles: options.roles, scope: scopesOf(options.roles).join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.user)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
    .sign(new TextEncoder().encode(options.secret ?? DEV_JWT_SECRET));
}
