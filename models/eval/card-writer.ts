import { statSync } from 'node:fs';
import type { InputColumn, ModelCard } from '../model-card';
import { sha256Of } from '../model-files';
import type { HistoryWindow } from '../training/spi-dataset';
import type { ModelEvaluation } from './model-evaluations';

/** The unit of a feature, read off its name's suffix or kind. */
export function unitOfFeature(name: string): string {
  if (/^(shape|package|shift|product)_|^(spi_fail|thermal_pad|is_box_build)$/.test(name)) return 'one-hot (0 or 1)';
  if (name.endsWith('_pct')) return '%';
  if (name.endsWith('_um')) return 'µm';
  if (name.endsWith('_mm2')) return 'mm²';
  if (name.includes('hours')) return 'h';
  if (name.endsWith('_per_1000')) return 'per 1,000 pads';
  if (/(share|rate|ratio|progress|yield|_mean$|_vs_)/.test(name)) return 'ratio';
  return 'count';
}

/** What training produced, besides the metrics. */
export interface TrainingFacts {
  readonly onnxPath: string;
  readonly rows: Readonly<Record<string, number>>;
  readonly ranges: readonly (readonly [number, number])[];
  readonly window: HistoryWindow;
  readonly lines: readonly string[];
}

/** Builds a card from an evaluation's figures and the facts of its training run. */
export function buildModelCard<M>(evaluation: ModelEvaluation<M>, metrics: M, facts: TrainingFacts): ModelCard {
  const spec = evaluation.dataset;
  const columns: InputColumn[] = evaluation.featureNames.map((name, i) => ({
    name,
    unit: unitOfFeature(name),
    range: (facts.ranges[i] ?? [0, 0]) as [number, number],
  }));
  return {
    name: evaluation.name,
    version: evaluation.version,
    description: evaluation.description,
    onnx: { file: 'model.onnx', sha256: sha256Of(facts.onnxPath), opset: 17, bytes: statSync(facts.onnxPath).size },
    inputs: [
      {
        name: 'features',
        type: 'float32',
        shape: [evaluation.batchDimension, evaluation.featureNames.length],
        columns,
        description: `Raw features from ${evaluation.featureModule} (standardisation is inside the graph).`,
      },
    ],
    outputs: evaluation.outputs.map((o) => ({ name: o.name, type: 'float32', shape: [evaluation.batchDimension, o.width], description: o.description })),
    features: { module: evaluation.featureModule, version: evaluation.featuresVersion },
    training: {
      data: 'simulated',
      seed: spec.seed,
      confirmationSeed: spec.confirmationSeed,
      scale: spec.scale,
      history: { from: new Date(facts.window.start).toISOString(), to: new Date(facts.window.end).toISOString() },
      lines: facts.lines,
      split:
        `by time and line, never by row: fit on lines other than ${spec.heldOutLine} in the first ${Math.round(spec.trainUntil * 100)} % of the history, ` +
        `calibrate on the next ${Math.round((spec.calibrationUntil - spec.trainUntil) * 100)} %; held out: the last ${Math.round((1 - spec.calibrationUntil) * 100)} % (test-later) and all of line ${spec.heldOutLine} (test-line); ` +
        `blind confirmation: the whole history of every line of a second plant of the same scale, end time and product mix, seed ${spec.confirmationSeed}, on which nothing was trained, calibrated or chosen (confirmation)`,
      trainer: evaluation.trainer,
      trainerArguments: evaluation.trainerArguments,
      rows: facts.rows,
    },
    metrics,
    targets: evaluation.targets(metrics),
    tolerance: evaluation.tolerance,
    limitations: evaluation.limitations(metrics),
  };
}

/** Every numeric leaf of `value` as `path → number`. */
export function numericLeaves(value: unknown, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') out.set(path, v);
    else if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (typeof v === 'object' && v !== null) for (const [k, item] of Object.entries(v)) walk(item, path ? `${path}.${k}` : k);
  };
  walk(value, prefix);
  return out;
}

/** One figure that differs between a card and its recomputation. */
export interface FigureDifference {
  readonly path: string;
  readonly card: number | undefined;
  readonly now: number | undefined;
}

/** The figures of `now` that differ from `card` by more than `tolerance` (or exist in only one). */
export function differingFigures(card: unknown, now: unknown, tolerance: number): FigureDifference[] {
  const a = numericLeaves(card);
  const b = numericLeaves(now);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.flatMap((path) => {
    const x = a.get(path);
    const y = b.get(path);
    if (x !== undefined && y !== undefined && Math.abs(x - y) <= tolerance) return [];
    return [{ path, card: x, now: y }];
  });
}
