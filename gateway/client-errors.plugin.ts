import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isAsyncIterable, mapAsyncIterator, type ExecutionRequest, type Executor } from '@graphql-tools/utils';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { UpstreamUnavailableError } from './errors';

/**
 * Strips what a client must not see from errors (stack traces, the subgraph request, URLs in
 * messages), and ends a subscription whose subgraph connection fails with `UPSTREAM_UNAVAILABLE`.
 * (Queries and mutations get `UPSTREAM_UNAVAILABLE` from the subgraph transport itself.)
 */
export function useClientErrors(): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType === 'subscription') setExecutor(withUpstreamFailures(subgraphName, executor));
    },
    onExecutionResult({ result, setResult }) {
      if (Symbol.asyncIterator in Object(result)) return;
      const errors = (result as ExecutionResult).errors;
      if (errors?.length) setResult({ ...(result as ExecutionResult), errors: errors.map(toClientError) });
    },
  };
}

/** One error as a client may see it. */
export function toClientError(error: GraphQLError): GraphQLError {
  // `request` and `response` describe the subgraph request (its URL included); `serviceName` is the Rust planner's `subgraph`.
  const { stacktrace: _stacktrace, originalError: _originalError, request: _request, response: _response, serviceName, ...extensions } = error.extensions;
  if (typeof serviceName === 'string') extensions.subgraph ??= serviceName;
  const message = error.message.replace(/\b(?:https?|wss?):\/\/[^\s"')]+/g, '<internal URL>');
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/** A subscription whose subgraph connection fails ends with one `UPSTREAM_UNAVAILABLE` event. */
function withUpstreamFailures(subgraph: string, executor: Executor): Executor {
  const toResult = (error: unknown): ExecutionResult => {
    if (error instanceof GraphQLError) throw error;
    return { errors: [new UpstreamUnavailableError(subgraph, describeConnectionFailure(error))] };
  };
  return (async (request: ExecutionRequest) => {
    try {
      const result = (await executor(request)) as ExecutionResult | AsyncIterable<ExecutionResult>;
      // Not an async generator: its return() would wait for the next event, keeping the upstream subscription open.
      return isAsyncIterable(result) ? mapAsyncIterator(result, (event) => event, toResult) : result;
    } catch (error) {
      return toResult(error);
    }
  }) as Executor;
}

/**
 * Why a subgraph could not be reached, without its address: the network error's code (the HTTP
 * exchange and fetch put it in `cause`, a WebSocket `ErrorEvent` in `error`) or a WebSocket close code.
 */
export function describeConnectionFailure(error: unknown): string {
  const failure = error as { code?: unknown; cause?: { code?: unknown }; error?: { code?: unknown } } | undefined;
  const code = failure?.cause?.code ?? failure?.error?.code ?? failure?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (typeof code === 'number') return `it closed the connection with code ${code}`;
  return typeof code === 'string' ? code : 'not reachable';
}
