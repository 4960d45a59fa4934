import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST } from 'graphql';
import type { GatewayMetrics, OperationTypeLabel } from './metrics';

/** Feeds `GatewayMetrics`: one sample per operation, from receiving its parameters to its result. */
export function useMetrics(metrics: GatewayMetrics): GatewayPlugin {
  const started = new WeakMap<object, number>();
  const types = new WeakMap<object, OperationTypeLabel>();
  return {
    onParams({ context }) {
      started.set(context, performance.now());
    },
    onParse({ context }) {
      return ({ result }) => {
        if (result && !(result instanceof Error) && 'kind' in result) {
          const params = (context as { params?: { operationName?: string | null } }).params;
          const operation = getOperationAST(result, params?.operationName);
          if (operation) types.set(context, operation.operation as OperationTypeLabel);
        }
      };
    },
    onExecutionResult({ result, context }) {
      const start = started.get(context);
      if (start === undefined) return;
      started.delete(context);
      const failed = !(Symbol.asyncIterator in Object(result)) && Boolean((result as { errors?: unknown[] }).errors?.length);
      metrics.record(types.get(context) ?? 'unknown', (performance.now() - start) / 1000, failed);
    },
  };
}
