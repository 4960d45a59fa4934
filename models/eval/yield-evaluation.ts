/**
 * Measures `yield-predictor` on its held-out sets and on the confirmation plant beside the baseline
 * plants use today (the product's historical mean first-pass yield): the figures of its model card.
 * The interval is measured twice: as the model gives it (static) and as the worker serves it,
 * adapted online (models/yield-predictor/adaptive-interval.ts), replayed in time order with the
 * states the calibration period ended in.
 */
import { YIELD_FEATURE_COUNT } from '../features/yield-features';
import type { OnnxModel } from '../onnx-model';
import { ALL_SPLITS, confirmationSpec, createDatasetPlant, type ConfirmedDatasetSpec, type DatasetSpec, type Split } from '../training/spi-dataset';
import { iterateYieldSamples, YIELD_CHECKPOINTS, type YieldSample } from '../training/yield-dataset';
import {
  GAMMA_CANDIDATES,
  intervalScopeKey,
  meanIntervalScore,
  replayAdaptiveIntervals,
  SCOPE_CANDIDATES,
  TARGET_MISCOVERAGE,
  type AdaptiveIntervalState,
  type IntervalScope,
  type ReplaySnapshot,
} from '../yield-predictor/adaptive-interval';
import { intervalCoverage, meanAbsoluteError, meanIntervalWidth } from './metrics';
import type { EvaluationProgress } from './spi-evaluation';

/** Figures of one held-out or confirmation set. */
export interface YieldSplitMetrics {
  readonly orders: number;
  readonly snapshots: number;
  /** Mean absolute error of the predicted final first-pass yield (fraction, not %). */
  readonly mae: number;
  /** The baseline's mean absolute error: the product's mean first-pass yield over the training orders. */
  readonly baselineMae: number;
  /** Share of snapshots whose final yield lies inside the model's own (static) 90 % interval. */
  readonly coverage: number;
  readonly meanIntervalWidth: number;
  /** The same for the served, adaptive interval (target 0.85–0.95). */
  readonly adaptiveCoverage: number;
  readonly adaptiveMeanIntervalWidth: number;
  /** MAE by share of the order started when the prediction was made. */
  readonly maeByCheckpoint: Readonly<Record<string, number>>;
}

/** How the served interval adapts, as chosen on the calibration period; the worker reads it. */
export interface AdaptiveIntervalChoice {
  readonly scope: IntervalScope;
  /** Step size on the log scale of the interval. */
  readonly gamma: number;
  /** Target miscoverage. */
  readonly alpha: number;
  /** Mean interval score of the calibration replay per scope and candidate step size (lower is better). */
  readonly calibrationIntervalScore: Readonly<Record<IntervalScope, Readonly<Record<string, number>>>>;
  /** The chosen replay of the calibration period (its orders were also in the model's final fit). */
  readonly calibration: { readonly orders: number; readonly snapshots: number; readonly coverage: number; readonly meanIntervalWidth: number };
  /** The state of each scope after replaying the calibration period: where serving starts. */
  readonly initialStates: Readonly<Record<string, AdaptiveIntervalState>>;
}

/** Everything the card's metrics section holds. */
export interface YieldEvaluation {
  /** Baseline: mean final first-pass yield per product over the training orders. */
  readonly baseline: Readonly<Record<string, number>>;
  readonly adaptiveInterval: AdaptiveIntervalChoice;
  /** The two held-out sets of the dataset's plant, and `confirmation`: every completed order of the confirmation plant. */
  readonly sets: { readonly 'test-later': YieldSplitMetrics; readonly 'test-line': YieldSplitMetrics; readonly confirmation: YieldSplitMetrics };
}

/** What the dataset's own plant gives: the baseline and interval choice, and its held-out figures. */
interface DatasetPlantEvaluation {
  readonly baseline: Readonly<Record<string, number>>;
  /** Mean final first-pass yield of all training orders: the baseline of a product without one. */
  readonly overall: number;
  readonly adaptiveInterval: AdaptiveIntervalChoice;
  readonly later: YieldSplitMetrics;
  readonly line: YieldSplitMetrics;
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

type Served = readonly { readonly lower: number; readonly upper: number }[];

function replaySnapshots(samples: readonly YieldSample[], out: Record<string, Float32Array>, scope: IntervalScope): ReplaySnapshot[] {
  const { yield: value, lower, upper } = out as { yield: Float32Array; lower: Float32Array; upper: Float32Array };
  return samples.map((s, i) => ({
    orderId: s.orderId,
    scope: intervalScopeKey(scope, s.productId),
    at: s.asOf,
    completedAt: s.completedAt,
    value: value[i] as number,
    lower: lower[i] as number,
    upper: upper[i] as number,
    actual: s.label,
  }));
}

/** Chooses scope and step size by the calibration replay's interval score (ties: the plant scope, the smaller step). */
function chooseAdaptation(calibration: readonly YieldSample[], out: Record<string, Float32Array>): AdaptiveIntervalChoice {
  const actual = calibration.map((s) => s.label);
  const scores = {} as Record<IntervalScope, Record<string, number>>;
  let best: { scope: IntervalScope; gamma: number; score: number } | undefined;
  for (const scope of SCOPE_CANDIDATES) {
    scores[scope] = {};
    const snapshots = replaySnapshots(calibration, out, scope);
    for (const gamma of GAMMA_CANDIDATES) {
      const { served } = replayAdaptiveIntervals(snapshots, { gamma, alpha: TARGET_MISCOVERAGE });
      const score = meanIntervalScore(served, actual, TARGET_MISCOVERAGE);
      scores[scope][String(gamma)] = round(score);
      if (best === undefined || score < best.score) best = { scope, gamma, score };
    }
  }
  const { scope, gamma } = best as { scope: IntervalScope; gamma: number };
  const replay = replayAdaptiveIntervals(replaySnapshots(calibration, out, scope), { gamma, alpha: TARGET_MISCOVERAGE });
  return {
    scope,
    gamma,
    alpha: TARGET_MISCOVERAGE,
    calibrationIntervalScore: scores,
    calibration: {
      orders: new Set(calibration.map((s) => s.orderId)).size,
      snapshots: calibration.length,
      coverage: intervalCoverage(actual, replay.served.map((iv) => iv.lower), replay.served.map((iv) => iv.upper)),
      meanIntervalWidth: meanIntervalWidth(replay.served.map((iv) => iv.lower), replay.served.map((iv) => iv.upper)),
    },
    initialStates: replay.states,
  };
}

function splitMetrics(
  samples: readonly YieldSample[],
  out: Record<string, Float32Array>,
  served: Served,
  baseline: Readonly<Record<string, number>>,
  overall: number,
): YieldSplitMetrics {
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
    adaptiveCoverage: intervalCoverage(actual, served.map((iv) => iv.lower), served.map((iv) => iv.upper)),
    adaptiveMeanIntervalWidth: meanIntervalWidth(served.map((iv) => iv.lower), served.map((iv) => iv.upper)),
    maeByCheckpoint,
  };
}

/** The baseline, the adaptive interval's choice and the figures of the two held-out sets of the dataset's own plant. */
async function evaluateDatasetPlant(model: OnnxModel, spec: DatasetSpec, progress?: EvaluationProgress): Promise<DatasetPlantEvaluation> {
  progress?.(`yield-predictor: building the seed-${spec.seed} plant`);
  const data = createDatasetPlant(spec);
  const bySplit = new Map<Split, YieldSample[]>([
    ['train', []],
    ['calibration', []],
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

  const calibration = bySplit.get('calibration') ?? [];
  const later = bySplit.get('test-later') ?? [];
  const line = bySplit.get('test-line') ?? [];
  progress?.(`yield-predictor: ${later.length + line.length} held-out snapshots`);
  const adaptiveInterval = chooseAdaptation(calibration, await predict(model, calibration));

  // One plant timeline over both held-out sets, as the worker serves them: every held-out order's
  // completion updates the state, starting from where the calibration period left it.
  const [laterOut, lineOut] = [await predict(model, later), await predict(model, line)];
  const replay = replayAdaptiveIntervals(
    [...replaySnapshots(later, laterOut, adaptiveInterval.scope), ...replaySnapshots(line, lineOut, adaptiveInterval.scope)],
    { gamma: adaptiveInterval.gamma, alpha: adaptiveInterval.alpha },
    adaptiveInterval.initialStates,
  );
  return {
    baseline,
    overall,
    adaptiveInterval,
    later: splitMetrics(later, laterOut, replay.served.slice(0, later.length), baseline, overall),
    line: splitMetrics(line, lineOut, replay.served.slice(later.length), baseline, overall),
  };
}

/**
 * Every completed order of the confirmation plant (`spec.confirmationSeed`, whole history, every
 * line), measured with the baseline and the adaptive interval of the dataset's own plant: its
 * timeline is replayed as a plant the model was deployed to, starting from the calibration-end state.
 */
async function evaluateConfirmationPlant(
  model: OnnxModel,
  spec: ConfirmedDatasetSpec,
  choices: DatasetPlantEvaluation,
  progress?: EvaluationProgress,
): Promise<YieldSplitMetrics> {
  const confirmation = confirmationSpec(spec);
  progress?.(`yield-predictor: building the seed-${confirmation.seed} plant`);
  const samples = [...iterateYieldSamples(confirmation, ALL_SPLITS, createDatasetPlant(confirmation))];
  progress?.(`yield-predictor: ${samples.length} confirmation snapshots`);
  const out = await predict(model, samples);
  const { scope, gamma, alpha, initialStates } = choices.adaptiveInterval;
  const replay = replayAdaptiveIntervals(replaySnapshots(samples, out, scope), { gamma, alpha }, initialStates);
  return splitMetrics(samples, out, replay.served, choices.baseline, choices.overall);
}

/**
 * Evaluates the model on the later production and on the held-out line, then, with the baseline
 * and interval chosen there, on the confirmation plant.
 */
export async function evaluateYieldPredictor(model: OnnxModel, spec: ConfirmedDatasetSpec, progress?: EvaluationProgress): Promise<YieldEvaluation> {
  const own = await evaluateDatasetPlant(model, spec, progress);
  // The first plant is out of reach by now, so the two are never in memory together.
  const confirmation = await evaluateConfirmationPlant(model, spec, own, progress);
  return {
    baseline: own.baseline,
    adaptiveInterval: own.adaptiveInterval,
    sets: { 'test-later': own.later, 'test-line': own.line, confirmation },
  };
}
