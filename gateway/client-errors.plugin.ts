import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';

/**
 * Gives runtime errors this project's codes (the upstream timeout's `GATEWAY_TIMEOUT` becomes
 * `UPSTREAM_UNAVAILABLE`) and strips what a client must not see: stack traces and URLs in messages.
 */
export function useClientErrors(): GatewayPlugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (Symbol.asyncIterator in Object(result)) return;
      const errors = (result as ExecutionResult).errors;
      if (errors?.length) setResult({ ...(result as ExecutionResult), errors: errors.map(toClientError) });
    },
  };
}

/** One error as a client may see it. */
export function toClientError(error: GraphQLError): GraphQLError {
  const extensions: Record<string, unknown> = { ...error.extensions };
  delete extensions.stacktrace;
  delete extensions.originalError;
  let message = error.message;
  if (extensions.code === 'GATEWAY_TIMEOUT') {
    extensions.code = 'UPSTREAM_UNAVAILABLE';
    message = `The ${typeof extensions.subgraph === 'string' ? extensions.subgraph : 'upstream'} service did not answer in time; try again shortly.`;
  }
  message = message.replace(/\b(?:https?|wss?):\/\/[^\s"')]+/g, '<internal URL>');
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}
