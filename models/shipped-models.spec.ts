import * as ort from 'onnxruntime-node';
import { createPlant } from '../opcenter/simulator';
import { computeSpiFeatures, SPI_FEATURE_COUNT } from './features/spi-features';
import { YIELD_FEATURE_COUNT } from './features/yield-features';
import { readModelCard } from './model-card';
import { MODEL_NAMES, modelFiles, sha256Of, type ModelName } from './model-files';
import { OnnxModel } from './onnx-model';
import { SimulatorSource } from './training/simulator-source';
import { iterateYieldSamples, YIELD_DATASET } from './training/yield-dataset';
import { createDatasetPlant } from './training/spi-dataset';

const SMALL = { ...YIELD_DATASET, scale: 'small' as const, heldOutLine: 'L2' };

/** 1,024 real feature rows of a model, from the small plant through the shared feature modules. */
function realRows(name: ModelName): { values: Float32Array; width: number } {
  if (name === 'spi-defect-risk') {
    const plant = createPlant({ seed: 42, scale: 'small', endTime: SMALL.endTime });
    const source = new SimulatorSource(plant);
    const values = new Float32Array(1024 * SPI_FEATURE_COUNT);
    let filled = 0;
    for (const row of plant.rows('SpiInspection').filter((r) => Number(r.FailedPadCount) > 0)) {
      const features = computeSpiFeatures(source.spiBoardInput(row));
      const take = Math.min(features.rows, 1024 - filled, 200);
      values.set(features.values.subarray(0, take * SPI_FEATURE_COUNT), filled * SPI_FEATURE_COUNT);
      filled += take;
      if (filled === 1024) break;
    }
    return { values, width: SPI_FEATURE_COUNT };
  }
  const samples = [...iterateYieldSamples(SMALL, new Set(['train', 'calibration', 'test-later', 'test-line']), createDatasetPlant(SMALL))];
  const values = new Float32Array(1024 * YIELD_FEATURE_COUNT);
  for (let i = 0; i < 1024; i++) values.set((samples[i % samples.length] as { features: Float32Array }).features, i * YIELD_FEATURE_COUNT);
  return { values, width: YIELD_FEATURE_COUNT };
}

describe.each(MODEL_NAMES)('the shipped %s model', (name) => {
  const card = readModelCard(name);
  let model: OnnxModel;

  beforeAll(async () => {
    model = await OnnxModel.load(modelFiles(name).onnx);
  });
  afterAll(async () => {
    await model.release();
  });

  it('is the file its card describes', () => {
    expect(sha256Of(modelFiles(name).onnx)).toBe(card.onnx.sha256);
  });

  it('takes and gives the tensors its card names, with their types and shapes', () => {
    const session = model.session as ort.InferenceSession & {
      inputMetadata: readonly { name: string; type: string; shape: readonly (string | number)[] }[];
      outputMetadata: readonly { name: string; type: string; shape: readonly (string | number)[] }[];
    };
    const describe = (m: { name: string; type: string; shape: readonly (string | number)[] }) => ({ name: m.name, type: m.type, shape: [...m.shape] });
    expect(session.inputMetadata.map(describe)).toEqual(card.inputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] })));
    expect(session.outputMetadata.map(describe)).toEqual(card.outputs.map((t) => ({ name: t.name, type: t.type, shape: [...t.shape] })));
  });

  it('gives each row the same answer in a batch of 1,024 as alone', async () => {
    const { values, width } = realRows(name);
    const batch = await model.run(values, width);
    const rows = values.length / width;
    for (const output of card.outputs) {
      const perRow = output.shape[1];
      expect(batch[output.name]).toBeInstanceOf(Float32Array);
      expect(batch[output.name]?.length).toBe(rows * perRow);
    }
    let largest = 0;
    for (let row = 0; row < rows; row++) {
      const alone = await model.run(values.subarray(row * width, (row + 1) * width), width);
      for (const output of card.outputs) {
        const perRow = output.shape[1];
        const single = alone[output.name] as Float32Array;
        const inBatch = (batch[output.name] as Float32Array).subarray(row * perRow, (row + 1) * perRow);
        for (let k = 0; k < perRow; k++) largest = Math.max(largest, Math.abs((single[k] as number) - (inBatch[k] as number)));
      }
    }
    // Batched matrix kernels may sum in another order than single rows: equal to float32 rounding.
    expect(largest).toBeLessThan(1e-6);
  });

  it('gives probabilities and intervals in range for real rows', async () => {
    const { values, width } = realRows(name);
    const out = await model.run(values, width);
    if (name === 'spi-defect-risk') {
      const p = out.probabilities as Float32Array;
      for (let row = 0; row < p.length / 4; row++) {
        const sum = (p[row * 4] as number) + (p[row * 4 + 1] as number) + (p[row * 4 + 2] as number) + (p[row * 4 + 3] as number);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
      }
      expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    } else {
      const { yield: y, lower, upper } = out as Record<string, Float32Array>;
      for (let row = 0; row < (y as Float32Array).length; row++) {
        expect(lower?.[row]).toBeLessThanOrEqual(y?.[row] as number);
        expect(y?.[row]).toBeLessThanOrEqual(upper?.[row] as number);
        expect(lower?.[row]).toBeGreaterThanOrEqual(0);
        expect(upper?.[row]).toBeLessThanOrEqual(1);
      }
    }
  });
});
