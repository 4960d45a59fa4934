/** One row of a benchmark's table. */
export type BenchRow = Record<string, string | number>;

/** What a benchmark reports: a table (printed) and any extra figures (written to JSON). */
export interface BenchResult {
  rows: BenchRow[];
  notes?: string[];
  /** Any other figures, written to the JSON as they are. */
  [figure: string]: unknown;
}

/** A benchmark that `npm run bench [-- NAME]` can run. */
export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<BenchResult>;
}
