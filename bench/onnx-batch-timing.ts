import { performance } from 'node:perf_hooks';
import type { OnnxModel } from '../models/onnx-model';

/** How one batch size is timed. */
export interface BatchTimingOptions {
  /** Warm-up before timing, ms (at least two calls). */
  readonly warmupMs: number;
  /** Time budget of the whole cell, warm-up included, ms. */
  readonly cellMs: number;
  /** A repetition groups consecutive calls of at least this long, ms. */
  readonly repetitionMs: number;
  readonly minRepetitions: number;
}

/** What timing one batch size gives. */
export interface BatchTiming {
  readonly batch: number;
  /** Median over repetitions of rows scored per second. */
  readonly rowsPerSecond: number;
  /** Latency of one `run` call, tensor copies included. */
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly calls: number;
  readonly repetitions: number;
}

/** The q-quantile of `values` by linear interpolation (NaN when empty). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const lowValue = sorted[low] ?? NaN;
  const highValue = sorted[Math.ceil(position)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - low);
}

/**
 * Times `model.run` on batches of `batch` rows of `values` (rows of `width`): successive calls take
 * successive slices, so small batches do not score one row over and over.
 */
export async function timeOnnxBatches(model: OnnxModel, values: Float32Array, width: number, batch: number, options: BatchTimingOptions): Promise<BatchTiming> {
  const slots = Math.max(1, Math.floor(values.length / width / batch));
  let call = 0;
  const runOnce = async (): Promise<number> => {
    const start = (call++ % slots) * batch * width;
    const began = performance.now();
    await model.run(values.subarray(start, start + batch * width), width, batch);
    return performance.now() - began;
  };

  const cellStart = performance.now();
  for (let i = 0; i < 2 || performance.now() - cellStart < options.warmupMs; i++) await runOnce();

  const latencies: number[] = [];
  const throughputs: number[] = [];
  while (throughputs.length < options.minRepetitions || performance.now() - cellStart < options.cellMs) {
    let elapsed = 0;
    let calls = 0;
    while (calls === 0 || elapsed < options.repetitionMs) {
      const ms = await runOnce();
      latencies.push(ms);
      elapsed += ms;
      calls++;
    }
    throughputs.push((calls * batch * 1000) / elapsed);
  }
  return {
    batch,
    rowsPerSecond: quantile(throughputs, 0.5),
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    calls: latencies.length,
    repetitions: throughputs.length,
  };
}
