import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Plant } from '../simulator';
import { TokenIssuer } from './auth/token-issuer';
import { EventDispatcher } from './events/event-dispatcher';
import { FaultInjector } from './http/fault-injector';
import { parseJson, readBody, sendError, sendJson } from './http/http-io';
import { handleODataRequest } from './http/odata-handler';
import { LiveRunner } from './live/live-runner';
import { ODataError } from './odata';
import { createStoreFromPlant } from './store/create-store-from-plant';
import type { EntityStore } from './store/entity-store';

/** Options of one emulator instance. */
export interface EmulatorOptions {
  plant: Plant;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Default 4100. */
  port?: number;
  /** Default 1,000. */
  maxPageSize?: number;
  /** Default 3,600. */
  tokenTtlSeconds?: number;
  clients: ReadonlyArray<{ id: string; secret: string }>;
  users: ReadonlyArray<{ username: string; password: string }>;
  /** Event subscriber URLs. Default none. */
  subscribers?: readonly string[];
  eventSecret?: string;
  /** Live production in boards per second; 0 or absent: no live production. */
  rate?: number;
  log?: (message: string) => void;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:4100 */
  readonly url: string;
  readonly store: EntityStore;
  readonly dispatcher: EventDispatcher;
  readonly issuer: TokenIssuer;
  readonly faults: FaultInjector;
  readonly live: LiveRunner | undefined;
  /** OData requests served so far (`/sit-svc/...`), by entity set or command name; tests count calls with it. */
  readonly requestCounts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Loads the plant into an indexed store and serves Opcenter's surface over HTTP. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const log = options.log ?? (() => undefined);
  const store = createStoreFromPlant(options.plant);
  const issuer = new TokenIssuer({
    clients: options.clients,
    users: options.users,
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
  });
  const dispatcher = new EventDispatcher({ subscribers: options.subscribers ?? [], secret: options.eventSecret, log });
  const faults = new FaultInjector();
  const requestCounts = new Map<string, number>();
  const odata = {
    store,
    maxPageSize: options.maxPageSize ?? 1000,
    maxBodyBytes: MAX_BODY_BYTES,
    checkPassword: (u: string, p: string) => issuer.checkPassword(u, p),
    onCommand: (name: string, user: string, result: Record<string, unknown>) =>
      log(`command ${name} by ${user}: ${JSON.stringify(result)}`),
  };
  const live = options.rate && options.rate > 0 ? new LiveRunner(options.plant, store, dispatcher, options.rate, log) : undefined;

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => fail(res, error, log));
  });
  server.keepAliveTimeout = 65_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (url.pathname.startsWith('/emulator/')) return admin(req, res, url);
    const isOpcenter = url.pathname.startsWith('/sit-svc/') || url.pathname.startsWith('/sit-auth/');
    if (!isOpcenter) throw new ODataError(404, 'NotFound', `Nothing at ${url.pathname}; OData is under /sit-svc/Application/{App}/odata/.`);
    const fault = faults.take();
    if (fault) {
      if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs).unref());
      if (fault.status !== 0) {
        throw new ODataError(fault.status, 'ServiceUnavailable', `Injected fault: HTTP ${fault.status}.`);
      }
    }
    if (url.pathname === '/sit-auth/OAuth/Token') return token(req, res);
    if (!url.pathname.startsWith('/sit-svc/')) throw new ODataError(404, 'NotFound', `Nothing at ${url.pathname}.`);
    const resource = /\/odata\/([^/(?]*)/.exec(url.pathname)?.[1] ?? '';
    requestCounts.set(resource, (requestCounts.get(resource) ?? 0) + 1);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const subject = bearer ? issuer.verify(bearer) : undefined;
    if (!subject) {
      const why = bearer ? 'The access token is invalid or expired; request a new one.' : 'Send Authorization: Bearer <token> from /sit-auth/OAuth/Token.';
      return sendError(res, new ODataError(401, 'Unauthorized', why), { 'www-authenticate': 'Bearer' });
    }
    return handleODataRequest(odata, req, res, url, subject.username);
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new ODataError(405, 'MethodNotAllowed', 'Request tokens with POST.');
    const form = new URLSearchParams(await readBody(req, 16 * 1024));
    const outcome = issuer.issue(form, basicCredentials(req));
    if (outcome.ok) return sendJson(res, 200, outcome.body, { 'cache-control': 'no-store' });
    const status = outcome.error === 'invalid_client' ? 401 : 400;
    sendJson(res, status, { error: outcome.error, error_description: outcome.description });
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (key) {
      case 'GET /emulator/health':
        return sendJson(res, 200, {
          status: 'ok',
          plant: options.plant.stats(),
          live: live?.stats() ?? null,
          subscribers: dispatcher.stats(),
          fault: faults.current() ?? null,
          memoryMiB: memoryMiB(),
          requests: Object.fromEntries(requestCounts),
        });
      case 'POST /emulator/subscribers':
      case 'DELETE /emulator/subscribers': {
        const body = parseJson(await readBody(req, 16 * 1024)) as { url?: unknown };
        if (typeof body?.url !== 'string') throw new ODataError(400, 'BadRequest', 'Send {"url": "http://..."}.');
        if (req.method === 'DELETE') dispatcher.unsubscribe(body.url);
        else {
          try {
            dispatcher.subscribe(body.url);
          } catch {
            throw new ODataError(400, 'BadRequest', `'${body.url}' is not a valid URL.`);
          }
        }
        return sendJson(res, 200, { subscribers: dispatcher.stats() });
      }
      case 'POST /emulator/faults': {
        const body = parseJson((await readBody(req, 16 * 1024)) || '{}') as Record<string, unknown>;
        try {
          return sendJson(res, 200, { fault: faults.set(body ?? {}) });
        } catch (error) {
          throw new ODataError(400, 'BadRequest', (error as Error).message);
        }
      }
      case 'DELETE /emulator/faults':
        faults.clear();
        return sendJson(res, 200, { fault: null });
      case 'POST /emulator/tokens/revoke':
        issuer.revokeAll();
        return sendJson(res, 200, { revoked: true });
      default:
        throw new ODataError(404, 'NotFound', `No emulator endpoint ${key}.`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4100, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  live?.start();

  return {
    url,
    store,
    dispatcher,
    issuer,
    faults,
    live,
    requestCounts,
    close: () => closeServer(server, live, dispatcher),
  };
}

async function closeServer(server: Server, live: LiveRunner | undefined, dispatcher: EventDispatcher): Promise<void> {
  live?.stop();
  dispatcher.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function memoryMiB(): { rss: number; heapUsed: number } {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: Math.round(rss / 2 ** 20), heapUsed: Math.round(heapUsed / 2 ** 20) };
}

/** The request's absolute URL on the host the client used, so links we return work for it. */
function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(req.url ?? '/', 'http://localhost');
  }
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** RFC 6749 §2.3.1: client credentials are form-encoded before Basic encoding. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function fail(res: ServerResponse, error: unknown, log: (message: string) => void): void {
  const odataError =
    error instanceof ODataError
      ? error
      : new ODataError(500, 'InternalError', 'The emulator failed to answer this request; see its log.');
  if (!(error instanceof ODataError)) log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, odataError);
}
