/** Latency and throughput of a closed-loop load run. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Count of failed requests by HTTP status (0: no answer). */
  statuses: Record<number, number>;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanBytes: number;
}

/**
 * Runs `concurrency` loops that each send one request at a time for `durationMs`, picking the next URL
 * with `nextUrl(i)` so requests vary (no cache or deduplication measures itself).
 */
export async function runLoad(options: {
  concurrency: number;
  durationMs: number;
  nextUrl: (i: number) => string;
  headers: Record<string, string>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const statuses: Record<number, number> = {};
  let bytes = 0;
  let counter = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  const loop = async () => {
    while (performance.now() < deadline) {
      const url = options.nextUrl(counter++);
      const t0 = performance.now();
      try {
        const response = await fetch(url, { headers: options.headers });
        const body = await response.arrayBuffer();
        if (!response.ok) {
          errors += 1;
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        }
        bytes += body.byteLength;
      } catch {
        errors += 1;
        statuses[0] = (statuses[0] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    statuses,
    rps: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanBytes: latencies.length ? bytes / latencies.length : 0,
  };
}
