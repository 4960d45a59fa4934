import http from 'node:http';
import https from 'node:https';

/** One request as the transport sends it. */
export interface ExchangeRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Time limit of the whole exchange, from sending to the last byte of the answer, in ms. */
  readonly timeoutMs: number;
  /**
   * Whether the request may be sent twice (a read, a GraphQL query): one that meets a kept-alive
   * connection the server has just closed is sent again on a new connection. Default false.
   */
  readonly idempotent?: boolean;
}

/** Any answer, 2xx or not, with its whole body as text. */
export interface ExchangeResponse {
  readonly status: number;
  /** A response header by lower- or mixed-case name; null when absent. */
  header(name: string): string | null;
  readonly text: string;
}

/**
 * Sends one HTTP request and reads the whole answer. Rejects with an error named `TimeoutError` past
 * `timeoutMs`, and otherwise with an error whose `cause` is the system error (its `code`, e.g.
 * `ECONNREFUSED`, says whether the request ever left).
 */
export type HttpExchange = (url: string, request: ExchangeRequest) => Promise<ExchangeResponse>;

/** How long a free connection stays in the pool, at most, in ms (less when the server announces less). */
const FREE_CONNECTION_MS = 4_000;

/** Settings of the default exchange. */
export interface NodeHttpExchangeOptions {
  /** Most open connections to Opcenter at once; further requests wait for a free one. Default 64. */
  readonly maxSockets?: number;
}

/**
 * The default exchange: `node:http`/`node:https` over a keep-alive connection pool. It spends about
 * half the CPU of the global `fetch` per request (no WHATWG streams, Headers or AbortSignal), which
 * matters for the subgraphs and workers that call Opcenter for every query and every audit entry.
 */
export function createNodeHttpExchange(options: NodeHttpExchangeOptions = {}): HttpExchange {
  // `timeout` bounds how long a free connection is kept, and lets the pool honour a server's
  // `Keep-Alive: timeout=N` (it closes a free connection a second before the server would): without
  // it, a connection the server is closing as idle can be picked for the next request.
  const poolOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const, timeout: FREE_CONNECTION_MS };
  const agents = { 'http:': new http.Agent(poolOptions), 'https:': new https.Agent(poolOptions) };

  return (url, request) =>
    new Promise<ExchangeResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const send = secure ? https.request : http.request;
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
      let settled = false;
      let outgoing: http.ClientRequest;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outgoing.destroy();
        reject(error);
      };
      const attempt = (last: boolean) => {
        let answered = false;
        // The second attempt goes on a connection of its own: the pool's other free ones may be as stale.
        const agent = last ? false : secure ? agents['https:'] : agents['http:'];
        outgoing = send(
          target,
          { method: request.method, headers, agent },
          (incoming) => {
            answered = true;
            let text = '';
            incoming.setEncoding('utf8');
            incoming.on('data', (chunk: string) => {
              text += chunk;
            });
            incoming.on('error', (error) => fail(networkError(request.method, target, error)));
            incoming.on('end', () => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              resolve({ status: incoming.statusCode ?? 0, header: (name) => headerOf(incoming, name), text });
            });
          },
        );
        const sent = outgoing;
        sent.on('error', (error: NodeJS.ErrnoException) => {
          // The server closed a kept-alive connection just as this request went out on it: the
          // request was not read, so an idempotent one is sent once more on a new connection.
          const stale = sent.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
          if (!settled && stale && request.idempotent && !last) return attempt(true);
          fail(networkError(request.method, target, error));
        });
        sent.end(request.body);
      };
      const timer = setTimeout(() => fail(timeoutError(request.timeoutMs)), request.timeoutMs);
      attempt(false);
    });
}

/** Adapts a WHATWG `fetch` (a test's fault injector, or a proxy-aware one) to the exchange. */
export function exchangeViaFetch(fetchFn: typeof fetch): HttpExchange {
  return async (url, request) => {
    const response = await fetchFn(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, header: (name) => response.headers.get(name), text };
  };
}

function headerOf(incoming: http.IncomingMessage, name: string): string | null {
  const value = incoming.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function timeoutError(timeoutMs: number): Error {
  const error = new Error(`No complete answer within ${timeoutMs} ms`);
  error.name = 'TimeoutError';
  return error;
}

function networkError(method: string, target: URL, cause: Error): Error {
  return new Error(`${method} ${target.origin}${target.pathname} failed: ${cause.message}`, { cause });
}
