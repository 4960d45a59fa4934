import { OnnxModel } from '../../models/onnx-model';
import { modelFiles } from '../../models/model-files';
import { YIELD_FEATURE_COUNT } from '../../models/features/yield-features';
import { InferenceThread, InferenceThreadError } from './inference-thread-client';

function rows(count: number): Float32Array {
  const values = new Float32Array(count * YIELD_FEATURE_COUNT);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 101) / 100;
  return values;
}

describe('InferenceThread', () => {
  let thread: InferenceThread;

  beforeAll(async () => {
    ({ thread } = await InferenceThread.start('yield-predictor', { providers: ['cuda', 'cpu'] }));
  });
  afterAll(async () => {
    await thread.close();
  });

  it('answers exactly what the model answers on the main thread', async () => {
    const local = await OnnxModel.load(modelFiles('yield-predictor').onnx);
    try {
      const expected = await local.run(rows(500), YIELD_FEATURE_COUNT);
      const actual = await thread.run(rows(500), YIELD_FEATURE_COUNT);
      expect(Object.keys(actual).sort()).toEqual(['lower', 'upper', 'yield']);
      for (const name of Object.keys(expected)) expect(Array.from(actual[name] as Float32Array)).toEqual(Array.from(expected[name] as Float32Array));
    } finally {
      await local.release();
    }
  });

  it('runs a request larger than its chunk size in chunks, answering the same as one run', async () => {
    const { thread: chunked } = await InferenceThread.start('yield-predictor', { providers: ['cpu'], chunkRows: 64 });
    const local = await OnnxModel.load(modelFiles('yield-predictor').onnx);
    try {
      const expected = await local.run(rows(1_000), YIELD_FEATURE_COUNT);
      const actual = await chunked.run(rows(1_000), YIELD_FEATURE_COUNT);
      for (const name of Object.keys(expected)) {
        const want = expected[name] as Float32Array;
        const got = actual[name] as Float32Array;
        expect(got).toHaveLength(want.length);
        for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThanOrEqual(1e-6);
      }
    } finally {
      await local.release();
      await chunked.close();
    }
  });

  it('reports the provider in use after a fallback', () => {
    expect(thread.provider).toBe('cpu');
    expect(thread.fallbacks.map((f) => f.provider)).toEqual(['cuda']);
  });

  it('keeps the event loop free while a large batch runs', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      // One run long enough (a few hundred ms) that a blocked loop would fire the timer once, late.
      await thread.run(rows(600_000), YIELD_FEATURE_COUNT);
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThan(3);
  });

  it('fails a request with malformed rows without killing the thread', async () => {
    await expect(thread.run(new Float32Array(5), YIELD_FEATURE_COUNT)).rejects.toBeInstanceOf(InferenceThreadError);
    const ok = await thread.run(rows(1), YIELD_FEATURE_COUNT);
    expect(ok.yield).toHaveLength(1);
  });
});
