import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { parse } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Identity } from '../auth';
import { createSlowConsumerLimit } from '../subgraphs/shared/slow-consumer-limit';
import { useAuthentication } from './authentication.plugin';
import { useClientErrors } from './client-errors.plugin';
import type { GatewayConfig } from './config';
import { GatewayMetrics } from './metrics';
import { useMetrics } from './metrics.plugin';
import { useOperationLimits } from './operation-limits.plugin';
import { findUnreadySubgraphs } from './readiness';
import type { GatewayRequestContext } from './request-context';
import { createIdentitySigner, useSignedIdentity } from './signed-identity.plugin';
import { createSubgraphTransports, toTransportEntries } from './subgraph-transport';
import { createTokenVerifier } from './token-verifier';

/** A running gateway. */
export interface Gateway {
  /** Base URL; GraphQL (HTTP and graphql-ws) is at `${url}/graphql`. */
  url: string;
  /** Stops accepting connections, ends WebSocket sessions and disposes the runtime. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the federation gateway: Hive Gateway's runtime with the Rust query planner over the
 * supergraph file, serving `/graphql` (HTTP and graphql-ws), `/healthz`, `/readyz` and `/metrics`.
 * A graphql-ws client with more than `limits.maxBufferedAlerts` events waiting is disconnected (4429).
 */
export async function createGateway(config: GatewayConfig): Promise<Gateway> {
  const supergraph = parse(await readFile(resolve(config.supergraphPath), 'utf8'), { noLocation: true });
  const verifyToken = createTokenVerifier(config.auth);
  const metrics = new GatewayMetrics();
  const sign = createIdentitySigner(config.signingSecret);

  const runtime = createGatewayRuntime<GatewayRequestContext>({
    supergraph,
    ...(config.queryPlanner === 'rust' ? { unifiedGraphHandler } : {}),
    transports: createSubgraphTransports({
      sign,
      timeoutMs: config.limits.upstreamTimeoutMs,
      onRequest: (subgraph, outcome, seconds) => metrics.recordSubgraphRequest(subgraph, outcome, seconds),
    }),
    transportEntries: toTransportEntries(config.subgraphs),
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'Opcenter Insight Graph' } : false,
    landingPage: false,
    logging: config.logLevel,
    maskedErrors: { isDev: false },
    subgraphErrors: { errorCode: 'UPSTREAM_ERROR', subgraphNameProp: 'subgraph' },
    plugins: () => [
      useMetrics(metrics),
      useAuthentication(verifyToken),
      useOperationLimits(config.limits),
      useSignedIdentity(sign),
      useClientErrors(),
    ],
  });
  await runtime.getSchema();

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      runtime.logger.error(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const unready = await findUnreadySubgraphs(config.subgraphs);
      return sendJson(res, unready.length ? 503 : 200, unready.length ? { status: 'unavailable', unavailable: unready } : { status: 'ready' });
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render());
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      const body = await readBody(req, config.limits.maxBodyBytes);
      if (!body) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [{ message: `The request body is larger than ${config.limits.maxBodyBytes} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
        });
      }
      // The runtime's Node adapter uses an already-read body instead of the (consumed) stream.
      if (body.length > 0) (req as IncomingMessage & { body?: unknown }).body = toAdapterBody(req, body);
    }
    await runtime.requestListener(req, res);
  }

  const identities = new WeakMap<Context, Identity>();
  const webSockets = new WebSocketServer({ server, path: '/graphql' });
  const graphqlWs = useServer(
    {
      ...getGraphQLWSOptions<GatewayRequestContext, unknown>(runtime, (ctx) => ({ identity: identities.get(ctx as Context) })),
      onConnect: async (ctx) => {
        try {
          const authorization = ctx.connectionParams?.authorization;
          identities.set(ctx as Context, await verifyToken(typeof authorization === 'string' ? authorization : undefined));
          return true;
        } catch (error) {
          (ctx.extra as { socket: { close(code: number, reason: string): void } }).socket.close(4401, (error as Error).message.slice(0, 120));
          return false;
        }
      },
      onOperation: createSlowConsumerLimit(config.limits.maxBufferedAlerts, (ctx) => (ctx.extra as { socket: WebSocket }).socket),
    },
    webSockets,
  );

  let closing: Promise<void> | undefined;
  const closeServer = () =>
    (closing ??= (async () => {
      await graphqlWs.dispose();
      await new Promise<void>((done) => {
        webSockets.close(() => done());
      });
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    })());
  runtime.disposableStack.defer(closeServer);

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => done());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: async () => {
      await closeServer();
      if (!runtime.disposableStack.disposed) await runtime.dispose();
    },
  };
}

/** The body, or undefined when it is larger than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
      }
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * What the runtime's Node adapter gets as the already-read body: a JSON body that parses to a
 * non-empty object or array goes in parsed, so the runtime reads the GraphQL parameters from it
 * without building a body stream (and piping it through its own size limit) for every request.
 * Anything else goes in as bytes, for the runtime's own parsers and their error answers.
 */
function toAdapterBody(req: IncomingMessage, body: Buffer): unknown {
  const mediaType = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && mediaType !== 'application/graphql+json') return body;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0 ? parsed : body;
  } catch {
    return body;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
