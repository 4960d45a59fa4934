import { existsSync } from 'node:fs';
import { createPlant } from '../opcenter/simulator';
import { computeSpiFeatures, SPI_FEATURE_COUNT } from '../models/features/spi-features';
import { YIELD_FEATURE_COUNT } from '../models/features/yield-features';
import { MODEL_NAMES, modelFiles, type ModelName } from '../models/model-files';
import { OnnxModel } from '../models/onnx-model';
import { SimulatorSource } from '../models/training/simulator-source';
import { SPI_DATASET, type Split } from '../models/training/spi-dataset';
import { iterateYieldSamples, YIELD_DATASET } from '../models/training/yield-dataset';
import type { Benchmark, BenchRow } from './bench.types';
import { timeOnnxBatches } from './onnx-batch-timing';

const BATCH_SIZES = [1, 64, 1_024, 16_384] as const;
const MAX_BATCH = BATCH_SIZES[BATCH_SIZES.length - 1] as number;
/** Wall time of one (model, batch) cell, warm-up included; a cell still gets `MIN_REPETITIONS`. */
const CELL_BUDGET_MS = 2_000;
const WARMUP_MS = 200;
/** Calls are grouped into repetitions of at least this long, so tiny batches are not timer noise. */
const REPETITION_MS = 50;
const MIN_REPETITIONS = 5;
const ALL_SPLITS: ReadonlySet<Split> = new Set<Split>(['train', 'calibration', 'test-later', 'test-line']);

/** Feature rows of one model: `MAX_BATCH` rows, row-major, distinct rows repeated to fill. */
interface ModelInput {
  readonly width: number;
  readonly values: Float32Array;
  readonly distinctRows: number;
  readonly source: string;
}

/** One measured (model, batch) cell. */
interface Cell {
  readonly model: ModelName;
  readonly batch: number;
  /** Median over repetitions of rows scored per second. */
  readonly rowsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly calls: number;
  readonly repetitions: number;
}

/**
 * Inference throughput of each shipped ONNX model on the CPU provider with one intra-op thread, as
 * workers run them, for batches from one row to 16,384, on feature rows from the simulated plant.
 */
export const modelsBenchmark: Benchmark = {
  name: 'models',
  description: `ONNX inference of ${MODEL_NAMES.join(' and ')}, CPU provider, 1 intra-op thread, batches of ${BATCH_SIZES.map((n) => n.toLocaleString('en-US')).join(', ')} rows, ~${CELL_BUDGET_MS / 1000} s per batch size`,
  async run(log) {
    const cells: Cell[] = [];
    const inputs: Partial<Record<ModelName, Omit<ModelInput, 'values'>>> = {};
    for (const name of MODEL_NAMES) {
      const path = modelFiles(name).onnx;
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run models:train\` first`);
      log(`${name}: building feature rows…`);
      const input = buildInput(name);
      inputs[name] = { width: input.width, distinctRows: input.distinctRows, source: input.source };
      const model = await OnnxModel.load(path, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
      try {
        for (const batch of BATCH_SIZES) {
          log(`${name}: batch ${batch}…`);
          cells.push({ model: name, ...(await measureCell(model, input, batch)) });
        }
      } finally {
        await model.release();
      }
    }
    return {
      rows: cells.map((cell) => ({
        model: cell.model,
        batch: cell.batch,
        'rows/s': Math.round(cell.rowsPerSecond),
        'p50 ms/batch': cell.p50Ms.toPrecision(3),
        'vs batch 1': cell.rowsPerSecond / (cells.find((c) => c.model === cell.model && c.batch === 1)?.rowsPerSecond ?? NaN),
      })) satisfies BenchRow[],
      notes: [
        "'rows/s': median over repetitions (consecutive calls of at least 50 ms) after warm-up; 'p50 ms/batch': median latency of one `OnnxModel.run` call, tensor copies included",
        "'vs batch 1': rows/s relative to the same model's batch of one row",
      ],
      settings: { batchSizes: BATCH_SIZES, cellBudgetMs: CELL_BUDGET_MS, warmupMs: WARMUP_MS, repetitionMs: REPETITION_MS, intraOpNumThreads: 1, executionProviders: ['cpu'] },
      inputs,
      cells,
    };
  },
};

function buildInput(name: ModelName): ModelInput {
  switch (name) {
    case 'spi-defect-risk':
      return buildSpiInput();
    case 'yield-predictor':
      return buildYieldInput();
    default: {
      const unknown: never = name;
      throw new Error(`No benchmark input for model ${String(unknown)}`);
    }
  }
}

/** Pad feature rows of the small plant's first SPI-inspected boards, through the serving feature path. */
function buildSpiInput(): ModelInput {
  // A fixed end time, so every run scores the same boards.
  const plant = createPlant({ seed: 42, scale: 'small', endTime: SPI_DATASET.endTime });
  const source = new SimulatorSource(plant);
  const boards: Float32Array[] = [];
  let rows = 0;
  for (const row of plant.rows('SpiInspection')) {
    if (rows >= MAX_BATCH) break;
    const features = computeSpiFeatures(source.spiBoardInput(row));
    boards.push(features.values);
    rows += features.rows;
  }
  return fillBatch(boards, SPI_FEATURE_COUNT, `pads of ${boards.length} SPI inspections, small plant (seed 42)`);
}

/** Order snapshots of the small yield dataset (every split). */
function buildYieldInput(): ModelInput {
  const spec = { ...YIELD_DATASET, scale: 'small', heldOutLine: 'L2' } as const;
  const samples: Float32Array[] = [];
  for (const sample of iterateYieldSamples(spec, ALL_SPLITS)) {
    if (samples.length >= MAX_BATCH) break;
    samples.push(sample.features);
  }
  return fillBatch(samples, YIELD_FEATURE_COUNT, `${samples.length} order snapshots of the yield dataset at scale 'small'`);
}

function fillBatch(chunks: readonly Float32Array[], width: number, source: string): ModelInput {
  const distinct = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    distinct.set(chunk, offset);
    offset += chunk.length;
  }
  if (distinct.length === 0) throw new Error(`No feature rows for the benchmark (${source})`);
  const values = new Float32Array(MAX_BATCH * width);
  for (let at = 0; at < values.length; at += distinct.length) values.set(distinct.subarray(0, Math.min(distinct.length, values.length - at)), at);
  return { width, values, distinctRows: Math.min(distinct.length / width, MAX_BATCH), source };
}

function measureCell(model: OnnxModel, input: ModelInput, batch: number): Promise<Omit<Cell, 'model'>> {
  return timeOnnxBatches(model, input.values, input.width, batch, {
    warmupMs: WARMUP_MS,
    cellMs: CELL_BUDGET_MS,
    repetitionMs: REPETITION_MS,
    minRepetitions: MIN_REPETITIONS,
  });
}
