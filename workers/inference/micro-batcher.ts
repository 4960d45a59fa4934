/** Limits of one micro-batch. */
export interface MicroBatchOptions {
  /** Rows after which a batch runs at once (default 16,384). */
  readonly maxRows: number;
  /** How long the first waiting request may wait for company, ms (default 10). */
  readonly maxWaitMs: number;
}

/** Counters of a batcher, for metrics. */
export interface MicroBatchStats {
  readonly batches: number;
  readonly requests: number;
  readonly rows: number;
  /** Rows of the last batch run. */
  readonly lastBatchRows: number;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly rows: number;
  resolve(value: O): void;
  reject(reason: unknown): void;
}

/**
 * Serves many concurrent requests with few model runs: requests that arrive while a batch is
 * being collected or run join the next batch, which runs when it holds `maxRows` rows or its first
 * request has waited `maxWaitMs`. One batch runs at a time; a failed run fails every request in it.
 */
export class MicroBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private counters = { batches: 0, requests: 0, rows: 0, lastBatchRows: 0 };

  /**
   * @param run scores a batch; returns one result per item, in order
   * @param rowsOf how many model rows an item contributes
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly rowsOf: (item: I) => number,
    private readonly options: MicroBatchOptions = { maxRows: 16_384, maxWaitMs: 10 },
  ) {}

  get stats(): MicroBatchStats {
    return { ...this.counters };
  }

  /** Queues one item; resolves with its result once its batch has run. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const rows = this.rowsOf(item);
      this.queue.push({ item, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxRows) this.flushSoon(0);
      else this.flushSoon(this.options.maxWaitMs);
    });
  }

  private flushSoon(delayMs: number): void {
    if (this.running) return;
    if (this.timer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch: Waiting<I, O>[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Waiting<I, O>;
      if (batch.length > 0 && rows + next.rows > this.options.maxRows) break;
      batch.push(next);
      rows += next.rows;
      this.queue.shift();
    }
    this.queuedRows -= rows;
    this.counters = {
      batches: this.counters.batches + 1,
      requests: this.counters.requests + batch.length,
      rows: this.counters.rows + rows,
      lastBatchRows: rows,
    };
    try {
      const results = await this.run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} items gave ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i] as O));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.running = false;
      // What arrived during the run goes next, without waiting again: it has waited already.
      if (this.queue.length > 0) this.flushSoon(0);
    }
  }
}
