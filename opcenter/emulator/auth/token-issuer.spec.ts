import { TokenIssuer } from './token-issuer';

function issuer(now: () => number = Date.now) {
  return new TokenIssuer({
    clients: [{ id: 'c', secret: 's' }],
    users: [{ username: 'u', password: 'p' }],
    ttlSeconds: 60,
    now,
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('TokenIssuer', () => {
  it('issues a bearer token for a password grant that verifies as the user', () => {
    const tokens = issuer();
    const outcome = tokens.issue(form({ grant_type: 'password', username: 'u', password: 'p' }), { id: 'c', secret: 's' });
    if (!outcome.ok) throw new Error(outcome.description);
    expect(outcome.body).toMatchObject({ token_type: 'bearer', expires_in: 60 });
    expect(tokens.verify(outcome.body.access_token as string)).toEqual({ username: 'u', clientId: 'c' });
  });

  it('refuses a wrong client, a wrong password and another grant type, each with its OAuth error', () => {
    const tokens = issuer();
    expect(tokens.issue(form({ grant_type: 'password', username: 'u', password: 'p' }), { id: 'c', secret: 'x' })).toMatchObject({
      ok: false,
      error: 'invalid_client',
    });
    expect(tokens.issue(form({ grant_type: 'password', username: 'u', password: 'x' }), { id: 'c', secret: 's' })).toMatchObject({
      ok: false,
      error: 'invalid_grant',
    });
    expect(tokens.issue(form({ grant_type: 'client_credentials' }), { id: 'c', secret: 's' })).toMatchObject({
      ok: false,
      error: 'unsupported_grant_type',
    });
  });

  it('stops accepting a token once it has expired', () => {
    let now = 1_000_000;
    const tokens = issuer(() => now);
    const outcome = tokens.issue(form({ grant_type: 'password', username: 'u', password: 'p' }), { id: 'c', secret: 's' });
    if (!outcome.ok) throw new Error(outcome.description);
    const token = outcome.body.access_token as string;
    now += 59_000;
    expect(tokens.verify(token)).toBeDefined();
    now += 2_000;
    expect(tokens.verify(token)).toBeUndefined();
  });
});
