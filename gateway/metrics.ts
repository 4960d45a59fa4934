/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Operation type as the metrics label it: `unknown` when the operation never parsed. */
export type OperationTypeLabel = 'query' | 'mutation' | 'subscription' | 'unknown';

interface Series {
  requests: number;
  errors: number;
  /** Cumulative counts per bucket of BUCKETS, then +Inf. */
  buckets: number[];
  sum: number;
}

/**
 * The gateway's Prometheus metrics, in text exposition format 0.0.4: operations, operations that
 * returned errors, and latency, each by operation type. (prom-client is not a dependency, and the
 * runtime ships no Prometheus plugin of its own.)
 */
export class GatewayMetrics {
  private readonly series = new Map<OperationTypeLabel, Series>();

  /** Records one finished operation. */
  record(type: OperationTypeLabel, seconds: number, failed: boolean): void {
    let series = this.series.get(type);
    if (!series) {
      series = { requests: 0, errors: 0, buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0 };
      this.series.set(type, series);
    }
    series.requests += 1;
    if (failed) series.errors += 1;
    series.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets[i] = (series.buckets[i] ?? 0) + 1;
    });
    series.buckets[BUCKETS.length] = (series.buckets[BUCKETS.length] ?? 0) + 1;
  }

  /** The Prometheus text exposition. */
  render(): string {
    const lines = [
      '# HELP gateway_operations_total GraphQL operations handled, by operation type.',
      '# TYPE gateway_operations_total counter',
      ...[...this.series].map(([type, s]) => `gateway_operations_total{operation_type="${type}"} ${s.requests}`),
      '# HELP gateway_operation_errors_total GraphQL operations whose result carried errors, by operation type.',
      '# TYPE gateway_operation_errors_total counter',
      ...[...this.series].map(([type, s]) => `gateway_operation_errors_total{operation_type="${type}"} ${s.errors}`),
      '# HELP gateway_operation_duration_seconds Time from receiving an operation to its result, by operation type.',
      '# TYPE gateway_operation_duration_seconds histogram',
    ];
    for (const [type, s] of this.series) {
      BUCKETS.forEach((bound, i) => lines.push(`gateway_operation_duration_seconds_bucket{operation_type="${type}",le="${bound}"} ${s.buckets[i]}`));
      lines.push(`gateway_operation_duration_seconds_bucket{operation_type="${type}",le="+Inf"} ${s.buckets[BUCKETS.length]}`);
      lines.push(`gateway_operation_duration_seconds_sum{operation_type="${type}"} ${s.sum}`);
      lines.push(`gateway_operation_duration_seconds_count{operation_type="${type}"} ${s.requests}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
