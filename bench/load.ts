import { createNodeHttpExchange, type HttpExchange } from '../opcenter/client';

/** Longest wait for one answer before it counts as failed (status 0), ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Latency and throughput of a load run. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Count of failed requests by HTTP status (0: no answer). */
  statuses: Record<number, number>;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanBytes: number;
  /** Status and body (first 2,000 characters) of the first failed request, if any failed. */
  firstFailure?: string;
  /** Seconds the run lasted. */
  elapsedSeconds: number;
  /** Every request's latency, ascending, ms: only with `keepLatencies`, to merge runs. */
  latenciesMs?: number[];
}

/** One request of a load run. */
export interface LoadRequest {
  url: string;
  /** Default GET. */
  method?: 'GET' | 'POST';
  body?: string;
}

/** What `runLoad` sends: a URL (GET) or a full request per index. */
export type LoadTarget = { nextUrl: (i: number) => string } | { nextRequest: (i: number) => LoadRequest };

/**
 * Runs `concurrency` loops that each send one request at a time for `durationMs`, picking the next
 * request with `nextUrl(i)` or `nextRequest(i)` so requests vary (no cache or deduplication measures
 * itself). A request fails on a non-2xx status, no answer, or a body that `isFailure` rejects.
 * Requests go over one keep-alive connection per loop with `node:http`, which costs the shared
 * cores about half the CPU of `fetch` per request (as a load generator such as autocannon does).
 */
export async function runLoad(
  options: LoadTarget & {
    concurrency: number;
    durationMs: number;
    headers: Record<string, string>;
    /** Tells a failed answer from a 2xx body (GraphQL errors arrive with status 200). */
    isFailure?: (body: string) => boolean;
    /**
     * Open loop: send requests at this rate whatever the answers' pace, at most `concurrency` at a
     * time (one due while all are busy waits for a free one), and time each from when it was due, so
     * a slow answer counts for the requests it held up too. Default: closed loop, each of the
     * `concurrency` connections sending its next request when its last one is answered.
     */
    ratePerSecond?: number;
    /** Return every latency too (`latenciesMs`), for {@link mergeLoadResults}. Default false. */
    keepLatencies?: boolean;
    /**
     * The connections to send over, to keep them open across runs against one target (made with
     * `createNodeHttpExchange({ maxSockets: concurrency })`). Default: new ones for this run.
     */
    exchange?: HttpExchange;
  },
): Promise<LoadResult> {
  const next = 'nextRequest' in options ? options.nextRequest : (i: number): LoadRequest => ({ url: options.nextUrl(i) });
  const exchange = options.exchange ?? createNodeHttpExchange({ maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const statuses: Record<number, number> = {};
  let firstFailure: string | undefined;
  let bytes = 0;
  let counter = 0;
  const fail = (status: number, detail: string) => {
    errors += 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    firstFailure ??= `HTTP ${status || 'no answer'}: ${detail.slice(0, 2000)}`;
  };
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  /** Sends request `i` and records its latency from `since` (when it was sent, or when it was due). */
  const send = async (i: number, since: number) => {
    const request = next(i);
    try {
      const { status, text } = await exchange(request.url, {
        method: request.method ?? 'GET',
        body: request.body,
        headers: options.headers,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      if (status < 200 || status >= 300) fail(status, text);
      else if (options.isFailure?.(text)) fail(status, text);
      bytes += Buffer.byteLength(text);
    } catch (error) {
      fail(0, String(error));
    }
    latencies.push(performance.now() - since);
  };
  if (options.ratePerSecond === undefined) {
    const loop = async () => {
      while (performance.now() < deadline) await send(counter++, performance.now());
    };
    await Promise.all(Array.from({ length: options.concurrency }, loop));
  } else {
    await paced(options.ratePerSecond, options.concurrency, started, deadline, (due) => send(counter++, due));
  }
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    statuses,
    rps: latencies.length / elapsed,
    p50Ms: quantileOf(latencies, 0.5),
    p99Ms: quantileOf(latencies, 0.99),
    meanBytes: latencies.length ? bytes / latencies.length : 0,
    firstFailure,
    elapsedSeconds: elapsed,
    ...(options.keepLatencies ? { latenciesMs: latencies } : {}),
  };
}

/**
 * Calls `send(due)` for each request due at `rate` per second from `started` until `deadline`, at most
 * `concurrency` unanswered at once, and resolves when every request due has been answered.
 */
function paced(rate: number, concurrency: number, started: number, deadline: number, send: (due: number) => Promise<void>): Promise<void> {
  const interval = 1000 / rate;
  const waiting: number[] = [];
  let scheduled = 0;
  let inFlight = 0;
  let ticking = true;
  return new Promise((resolve) => {
    const dispatch = () => {
      while (inFlight < concurrency && waiting.length > 0) {
        inFlight += 1;
        void send(waiting.shift() as number).finally(() => {
          inFlight -= 1;
          dispatch();
        });
      }
      if (!ticking && inFlight === 0 && waiting.length === 0) resolve();
    };
    const tick = () => {
      const now = performance.now();
      for (let due = started + scheduled * interval; due <= now && due < deadline; due = started + scheduled * interval) {
        waiting.push(due);
        scheduled += 1;
      }
      ticking = now < deadline;
      dispatch();
      if (ticking) setTimeout(tick, Math.max(0, Math.min(interval, deadline - now)));
    };
    tick();
  });
}

/**
 * One result from several runs against the same target (made with `keepLatencies`): requests over
 * their summed time, quantiles over all their latencies.
 */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latenciesMs ?? []).sort((a, b) => a - b);
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const elapsed = results.reduce((sum, r) => sum + r.elapsedSeconds, 0);
  const statuses: Record<number, number> = {};
  for (const r of results) for (const [status, count] of Object.entries(r.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count;
  const firstFailure = results.find((r) => r.firstFailure !== undefined)?.firstFailure;
  return {
    requests,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    statuses,
    rps: elapsed > 0 ? requests / elapsed : 0,
    p50Ms: quantileOf(latencies, 0.5),
    p99Ms: quantileOf(latencies, 0.99),
    meanBytes: requests ? results.reduce((sum, r) => sum + r.meanBytes * r.requests, 0) / requests : 0,
    ...(firstFailure !== undefined ? { firstFailure } : {}),
    elapsedSeconds: elapsed,
  };
}

function quantileOf(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
