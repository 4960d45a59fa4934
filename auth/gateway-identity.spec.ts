import { createIdentityVerifier, signIdentity, verifyIdentity } from './gateway-identity';

const SECRET = 'identity-test-secret-0123456789';
const identity = { sub: 'u1', roles: ['OPERATOR' as const], scopes: ['read' as const, 'write:execution' as const] };

describe('gateway identity', () => {
  it('verifies what the gateway signed and refuses another secret or garbage', async () => {
    const token = await signIdentity(identity, SECRET);
    expect(await verifyIdentity(token, SECRET)).toEqual(identity);
    expect(await verifyIdentity(token, 'another-secret-0123456789')).toBeUndefined();
    expect(await verifyIdentity('not.a.token', SECRET)).toBeUndefined();
    expect(await verifyIdentity(undefined, SECRET)).toBeUndefined();
  });

  it('remembers a verified identity, and never one that failed', async () => {
    const verify = createIdentityVerifier(SECRET);
    const token = await signIdentity(identity, SECRET);
    const first = await verify(token);
    expect(await verify(token)).toBe(first);
    const forged = await signIdentity(identity, 'another-secret-0123456789');
    expect(await verify(forged)).toBeUndefined();
    expect(await verify(forged)).toBeUndefined();
  });
});
