import { OpcenterUnauthorizedError } from './errors';
import type { HttpRequest, HttpTransport } from './http-transport';
import type { TokenProvider } from './token-provider';

/** Sends a request with the bearer token and answers with the parsed JSON body. */
export type AuthorizedTransport = (request: HttpRequest) => Promise<unknown>;

/**
 * Adds `Authorization: Bearer` to every request. On a 401 the token is renewed once and the request
 * sent once more; a second 401 reaches the caller as OpcenterUnauthorizedError.
 */
export function createAuthorizedTransport(send: HttpTransport, tokens: TokenProvider): AuthorizedTransport {
  const withToken = (request: HttpRequest, token: string): HttpRequest => ({
    ...request,
    headers: { ...request.headers, Authorization: `Bearer ${token}` },
  });
  return async (request) => {
    const token = await tokens.token();
    try {
      return (await send(withToken(request, token))).body;
    } catch (error) {
      if (!(error instanceof OpcenterUnauthorizedError) || error.status !== 401) throw error;
      // Opcenter refuses before doing anything on a 401, so even a command may be sent again.
      return (await send(withToken(request, await tokens.renew(token)))).body;
    }
  };
}
