import * as ort from 'onnxruntime-node';

/** How a session runs. */
export interface OnnxModelOptions {
  /** Threads one inference may use (default 1: workers scale out by processes, and results stay reproducible). */
  readonly intraOpNumThreads?: number;
  /** Execution providers in order of preference, e.g. ['cuda', 'cpu'] (default ['cpu']). */
  readonly executionProviders?: readonly string[];
}

/**
 * One ONNX model with a single float32 matrix input and float32 matrix outputs, as every model of
 * the project has: rows in, one output row per input row.
 */
export class OnnxModel {
  private constructor(
    readonly session: ort.InferenceSession,
    readonly inputName: string,
    readonly outputNames: readonly string[],
  ) {}

  static async load(path: string, options: OnnxModelOptions = {}): Promise<OnnxModel> {
    const session = await ort.InferenceSession.create(path, {
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
      executionProviders: [...(options.executionProviders ?? ['cpu'])],
      graphOptimizationLevel: 'all',
    });
    const [inputName] = session.inputNames;
    if (inputName === undefined || session.inputNames.length !== 1) {
      throw new Error(`${path}: expected one input, found ${session.inputNames.length}`);
    }
    return new OnnxModel(session, inputName, session.outputNames);
  }

  /**
   * Runs `rows` rows of `width` features (row-major), in chunks of at most `batchRows`, and returns
   * each output as one row-major array over all rows.
   */
  async run(values: Float32Array, width: number, batchRows = 65_536): Promise<Record<string, Float32Array>> {
    const rows = values.length / width;
    if (!Number.isInteger(rows)) throw new RangeError(`${values.length} values are not whole rows of ${width}`);
    const outputs: Record<string, Float32Array> = {};
    for (let start = 0; start < rows; start += batchRows) {
      const count = Math.min(batchRows, rows - start);
      const input = new ort.Tensor('float32', values.subarray(start * width, (start + count) * width), [count, width]);
      const result = await this.session.run({ [this.inputName]: input });
      for (const name of this.outputNames) {
        const tensor = result[name] as ort.Tensor;
        const data = tensor.data as Float32Array;
        const perRow = data.length / count;
        const target = (outputs[name] ??= new Float32Array(rows * perRow));
        target.set(data, start * perRow);
        tensor.dispose();
      }
      input.dispose();
    }
    return outputs;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
