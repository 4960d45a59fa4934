/** What the inference thread is started with. */
export interface ThreadStart {
  readonly modelName: string;
  readonly providers: readonly string[];
  readonly intraOpNumThreads: number;
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
