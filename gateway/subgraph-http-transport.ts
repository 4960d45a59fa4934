import { DisposableSymbols } from '@graphql-hive/gateway-runtime';
import { createGraphQLError, type ExecutionRequest, type ExecutionResult, type Executor } from '@graphql-tools/utils';
import { print, type DocumentNode, type GraphQLError } from 'graphql';
import { IDENTITY_HEADER } from '../auth';
import { createNodeHttpExchange, type ExchangeResponse, type HttpExchange } from '../opcenter/client/http-exchange';
import { describeConnectionFailure } from './client-errors.plugin';
import { UpstreamTimeoutError, UpstreamUnavailableError } from './errors';
import type { SubgraphOutcome } from './metrics';
import type { GatewayRequestContext } from './request-context';
import type { IdentitySigner } from './signed-identity.plugin';

/** A subgraph's transport entry, as the runtime gives it (the parts read here). */
interface TransportEntry {
  kind: string;
  subgraph: string;
  location?: string;
  headers?: unknown;
  options?: Record<string, unknown>;
}

/** What the runtime gives a transport for one subgraph (its `TransportGetSubgraphExecutorOptions`, the parts read here). */
export interface TransportPayload {
  subgraphName: string;
  transportEntry: TransportEntry;
  /** The executor of another transport kind, for the subscriptions of the same subgraph. */
  getTransportExecutor(entry: TransportEntry): Executor | Promise<Executor>;
}

/** A transport as the runtime takes it: an executor per subgraph, disposed with the runtime. */
export interface SubgraphTransport {
  getSubgraphExecutor(payload: TransportPayload): Executor;
}

/** What the HTTP transport needs from the gateway. */
export interface SubgraphHttpTransportOptions {
  /** Signs a request's caller into its `x-insight-identity` header. */
  sign: IdentitySigner;
  /** A query or mutation without an answer after this many ms gets `UPSTREAM_UNAVAILABLE` (HTTP 504). */
  timeoutMs: number;
  /** The connection pool; default a keep-alive `node:http` pool without a connection limit. */
  exchange?: HttpExchange;
  /** Told of every query and mutation sent: how it ended and how long it took (for `/metrics`). */
  onRequest?: (subgraph: string, outcome: SubgraphOutcome, seconds: number) => void;
}

const ACCEPT = 'application/graphql-response+json, application/json';

/**
 * The gateway's subgraph transport for queries and mutations: a JSON POST over a keep-alive
 * `node:http` pool, with the caller's signed identity and the upstream deadline applied here rather
 * than in `onFetch` hooks. It stands in for the runtime's `@graphql-mesh/transport-http`, whose WHATWG `fetch`,
 * `AbortSignal`s and hook chain cost about a tenth of the gateway's CPU on a one-subgraph query.
 * Subscriptions go to the transport the entry's `subscriptions.kind` names (graphql-ws here).
 *
 * Failures come back as results, so the fields of the other subgraphs still resolve: a refused or
 * dropped connection or an answer that is no GraphQL result gives `UPSTREAM_UNAVAILABLE`, as does
 * the deadline (with HTTP 504 in its extensions). Identical requests in flight are never merged:
 * two callers' requests carry different identities.
 */
export function createSubgraphHttpTransport(options: SubgraphHttpTransportOptions): SubgraphTransport {
  const exchange = options.exchange ?? createNodeHttpExchange({ maxSockets: Infinity });
  const printed = new WeakMap<DocumentNode, string>();
  const queryOf = (document: DocumentNode): string => {
    let query = printed.get(document);
    if (query === undefined) printed.set(document, (query = print(document)));
    return query;
  };

  return {
    getSubgraphExecutor(payload: TransportPayload) {
      const { subgraphName } = payload;
      const url = payload.transportEntry.location;
      if (!url) throw new Error(`The ${subgraphName} subgraph has no URL in its transport entry.`);

      const send = async (request: ExecutionRequest): Promise<ExecutionResult> => {
        const context = (request.context ?? {}) as GatewayRequestContext;
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT };
        if (context.identity) {
          const token = options.sign(context.identity);
          headers[IDENTITY_HEADER] = typeof token === 'string' ? token : await token;
        }
        const body = JSON.stringify({
          query: queryOf(request.document),
          variables: request.variables,
          operationName: request.operationName,
          extensions: request.extensions && Object.keys(request.extensions).length > 0 ? request.extensions : undefined,
        });
        const started = performance.now();
        const report = (outcome: SubgraphOutcome) => options.onRequest?.(subgraphName, outcome, (performance.now() - started) / 1000);
        let response: ExchangeResponse;
        try {
          const idempotent = request.operationType === 'query';
          response = await exchange(url, { method: 'POST', headers, body, timeoutMs: options.timeoutMs, idempotent });
        } catch (error) {
          const timedOut = (error as Error).name === 'TimeoutError';
          report(timedOut ? 'timeout' : 'unavailable');
          return { errors: [timedOut ? new UpstreamTimeoutError(subgraphName) : new UpstreamUnavailableError(subgraphName, describeConnectionFailure(error))] };
        }
        const { result, outcome } = toResult(subgraphName, response);
        report(outcome);
        return result;
      };

      const subscriptions = payload.transportEntry.options?.subscriptions as { kind?: string; location?: string; options?: object } | undefined;
      let subscribe: Executor | Promise<Executor> | undefined;
      const subscribeExecutor = (): Executor | Promise<Executor> =>
        (subscribe ??= payload.getTransportExecutor({
          ...payload.transportEntry,
          kind: subscriptions?.kind ?? payload.transportEntry.kind,
          // WebSockets carry no headers: the signed identity travels in `connectionParams`.
          headers: undefined,
          location: subscriptions?.location ? new URL(subscriptions.location, url).toString() : url,
          options: { ...payload.transportEntry.options, ...subscriptions?.options, subscriptions: undefined },
        }));

      const executor = ((request: ExecutionRequest) => {
        if (request.operationType !== 'subscription') return send(request);
        if (!subscriptions) return { errors: [new UpstreamUnavailableError(subgraphName, 'it takes no subscriptions')] };
        return Promise.resolve(subscribeExecutor()).then((subscriber) => subscriber(request));
      }) as Executor & { [key: symbol]: () => Promise<void> };
      executor[DisposableSymbols.asyncDispose] = async () => {
        const subscriber = (await subscribe) as (Executor & Partial<Record<symbol, () => unknown>>) | undefined;
        await subscriber?.[DisposableSymbols.asyncDispose]?.();
      };
      return executor;
    },
  };
}

/** A subgraph's answer as a GraphQL result, or `UPSTREAM_UNAVAILABLE` when it is none. */
function toResult(subgraphName: string, response: ExchangeResponse): { result: ExecutionResult; outcome: SubgraphOutcome } {
  const notGraphQL = () => ({
    result: { errors: [new UpstreamUnavailableError(subgraphName, `it answered HTTP ${response.status} without a GraphQL result`)] },
    outcome: 'unavailable' as const,
  });
  let parsed: { data?: Record<string, unknown> | null; errors?: unknown; extensions?: Record<string, unknown> };
  try {
    parsed = JSON.parse(response.text) as typeof parsed;
  } catch {
    return notGraphQL();
  }
  if (typeof parsed !== 'object' || parsed === null) return notGraphQL();
  const errors = Array.isArray(parsed.errors) && parsed.errors.length > 0 ? parsed.errors : undefined;
  if (parsed.data == null && !errors) return notGraphQL();
  if (!errors) return { result: parsed as ExecutionResult, outcome: 'ok' };
  return { result: { ...parsed, errors: errors.map(toGraphQLError) } as ExecutionResult, outcome: 'errors' };
}

/** A subgraph's error object, with its path, locations and extensions, as a `GraphQLError`. */
function toGraphQLError(error: unknown): GraphQLError {
  const { message, ...rest } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown } & Record<string, unknown>;
  return createGraphQLError(typeof message === 'string' ? message : 'The subgraph reported an error without a message.', rest);
}
