import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { GraphQLError, print } from 'graphql';
import { UpstreamUnavailableError } from './errors';

/** The fetch the runtime hands transports: it runs the plugins' `onFetch` hooks (identity header, timeout). */
type RuntimeFetch = (
  url: string,
  init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> },
  context?: unknown,
  info?: never,
) => Response | Promise<Response>;

/** What the runtime passes a transport for one subgraph (the parts this transport reads). */
interface TransportOptions {
  subgraphName: string;
  transportEntry: { location?: string };
  fetch?: RuntimeFetch;
}

/**
 * The `http` transport: GraphQL over HTTP POST to a subgraph's `/graphql`, through the runtime's fetch.
 * (`@graphql-mesh/transport-http`, the runtime's default, is not a dependency of this project.)
 * A subgraph that cannot be reached, or that answers without a GraphQL result, gives
 * `UPSTREAM_UNAVAILABLE` errors on its fields; the rest of the response still returns.
 */
export const httpTransport = {
  getSubgraphExecutor({ subgraphName, transportEntry, fetch: runtimeFetch }: TransportOptions): Executor {
    const location = transportEntry.location;
    const send: RuntimeFetch = runtimeFetch ?? ((url, init) => fetch(url, init));
    return async (request: ExecutionRequest): Promise<ExecutionResult> => {
      if (!location) return { errors: [new UpstreamUnavailableError(subgraphName, 'no URL configured')] };
      if (request.operationType === 'subscription') {
        return {
          errors: [new GraphQLError(`Subscriptions to the ${subgraphName} service are not supported yet.`, { extensions: { code: 'UPSTREAM_UNAVAILABLE', subgraph: subgraphName } })],
        };
      }
      let response: Response;
      try {
        response = await send(
          location,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
            body: JSON.stringify({ query: print(request.document), variables: request.variables, operationName: request.operationName }),
            signal: request.signal,
          },
          request.context,
          { executionRequest: request } as never,
        );
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        return { errors: [new UpstreamUnavailableError(subgraphName, describeNetworkError(error))] };
      }
      const text = await response.text();
      const result = parseResult(text);
      if (result) return result;
      return { errors: [new UpstreamUnavailableError(subgraphName, `it answered HTTP ${response.status} without a GraphQL result`)] };
    };
  },
};

function parseResult(text: string): ExecutionResult | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    if (!('data' in value) && !Array.isArray((value as { errors?: unknown }).errors)) return undefined;
    return value as ExecutionResult;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  return code === 'ECONNREFUSED' ? 'connection refused' : typeof code === 'string' ? code : 'not reachable';
}
