import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayAuthConfig } from './config';
import { createTokenVerifier } from './token-verifier';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET, issueDevToken } from '../auth';

const ISSUER = 'https://login.plant.example';
const AUDIENCE = 'insight-graph';

interface SignOptions {
  kid?: string;
  issuer?: string;
  audience?: string;
}

function signToken(privateKey: CryptoKey, { kid, issuer = ISSUER, audience = AUDIENCE }: SignOptions = {}): Promise<string> {
  return new SignJWT({ roles: ['QUALITY_ENGINEER', 'NOT_A_ROLE'] })
    .setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) })
    .setSubject('engineer-17')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

const bearer = (token: string) => `Bearer ${token}`;

/** The verifier's rejection, as `{ code, message }`. */
async function rejectionOf(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { extensions?: { code?: unknown } }).extensions?.code, message: (error as Error).message };
  }
  throw new Error('expected the token to be refused');
}

const ENGINEER = { sub: 'engineer-17', roles: ['QUALITY_ENGINEER'], scopes: ['read', 'write:quality', 'write:test'] };

let signer: CryptoKey;
let stranger: CryptoKey;
let publicPem: string;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signer = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  publicJwk = await exportJWK(pair.publicKey);
  stranger = (await generateKeyPair('RS256')).privateKey;
});

describe('token verification with a public key (JWT_PUBLIC_KEY)', () => {
  const config = (): GatewayAuthConfig => ({ kind: 'public-key', pem: publicPem, algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE });

  it('accepts a token signed by the matching private key and keeps only known roles', async () => {
    const verify = createTokenVerifier(config());
    expect(await verify(bearer(await signToken(signer)))).toEqual(ENGINEER);
  });

  it('refuses a token signed by another key, saying the signature is invalid', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(stranger))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token signature is invalid.',
    });
  });

  it('refuses a token from another issuer, naming the "iss" claim', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(signer, { issuer: 'https://elsewhere.example' }))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token\'s "iss" claim is not accepted.',
    });
  });

  it('refuses a token for another audience, naming the "aud" claim', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(signer, { audience: 'another-api' }))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token\'s "aud" claim is not accepted.',
    });
  });
});

describe('token verification with a JSON Web Key Set (JWT_JWKS_URL)', () => {
  let server: Server;
  let jwksUrl: string;

  beforeAll(async () => {
    const body = JSON.stringify({ keys: [{ ...publicJwk, kid: 'plant-key-1', alg: 'RS256', use: 'sig' }] });
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  const config = (): GatewayAuthConfig => ({ kind: 'jwks', url: jwksUrl, issuer: ISSUER, audience: AUDIENCE });

  it('accepts a token whose kid is in the set', async () => {
    const verify = createTokenVerifier(config());
    expect(await verify(bearer(await signToken(signer, { kid: 'plant-key-1' })))).toEqual(ENGINEER);
  });

  it('refuses a token whose kid is not in the set, saying the key is unknown', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(stranger, { kid: 'retired-key' }))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token was signed by a key this gateway does not know.',
    });
  });

  it('refuses a token from another issuer, naming the "iss" claim', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(signer, { kid: 'plant-key-1', issuer: 'https://elsewhere.example' }))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token\'s "iss" claim is not accepted.',
    });
  });

  it('refuses a token for another audience, naming the "aud" claim', async () => {
    const verify = createTokenVerifier(config());
    expect(await rejectionOf(verify(bearer(await signToken(signer, { kid: 'plant-key-1', audience: 'another-api' }))))).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The token\'s "aud" claim is not accepted.',
    });
  });
});

describe('remembered verifications', () => {
  const auth: GatewayAuthConfig = { kind: 'dev-secret', secret: DEV_JWT_SECRET, issuer: DEV_ISSUER, audience: DEV_AUDIENCE };

  it('answers a repeated token from memory, the same identity, and still refuses it once it expires', async () => {
    const verify = createTokenVerifier(auth);
    // JWT times are whole seconds: a 2 s token has at least 1 s left when issued, and none 2.1 s later.
    const token = await issueDevToken({ user: 'dashboard', roles: ['OPERATOR'], ttlSeconds: 2 });
    const first = await verify(`Bearer ${token}`);
    expect(await verify(`Bearer ${token}`)).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(verify(`Bearer ${token}`)).rejects.toThrow(/expired/);
  });
});
