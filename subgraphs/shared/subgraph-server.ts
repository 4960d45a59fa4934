import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createIdentityVerifier, IDENTITY_HEADER, type Identity } from '../../auth';
import type { OpcenterClient } from '../../opcenter/client';
import type { AiInsights } from './ai-insights';
import { toGraphQLError } from './errors';
import { createSlowConsumerLimit, DEFAULT_MAX_BUFFERED_EVENTS } from './slow-consumer-limit';
import { createSubgraphContext, type SubgraphContext } from './subgraph-context';

/** Options of one subgraph's HTTP server. */
export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Secret that verifies the gateway's signed identity header. */
  signingSecret: string;
  opcenter: OpcenterClient;
  /** Where AI fields read and request insights; absent in subgraphs without AI fields. */
  ai?: AiInsights;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Subscription events one graphql-ws connection may have waiting to be sent; past it the connection is
   * closed with 4429 (see slow-consumer-limit.ts). Default 1000.
   */
  maxBufferedEvents?: number;
  log?: (message: string) => void;
}

/** A running subgraph. */
export interface SubgraphServer {
  /** Base URL; GraphQL is at `${url}/graphql`. */
  url: string;
  close(): Promise<void>;
}

/** Codes that reach clients as they are; anything else is reported as an internal error. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Serves a subgraph schema at `/graphql` (and `/healthz`): HTTP POST for queries and mutations,
 * graphql-ws on the same path for subscriptions. Every GraphQL request must carry the gateway's signed
 * identity (the `x-insight-identity` header, or the same key in graphql-ws `connectionParams`, since
 * WebSocket clients cannot set headers): calling a subgraph directly bypasses nothing. A WebSocket
 * without a valid identity is closed with code 4401, one that falls too far behind with 4429.
 */
export async function startSubgraphServer(options: SubgraphServerOptions): Promise<SubgraphServer> {
  const verifyIdentity = createIdentityVerifier(options.signingSecret);
  const log = options.log ?? (() => undefined);
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) => formatClientError(formatted, error, log),
  });
  await apollo.start();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: options.name });
    if (url.pathname !== '/graphql') return sendJson(res, 404, { errors: [{ message: `Nothing at ${url.pathname}; GraphQL is at /graphql.` }] });

    const identity = await verifyIdentity(header(req, IDENTITY_HEADER));
    if (!identity) {
      return sendJson(res, 401, {
        errors: [{ message: `Requests must come through the gateway (missing or invalid ${IDENTITY_HEADER}).`, extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    const text = await readBody(req, options.maxBodyBytes ?? 1024 * 1024);
    if (text === undefined) {
      return sendJson(res, 413, { errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body },
      context: async () => createSubgraphContext(identity, options.opcenter, options.ai),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  const identities = new WeakMap<Context, Identity>();
  const webSockets = new WebSocketServer({ server, path: '/graphql' });
  const graphqlWs = useServer(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[IDENTITY_HEADER];
        const identity = await verifyIdentity(typeof token === 'string' ? token : undefined);
        if (identity) {
          identities.set(ctx as Context, identity);
          return true;
        }
        (ctx.extra as { socket: WebSocket }).socket.close(4401, `Connections must come through the gateway (missing or invalid ${IDENTITY_HEADER}).`);
        return false;
      },
      context: (ctx) => createSubgraphContext(identities.get(ctx as Context) as Identity, options.opcenter, options.ai),
      onOperation: createSlowConsumerLimit(options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS, (ctx) => (ctx.extra as { socket: WebSocket }).socket),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatClientError(error.toJSON(), error, log)) } : undefined,
    },
    webSockets,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      (closing ??= (async () => {
        await graphqlWs.dispose();
        await new Promise<void>((resolve) => {
          webSockets.close(() => resolve());
        });
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await apollo.stop();
      })()),
  };
}

function formatClientError(formatted: GraphQLFormattedError, error: unknown, log: (message: string) => void): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
  const original = unwrapResolverError(error);
  const mapped = original instanceof GraphQLError ? original : toGraphQLError(original);
  if (mapped.extensions.code === 'INTERNAL_SERVER_ERROR') log(`internal error: ${(original as Error)?.stack ?? String(original)}`);
  return { message: mapped.message, locations: formatted.locations, path: formatted.path, extensions: { ...mapped.extensions } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
