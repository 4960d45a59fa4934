import { Histogram, renderSamples } from '../observability/prometheus';

/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Operation type as the metrics label it: `unknown` when the operation never parsed. */
export type OperationTypeLabel = 'query' | 'mutation' | 'subscription' | 'unknown';

/**
 * How a subgraph request over HTTP ended: a result without errors (`ok`), a result with the
 * subgraph's errors (`errors`), no GraphQL result (`unavailable`), or no answer in time (`timeout`).
 */
export type SubgraphOutcome = 'ok' | 'errors' | 'unavailable' | 'timeout';

/**
 * The gateway's Prometheus metrics: operations, operations that returned errors, and latency, each
 * by operation type; and the requests to each subgraph, by outcome, with their latency. (The runtime
 * ships no Prometheus plugin of its own.)
 */
export class GatewayMetrics {
  private readonly errors = new Map<OperationTypeLabel, number>();
  private readonly duration = new Histogram(
    'gateway_operation_duration_seconds',
    'Time from receiving an operation to its result, by operation type.',
    BUCKETS,
  );
  /** Requests by `subgraph\noutcome`. */
  private readonly subgraphOutcomes = new Map<string, number>();
  private readonly subgraphDuration = new Histogram(
    'gateway_subgraph_request_duration_seconds',
    'Time from sending a query or mutation to a subgraph to its answer (or its failure), by subgraph.',
    BUCKETS,
  );

  /** Records one subgraph query or mutation over HTTP. */
  recordSubgraphRequest(subgraph: string, outcome: SubgraphOutcome, seconds: number): void {
    const key = `${subgraph}\n${outcome}`;
    this.subgraphOutcomes.set(key, (this.subgraphOutcomes.get(key) ?? 0) + 1);
    this.subgraphDuration.observe({ subgraph }, seconds);
  }

  /** Records one finished operation. */
  record(type: OperationTypeLabel, seconds: number, failed: boolean): void {
    this.errors.set(type, (this.errors.get(type) ?? 0) + (failed ? 1 : 0));
    this.duration.observe({ operation_type: type }, seconds);
  }

  /** The Prometheus text exposition. */
  render(): string {
    const types = [...this.errors.keys()];
    const lines = [
      ...renderSamples(
        'gateway_operations_total',
        'counter',
        'GraphQL operations handled, by operation type.',
        types.map((type) => [{ operation_type: type }, this.duration.countOf({ operation_type: type })]),
      ),
      ...renderSamples(
        'gateway_operation_errors_total',
        'counter',
        'GraphQL operations whose result carried errors, by operation type.',
        types.map((type) => [{ operation_type: type }, this.errors.get(type) ?? 0]),
      ),
      ...this.duration.render(),
      ...renderSamples(
        'gateway_subgraph_requests_total',
        'counter',
        'Queries and mutations sent to subgraphs, by subgraph and outcome (ok, errors, unavailable, timeout).',
        [...this.subgraphOutcomes].map(([key, count]) => {
          const [subgraph = '', outcome = ''] = key.split('\n');
          return [{ subgraph, outcome }, count];
        }),
      ),
      ...this.subgraphDuration.render(),
    ];
    return `${lines.join('\n')}\n`;
  }
}
