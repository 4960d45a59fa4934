import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelName } from '../../models/model-files';
import type { ThreadReply, ThreadRequest, ThreadStart } from './inference-messages';

/** The inference thread could not load its model, or died. */
export class InferenceThreadError extends Error {
  constructor(
    message: string,
    readonly code = 'INFERENCE_THREAD_FAILED',
  ) {
    super(message);
  }
}

function threadScript(): string {
  // Built, the thread's JavaScript sits beside this file; under ts-jest, use the build in dist/.
  const here = join(__dirname, 'inference-thread.js');
  if (existsSync(here)) return here;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  const built = join(dir, 'dist', 'workers', 'inference', 'inference-thread.js');
  if (!existsSync(built)) throw new InferenceThreadError(`${built} is missing: run npm run build first`);
  return built;
}

/**
 * One model served from its own worker thread. `run` transfers the feature buffer to the thread
 * (the caller must not reuse it) and resolves with the outputs.
 */
export class InferenceThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(o: Record<string, Float32Array>): void; reject(e: Error): void }>();
  private dead: InferenceThreadError | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly modelName: ModelName,
    readonly version: string,
    readonly provider: string,
    readonly fallbacks: readonly { provider: string; reason: string }[],
  ) {
    worker.on('message', (reply: ThreadReply) => {
      if (reply.kind !== 'result' && reply.kind !== 'error') return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.kind === 'result') waiting?.resolve(reply.outputs);
      else waiting?.reject(new InferenceThreadError(`${modelName}: ${reply.message}`, 'INFERENCE_FAILED'));
    });
    const die = (reason: string): void => {
      this.dead = new InferenceThreadError(`${modelName}: the inference thread ${reason}`);
      for (const waiting of this.pending.values()) waiting.reject(this.dead);
      this.pending.clear();
    };
    worker.on('error', (error) => die(`failed: ${error.message}`));
    worker.on('exit', (code) => die(`exited with code ${code}`));
  }

  /**
   * Starts a thread and loads the model on the first provider that can (warnings are returned once,
   * for the caller to log).
   */
  static start(
    modelName: ModelName,
    options: { providers: readonly string[]; intraOpNumThreads?: number; chunkRows?: number },
  ): Promise<{ thread: InferenceThread; warnings: string[] }> {
    const data: ThreadStart = { modelName, providers: options.providers, intraOpNumThreads: options.intraOpNumThreads ?? 1, chunkRows: options.chunkRows };
    const worker = new Worker(threadScript(), { workerData: data });
    return new Promise((resolve, reject) => {
      const onExit = (code: number): void => reject(new InferenceThreadError(`${modelName}: the inference thread exited with code ${code} before loading`));
      worker.once('exit', onExit);
      worker.once('error', (error) => reject(new InferenceThreadError(`${modelName}: ${error.message}`)));
      worker.once('message', (reply: ThreadReply) => {
        worker.off('exit', onExit);
        if (reply.kind === 'ready') {
          resolve({ thread: new InferenceThread(worker, modelName, reply.version, reply.provider, reply.fallbacks), warnings: reply.warnings });
        } else if (reply.kind === 'failed') {
          void worker.terminate();
          reject(new InferenceThreadError(`${modelName}: ${reply.message}`, reply.code ?? 'INFERENCE_THREAD_FAILED'));
        }
      });
    });
  }

  /** Runs `values` (rows of `width`) in the thread. */
  run(values: Float32Array, width: number): Promise<Record<string, Float32Array>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const request: ThreadRequest = { kind: 'run', id, values, width };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request, [values.buffer as ArrayBuffer]);
    });
  }

  /** Releases the session and ends the thread. */
  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    const request: ThreadRequest = { kind: 'close' };
    this.worker.postMessage(request);
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
