import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Who a token was issued to. */
export interface TokenSubject {
  username: string;
  clientId: string;
}

/** Options of the emulator's OAuth password-grant token issuer. */
export interface TokenIssuerOptions {
  clients: ReadonlyArray<{ id: string; secret: string }>;
  users: ReadonlyArray<{ username: string; password: string }>;
  /** Token lifetime in seconds. */
  ttlSeconds: number;
  /** Clock in ms, injectable for tests. Default Date.now. */
  now?: () => number;
}

/** The reasons a token request is refused, as OAuth 2.0 (RFC 6749 §5.2) names them. */
export type TokenError = 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_request';

/** Issues and checks opaque bearer tokens, as Opcenter's `/sit-auth/OAuth/Token` does. */
export class TokenIssuer {
  private readonly tokens = new Map<string, { subject: TokenSubject; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TokenIssuerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Handles a password grant; `basic` is the decoded `client:secret` of the Authorization header. */
  issue(
    form: URLSearchParams,
    basic: { id: string; secret: string } | undefined,
  ): { ok: true; body: Record<string, unknown> } | { ok: false; error: TokenError; description: string } {
    const client = basic ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
    if (!this.options.clients.some((c) => safeEqual(c.id, client.id) && safeEqual(c.secret, client.secret))) {
      return { ok: false, error: 'invalid_client', description: 'Unknown client id or wrong client secret.' };
    }
    const grant = form.get('grant_type');
    if (grant !== 'password') {
      return {
        ok: false,
        error: grant ? 'unsupported_grant_type' : 'invalid_request',
        description: grant ? `Grant type '${grant}' is not supported; use 'password'.` : 'grant_type is required.',
      };
    }
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    if (!this.checkPassword(username, password)) {
      return { ok: false, error: 'invalid_grant', description: 'Wrong user name or password.' };
    }
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, {
      subject: { username, clientId: client.id },
      expiresAt: this.now() + this.options.ttlSeconds * 1000,
    });
    return {
      ok: true,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: this.options.ttlSeconds,
        scope: form.get('scope') ?? 'global',
      },
    };
  }

  /** The subject of a valid, unexpired token, or undefined. */
  verify(token: string): TokenSubject | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return entry.subject;
  }

  /** Whether a user's password is right (electronic signatures re-check it). */
  checkPassword(username: string, password: string): boolean {
    return this.options.users.some((u) => safeEqual(u.username, username) && safeEqual(u.password, password));
  }

  /** Forgets every token (tests use it to force a 401 and a renewal). */
  revokeAll(): void {
    this.tokens.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
