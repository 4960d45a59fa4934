import { z } from 'zod';
import { OpcenterBadRequestError, OpcenterUnauthorizedError, OpcenterUnavailableError } from './errors';
import type { HttpTransport } from './http-transport';

/** Credentials and endpoint of Opcenter's OAuth password grant. */
export interface TokenProviderOptions {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  /** OAuth scope; sent only when set. */
  readonly scope?: string;
  readonly send: HttpTransport;
  /** Clock in ms. Default Date.now. */
  readonly now?: () => number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // Opcenter always sends it; without it, assume an hour and rely on the renewal after a 401.
  expires_in: z.coerce.number().positive().default(3600),
});

/**
 * Fetches, caches and renews the bearer token (`POST /sit-auth/OAuth/Token`, password grant, client
 * credentials in HTTP Basic). A token is renewed at 80% of its lifetime, and at most 30 s before it
 * expires; callers that ask at the same time share one token request.
 */
export class TokenProvider {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: TokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid token, from the cache while it is fresh. */
  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    return this.requestShared();
  }

  /** A token other than `rejected`, which Opcenter answered 401 to: a new one, unless another caller renewed it. */
  async renew(rejected: string): Promise<string> {
    if (this.cached && this.cached.token !== rejected && this.now() < this.cached.renewAt) return this.cached.token;
    this.cached = undefined;
    return this.requestShared();
  }

  private requestShared(): Promise<string> {
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async request(): Promise<string> {
    const { baseUrl, clientId, clientSecret, username, password, scope } = this.options;
    const form = new URLSearchParams({ grant_type: 'password', username, password });
    if (scope !== undefined) form.set('scope', scope);
    const requestedAt = this.now();
    let body: unknown;
    try {
      ({ body } = await this.options.send({
        method: 'POST',
        url: `${baseUrl}/sit-auth/OAuth/Token`,
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
        idempotent: true,
        what: 'the token request',
      }));
    } catch (error) {
      if (error instanceof OpcenterBadRequestError || error instanceof OpcenterUnauthorizedError) {
        const reason = error instanceof OpcenterBadRequestError ? error.opcenterCode : undefined;
        throw new OpcenterUnauthorizedError(`Opcenter refused the token request${reason ? ` (${reason})` : ''}`, {
          status: error.status,
          cause: error,
        });
      }
      throw error;
    }
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) {
      throw new OpcenterUnavailableError('Opcenter answered the token request without an access token', 'server');
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    this.cached = {
      token: parsed.data.access_token,
      renewAt: requestedAt + lifetimeMs - Math.min(30_000, lifetimeMs * 0.2),
    };
    return parsed.data.access_token;
  }
}
