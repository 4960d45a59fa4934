/** What the inference thread is started with. */
export interface ThreadStart {
  readonly modelName: string;
  readonly providers: readonly string[];
  readonly intraOpNumThreads: number;
  /** Rows per ONNX run when a request holds more; undefined: {@link defaultChunkRows} of the provider in use. */
  readonly chunkRows?: number;
}

/**
 * Rows per ONNX run on the CPU: a request of more rows (a micro-batch of many boards) is run in
 * chunks of this size, which keep a run's activations in the CPU's caches. On a 2-core Xeon, runs of
 * 2,048 pad rows gave 2.04M rows/s against 1.69M for one run of 31,257 rows.
 */
export const CPU_CHUNK_ROWS = 2_048;

/** Rows per run for a provider: {@link CPU_CHUNK_ROWS} on the CPU; a GPU takes the whole request at once. */
export function defaultChunkRows(provider: string): number {
  return provider === 'cpu' ? CPU_CHUNK_ROWS : Number.MAX_SAFE_INTEGER;
}

/** Main thread → inference thread. */
export type ThreadRequest =
  | { readonly kind: 'run'; readonly id: number; readonly values: Float32Array; readonly width: number }
  | { readonly kind: 'close' };

/** Inference thread → main thread. */
export type ThreadReply =
  | { readonly kind: 'ready'; readonly version: string; readonly provider: string; readonly fallbacks: { provider: string; reason: string }[]; readonly warnings: string[] }
  | { readonly kind: 'failed'; readonly message: string; readonly code?: string | undefined }
  | { readonly kind: 'result'; readonly id: number; readonly outputs: Record<string, Float32Array> }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };
