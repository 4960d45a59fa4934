import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { GraphQLError, OperationTypeNode, parse } from 'graphql';
import { useUpstreamTimeout } from './upstream-timeout.plugin';

type SubgraphExecuteHook = (payload: {
  subgraphName: string;
  executionRequest: ExecutionRequest;
  executor: Executor;
  setExecutor: (executor: Executor) => void;
}) => void;
type FetchHook = (payload: {
  executionRequest?: ExecutionRequest;
  options: { signal?: AbortSignal };
  setOptions: (options: { signal?: AbortSignal }) => void;
}) => void;

/**
 * The executor the plugin puts in place of `executor` for one request, or undefined when it leaves
 * it; `executor` gets the signal the plugin gives that request's fetch.
 */
function timedExecutor(
  timeoutMs: number,
  executionRequest: ExecutionRequest,
  executor: (request: ExecutionRequest, fetchSignal?: AbortSignal) => ReturnType<Executor>,
  executorSignal?: AbortSignal,
): Executor | undefined {
  let replaced: Executor | undefined;
  const plugin = useUpstreamTimeout(timeoutMs);
  const onFetch = plugin.onFetch as unknown as FetchHook;
  const fetching = ((request: ExecutionRequest) => {
    let options: { signal?: AbortSignal } = { signal: executorSignal };
    onFetch({ executionRequest: request, options, setOptions: (next) => (options = next) });
    return executor(request, options.signal);
  }) as Executor;
  (plugin.onSubgraphExecute as unknown as SubgraphExecuteHook)({
    subgraphName: 'execution',
    executionRequest,
    executor: fetching,
    setExecutor: (next) => (replaced = next),
  });
  return replaced;
}

const query: ExecutionRequest = { document: parse('{ slow }'), operationType: OperationTypeNode.QUERY };

describe('useUpstreamTimeout', () => {
  it('fails a subgraph request slower than the timeout with GATEWAY_TIMEOUT and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const executor = timedExecutor(20, query, (_request, fetchSignal) => {
      signal = fetchSignal;
      return new Promise(() => undefined);
    });
    const error = (await Promise.resolve(executor?.(query)).catch((e: unknown) => e)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions).toMatchObject({ code: 'GATEWAY_TIMEOUT', subgraph: 'execution', http: { status: 504 } });
    expect(signal?.aborted).toBe(true);
  });

  it("aborts the fetch when the HTTP executor's own signal aborts", async () => {
    const disposal = new AbortController();
    let signal: AbortSignal | undefined;
    const executor = timedExecutor(
      1000,
      query,
      (_request, fetchSignal) => {
        signal = fetchSignal;
        // Like fetch: rejects with the signal's reason once it aborts.
        return new Promise((_resolve, reject) => fetchSignal?.addEventListener('abort', () => reject(fetchSignal.reason as Error)));
      },
      disposal.signal,
    );
    const settled = Promise.resolve(executor?.(query)).catch((e: unknown) => e);
    disposal.abort(new Error('disposed'));
    expect(signal?.aborted).toBe(true);
    expect(await settled).toEqual(new Error('disposed'));
  });

  it('passes on the result of a subgraph request within the timeout', async () => {
    const executor = timedExecutor(1000, query, () => Promise.resolve({ data: { slow: 'late' } }));
    await expect(Promise.resolve(executor?.(query))).resolves.toEqual({ data: { slow: 'late' } });
  });

  it('leaves subscriptions without a timeout', () => {
    const subscription: ExecutionRequest = { document: parse('subscription { defectFound { id } }'), operationType: OperationTypeNode.SUBSCRIPTION };
    expect(timedExecutor(20, subscription, () => ({ data: null }))).toBeUndefined();
  });
});
