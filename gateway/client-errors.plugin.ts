import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isAsyncIterable, mapAsyncIterator, type ExecutionRequest, type Executor } from '@graphql-tools/utils';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { UpstreamUnavailableError } from './errors';

/** Codes the HTTP executor gives a subgraph request that failed or did not get a GraphQL result. */
const TRANSPORT_FAILURES = new Set(['SUBREQUEST_HTTP_ERROR', 'RESPONSE_VALIDATION_FAILED']);

/**
 * Gives runtime errors this project's codes (a subgraph that cannot be reached or answers without a
 * GraphQL result, and the upstream timeout's `GATEWAY_TIMEOUT`, become `UPSTREAM_UNAVAILABLE`) and
 * strips what a client must not see: stack traces and URLs in messages.
 */
export function useClientErrors(): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      if (executionRequest.operationType === 'subscription') setExecutor(withUpstreamFailures(subgraphName, executor));
      const toUpstream = (result: ExecutionResult): ExecutionResult | undefined =>
        result.errors?.some(isTransportFailure)
          ? { ...result, errors: result.errors.map((error) => (isTransportFailure(error) ? toUpstreamUnavailable(subgraphName, error) : error)) }
          : undefined;
      return ({ result, setResult }) => {
        if (Symbol.asyncIterator in Object(result)) return { onNext: ({ result: next, setResult: setNext }) => void mapWith(toUpstream, next, setNext) };
        mapWith(toUpstream, result as ExecutionResult, setResult);
      };
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
  let message = error.message;
  if (extensions.code === 'GATEWAY_TIMEOUT') {
    extensions.code = 'UPSTREAM_UNAVAILABLE';
    message = `The ${typeof extensions.subgraph === 'string' ? extensions.subgraph : 'upstream'} service did not answer in time; try again shortly.`;
  }
  message = message.replace(/\b(?:https?|wss?):\/\/[^\s"')]+/g, '<internal URL>');
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

function mapWith(map: (result: ExecutionResult) => ExecutionResult | undefined, result: ExecutionResult, set: (result: ExecutionResult) => void): void {
  const mapped = map(result);
  if (mapped) set(mapped);
}

function isTransportFailure(error: GraphQLError): boolean {
  return typeof error.extensions.code === 'string' && TRANSPORT_FAILURES.has(error.extensions.code);
}

function toUpstreamUnavailable(subgraph: string, error: GraphQLError): UpstreamUnavailableError {
  const status = (error.extensions.response as { status?: unknown } | undefined)?.status;
  if (typeof status === 'number') return new UpstreamUnavailableError(subgraph, `it answered HTTP ${status} without a GraphQL result`);
  return new UpstreamUnavailableError(subgraph, describeConnectionFailure(error.originalError));
}

/**
 * Why a subgraph could not be reached, without its address: the network error's code (fetch puts it
 * in `cause`, a WebSocket `ErrorEvent` in `error`) or a WebSocket close code.
 */
function describeConnectionFailure(error: unknown): string {
  const failure = error as { code?: unknown; cause?: { code?: unknown }; error?: { code?: unknown } } | undefined;
  const code = failure?.cause?.code ?? failure?.error?.code ?? failure?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (typeof code === 'number') return `it closed the connection with code ${code}`;
  return typeof code === 'string' ? code : 'not reachable';
}
