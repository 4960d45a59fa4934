/**
 * Measures `yield-predictor` on its held-out sets beside the baseline plants use today (the
 * product's historical mean first-pass yield): the figures of its model card.
 */
import { YIELD_FEATURE_COUNT } from '../features/yield-features';
import type { OnnxModel } from '../onnx-model';
import { createDatasetPlant, type DatasetSpec, type Split } from '../training/spi-dataset';
import { iterateYieldSamples, YIELD_CHECKPOINTS, type YieldSample } from '../training/yield-dataset';
import { intervalCoverage, meanAbsoluteError, meanIntervalWidth } from './metrics';
import type { EvaluationProgress } from './spi-evaluation';

/** Figures of one held-out set. */
export interface YieldSplitMetrics {
  readonly orders: number;
  readonly snapshots: number;
  /** Mean absolute error of the predicted final first-pass yield (fraction, not %). */
  readonly mae: number;
  /** The baseline's mean absolute error: the product's mean first-pass yield over the training orders. */
  readonly baselineMae: number;
  /** Share of snapshots whose final yield lies inside the 90 % interval (target 0.85–0.95). */
  readonly coverage: number;
  readonly meanIntervalWidth: number;
  /** MAE by share of the order started when the prediction was made. */
  readonly maeByCheckpoint: Readonly<Record<string, number>>;
}

/** Everything the card's metrics section holds. */
export interface YieldEvaluation {
  /** Baseline: mean final first-pass yield per product over the training orders. */
  readonly baseline: Readonly<Record<string, number>>;
  readonly sets: { readonly 'test-later': YieldSplitMetrics; readonly 'test-line': YieldSplitMetrics };
}

const PRODUCTS = ['GW-MB-100', 'MD-PWR-200', 'SN-ENV-300', 'GW-BOX-100'] as const;

function productOf(sample: YieldSample): string {
  for (let c = 0; c < PRODUCTS.length; c++) if (sample.features[c] === 1) return PRODUCTS[c] as string;
  return 'other';
}

async function predict(model: OnnxModel, samples: readonly YieldSample[]): Promise<Record<string, Float32Array>> {
  const values = new Float32Array(samples.length * YIELD_FEATURE_COUNT);
  samples.forEach((s, i) => values.set(s.features, i * YIELD_FEATURE_COUNT));
  return model.run(values, YIELD_FEATURE_COUNT);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function splitMetrics(samples: readonly YieldSample[], out: Record<string, Float32Array>, baseline: Readonly<Record<string, number>>, overall: number): YieldSplitMetrics {
  const actual = Float64Array.from(samples, (s) => s.label);
  const predicted = out.yield as Float32Array;
  const base = Float64Array.from(samples, (s) => baseline[productOf(s)] ?? overall);
  const maeByCheckpoint: Record<string, number> = {};
  for (const checkpoint of YIELD_CHECKPOINTS) {
    const idx = samples.flatMap((s, i) => (s.checkpoint === checkpoint ? [i] : []));
    maeByCheckpoint[String(checkpoint)] = round(
      meanAbsoluteError(
        idx.map((i) => actual[i] as number),
        idx.map((i) => predicted[i] as number),
      ),
    );
  }
  return {
    orders: new Set(samples.map((s) => s.orderId)).size,
    snapshots: samples.length,
    mae: meanAbsoluteError(actual, predicted),
    baselineMae: meanAbsoluteError(actual, base),
    coverage: intervalCoverage(actual, out.lower as Float32Array, out.upper as Float32Array),
    meanIntervalWidth: meanIntervalWidth(out.lower as Float32Array, out.upper as Float32Array),
    maeByCheckpoint,
  };
}

/** Evaluates the model on the later production and on the held-out line. */
export async function evaluateYieldPredictor(model: OnnxModel, spec: DatasetSpec, progress?: EvaluationProgress): Promise<YieldEvaluation> {
  progress?.('yield-predictor: building the plant');
  const data = createDatasetPlant(spec);
  const bySplit = new Map<Split, YieldSample[]>([
    ['train', []],
    ['test-later', []],
    ['test-line', []],
  ]);
  for (const sample of iterateYieldSamples(spec, new Set(bySplit.keys()), data)) bySplit.get(sample.split)?.push(sample);

  // The baseline learns only from training orders, one value per order (not per snapshot).
  const perProduct = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const sample of bySplit.get('train') ?? []) {
    if (seen.has(sample.orderId)) continue;
    seen.add(sample.orderId);
    const list = perProduct.get(productOf(sample)) ?? [];
    list.push(sample.label);
    perProduct.set(productOf(sample), list);
  }
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const baseline = Object.fromEntries([...perProduct].sort(([a], [b]) => a.localeCompare(b)).map(([p, ys]) => [p, mean(ys)]));
  const overall = mean([...perProduct.values()].flat());

  const later = bySplit.get('test-later') ?? [];
  const line = bySplit.get('test-line') ?? [];
  progress?.(`yield-predictor: ${later.length + line.length} held-out snapshots`);
  return {
    baseline,
    sets: {
      'test-later': splitMetrics(later, await predict(model, later), baseline, overall),
      'test-line': splitMetrics(line, await predict(model, line), baseline, overall),
    },
  };
}
