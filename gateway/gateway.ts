import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { parse } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Identity } from '../auth';
import { useAuthentication } from './authentication.plugin';
import { useClientErrors } from './client-errors.plugin';
import type { GatewayConfig } from './config';
import { GatewayMetrics } from './metrics';
import { useMetrics } from './metrics.plugin';
import { useOperationLimits } from './operation-limits.plugin';
import { findUnreadySubgraphs } from './readiness';
import type { GatewayRequestContext } from './request-context';
import { useSignedIdentity } from './signed-identity.plugin';
import { subgraphTransports, toTransportEntries } from './subgraph-transport';
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
 */
export async function createGateway(config: GatewayConfig): Promise<Gateway> {
  const supergraph = parse(await readFile(resolve(config.supergraphPath), 'utf8'), { noLocation: true });
  const verifyToken = createTokenVerifier(config.auth);
  const metrics = new GatewayMetrics();

  const runtime = createGatewayRuntime<GatewayRequestContext>({
    supergraph,
    ...(config.queryPlanner === 'rust' ? { unifiedGraphHandler } : {}),
    transports: subgraphTransports,
    transportEntries: toTransportEntries(config.subgraphs),
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'Opcenter Insight Graph' } : false,
    landingPage: false,
    logging: config.logLevel,
    maskedErrors: { isDev: false },
    // The runtime's timeout ends a subscription when it fires; it is meant for requests, so subscriptions are exempt.
    upstreamTimeout: ({ executionRequest }) => (executionRequest?.operationType === 'subscription' ? undefined : config.limits.upstreamTimeoutMs),
    subgraphErrors: { errorCode: 'UPSTREAM_ERROR', subgraphNameProp: 'subgraph' },
    plugins: () => [
      useMetrics(metrics),
      useAuthentication(verifyToken),
      useOperationLimits(config.limits),
      useSignedIdentity(config.signingSecret),
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
      if (body.length > 0) (req as IncomingMessage & { body?: Buffer }).body = body;
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
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
