import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake Opcenter received it. */
export interface FakeRequest {
  readonly method: string;
  /** Full URL; read query options decoded with `url.searchParams.get('$filter')`. */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the fake answers: JSON with a status, or nothing at all (`hang`, to provoke timeouts). */
export interface FakeReply {
  /** Default 200. */
  readonly status?: number;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly hang?: boolean;
}

/** Behaviour of the fake. */
export interface FakeOpcenterOptions {
  /** `expires_in` of issued tokens, in seconds (fractions allowed). Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Answers a token request instead of the built-in issuer when it returns a reply. */
  readonly token?: (request: FakeRequest) => FakeReply | undefined;
  /** Answers every request but the token endpoint, once its bearer token checked out. Default 404. */
  readonly handle?: (request: FakeRequest) => FakeReply | Promise<FakeReply>;
}

/** A running fake. */
export interface FakeOpcenter {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Requests to the token endpoint. */
  tokenRequests(): FakeRequest[];
  /** Every other request. */
  dataRequests(): FakeRequest[];
  /** Forgets every issued token, so the next data request gets a 401. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const TOKEN_PATH = '/sit-auth/OAuth/Token';

/**
 * A small stand-in for Opcenter's HTTP surface, for the client's unit tests (and any other unit
 * test that needs a client without the emulator): a password-grant token endpoint that issues
 * opaque tokens, bearer checking, and data answers from `handle`. Listens on 127.0.0.1, port 0.
 */
export async function startFakeOpcenter(options: FakeOpcenterOptions = {}): Promise<FakeOpcenter> {
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const tokens = new Map<string, number>();
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      void answer(request).then(
        (reply) => send(res, reply),
        () => send(res, { status: 500, json: { error: { code: 'FakeFailure', message: 'handler threw' } } }),
      );
    });
  });

  async function answer(request: FakeRequest): Promise<FakeReply> {
    if (request.url.pathname === TOKEN_PATH) {
      const custom = options.token?.(request);
      if (custom) return custom;
      const token = randomBytes(12).toString('hex');
      tokens.set(token, Date.now() + lifetime * 1000);
      return { json: { access_token: token, token_type: 'bearer', expires_in: lifetime } };
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      return { status: 401, json: { error: { code: 'Unauthorized', message: 'Invalid or expired token' } } };
    }
    if (options.handle) return options.handle(request);
    return { status: 404, json: { error: { code: 'NotFound', message: 'No route' } } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tokenRequests: () => requests.filter((r) => r.url.pathname === TOKEN_PATH),
    dataRequests: () => requests.filter((r) => r.url.pathname !== TOKEN_PATH),
    revokeTokens: () => tokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (reply.hang) return;
  const body = reply.json === undefined ? '' : JSON.stringify(reply.json);
  res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
  res.end(body);
}
