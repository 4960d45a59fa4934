/**
 * Chooses how `spi-defect-risk` turns pad probabilities into a board score, on the calibration
 * window only: every candidate aggregation is scored by its out-of-fold board PR-AUC over blocks of
 * consecutive calibration boards (candidates with fitted weights are refitted without the block they
 * score), the best wins (a simpler one wins ties), and its raw score is mapped to a probability by
 * Platt scaling fitted on its out-of-fold scores. Held-out data is never read here.
 */
import {
  aggregatePads,
  boardFeature,
  logit,
  PAD_FLOORS,
  sigmoid,
  type BoardAggregation,
  type BoardFeatureName,
  type BoardPadSummary,
  type BoardScoreModel,
} from '../spi-defect-risk/board-score';
import { averagePrecision } from './metrics';

/** Blocks of consecutive calibration boards for the out-of-fold scores. */
export const CHOICE_FOLDS = 5;
/** Out-of-fold PR-AUCs this close to the best count as a tie, which the simpler candidate wins. */
export const CHOICE_TIE = 0.005;
/** L2 penalty of the logistic fits, on standardized features. */
const RIDGE = 1;

/** What the card stores about the choice; serving reads `model`. */
export interface BoardScoreChoice {
  /** The chosen candidate's name. */
  readonly method: string;
  /** The chosen aggregation, refitted on the whole calibration window, with its Platt scaling. */
  readonly model: BoardScoreModel;
  readonly folds: number;
  readonly calibrationBoards: number;
  readonly calibrationDefectBoards: number;
  /** Out-of-fold board PR-AUC on the calibration window per candidate, simplest first. */
  readonly candidates: Readonly<Record<string, number>>;
}

/** A candidate: fits its aggregation on some calibration boards (fixed ones ignore them). */
interface Candidate {
  readonly name: string;
  fit(summaries: readonly BoardPadSummary[], labels: ArrayLike<number>, rows: readonly number[]): BoardAggregation;
}

const fixed = (name: string, aggregation: BoardAggregation): Candidate => ({ name, fit: () => aggregation });

/** Board features of the logistic candidates. */
const PER_TYPE_FEATURES: readonly BoardFeatureName[] = ['log-bridging-noisy-or', 'log-insufficient-noisy-or', 'log-open-noisy-or'];
const BOARD_FEATURES: readonly BoardFeatureName[] = ['log-noisy-or', 'log-max', 'log1p-pads-above-threshold', 'log-bridging-max', 'log-insufficient-max', 'log-open-max'];

/** Every candidate, simplest first. */
export function boardScoreCandidates(padThreshold: number): Candidate[] {
  return [
    fixed('noisy-or', { kind: 'noisy-or' }),
    fixed('max', { kind: 'max' }),
    ...[2, 3, 5, 10].map((k) => fixed(`top-${k}`, { kind: 'top-k', k })),
    ...PAD_FLOORS.map((floor) => fixed(`floor-${floor}`, { kind: 'floor', floor })),
    fixed('per-type-max', { kind: 'per-type-max' }),
    { name: 'per-type-logistic', fit: (s, y, rows) => fitLogisticAggregation(s, y, rows, PER_TYPE_FEATURES, padThreshold) },
    { name: 'board-logistic', fit: (s, y, rows) => fitLogisticAggregation(s, y, rows, BOARD_FEATURES, padThreshold) },
  ];
}

/**
 * Logistic regression with an L2 penalty (not on the intercept), by Newton's method: the weights
 * minimizing the penalized log loss of `labels` on the rows of `x`.
 */
export function fitLogistic(x: readonly (readonly number[])[], labels: ArrayLike<number>, ridge: number): { weights: number[]; intercept: number } {
  const d = (x[0]?.length ?? 0) + 1;
  const beta = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 100; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    x.forEach((row, i) => {
      const z = [1, ...row];
      const p = sigmoid(z.reduce((s, v, j) => s + v * (beta[j] as number), 0));
      const w = Math.max(p * (1 - p), 1e-12);
      const r = p - (labels[i] as number);
      for (let j = 0; j < d; j++) {
        gradient[j] = (gradient[j] as number) + r * (z[j] as number);
        const hj = hessian[j] as number[];
        for (let k = 0; k < d; k++) hj[k] = (hj[k] as number) + w * (z[j] as number) * (z[k] as number);
      }
    });
    for (let j = 1; j < d; j++) {
      gradient[j] = (gradient[j] as number) + ridge * (beta[j] as number);
      (hessian[j] as number[])[j] = ((hessian[j] as number[])[j] as number) + ridge;
    }
    const step = solve(hessian, gradient);
    let largest = 0;
    for (let j = 0; j < d; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      largest = Math.max(largest, Math.abs(step[j] as number));
    }
    if (largest < 1e-10) break;
  }
  return { intercept: beta[0] as number, weights: beta.slice(1) };
}

/** Solves a x = b by Gaussian elimination with partial pivoting (a small, positive definite a). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[pivot] as number[])[c] as number)) pivot = r;
    [m[c], m[pivot]] = [m[pivot] as number[], m[c] as number[]];
    const head = m[c] as number[];
    for (let r = c + 1; r < n; r++) {
      const row = m[r] as number[];
      const f = (row[c] as number) / (head[c] as number);
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * (head[k] as number);
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (out[k] as number);
    out[r] = s / (row[r] as number);
  }
  return out;
}

/**
 * A logistic aggregation fitted on `rows`: features standardized on those rows; while a weight is
 * negative, the feature with the most negative weight is dropped and the rest refitted, so the score
 * never falls when a pad's probability rises.
 */
export function fitLogisticAggregation(
  summaries: readonly BoardPadSummary[],
  labels: ArrayLike<number>,
  rows: readonly number[],
  features: readonly BoardFeatureName[],
  padThreshold: number,
): BoardAggregation {
  const y = rows.map((i) => labels[i] as number);
  let kept = [...features];
  for (;;) {
    const columns = kept.map((name) => rows.map((i) => boardFeature(summaries[i] as BoardPadSummary, name, padThreshold)));
    const center = columns.map((c) => c.reduce((s, v) => s + v, 0) / c.length);
    const scale = columns.map((c, j) => Math.sqrt(c.reduce((s, v) => s + (v - (center[j] as number)) ** 2, 0) / c.length) || 1);
    const x = rows.map((_, r) => columns.map((c, j) => ((c[r] as number) - (center[j] as number)) / (scale[j] as number)));
    const { weights, intercept } = fitLogistic(x, y, RIDGE);
    const worst = weights.reduce((w, v, j) => (v < (weights[w] as number) ? j : w), 0);
    if ((weights[worst] as number) >= 0 || kept.length === 1) {
      return { kind: 'logistic', features: kept, padThreshold, center, scale, weights: weights.map((w) => Math.max(0, w)), intercept };
    }
    kept = kept.filter((_, j) => j !== worst);
  }
}

/** The block of each board: CHOICE_FOLDS runs of consecutive boards of (nearly) equal size. */
function foldOf(n: number, folds: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor((i * folds) / n));
}

/** Each board's score from a fit that did not see its block. */
function outOfFoldScores(candidate: Candidate, summaries: readonly BoardPadSummary[], labels: ArrayLike<number>, folds: number): Float64Array {
  const fold = foldOf(summaries.length, folds);
  const scores = new Float64Array(summaries.length);
  for (let f = 0; f < folds; f++) {
    const train = fold.flatMap((g, i) => (g === f ? [] : [i]));
    const aggregation = candidate.fit(summaries, labels, train);
    fold.forEach((g, i) => {
      if (g === f) scores[i] = aggregatePads(summaries[i] as BoardPadSummary, aggregation);
    });
  }
  return scores;
}

/** Platt scaling of raw scores: a logistic regression of the labels on logit(score). */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): { slope: number; intercept: number } {
  const x = Array.from(scores, (s) => [logit(s)]);
  const { weights, intercept } = fitLogistic(x, labels, 0);
  return { slope: weights[0] as number, intercept };
}

/**
 * Chooses the board score on the calibration boards (in record order; `labels` 1 for a board with a
 * solder-joint defect). `padThreshold` is the pad operating threshold chosen on the same window.
 */
export function chooseBoardScore(summaries: readonly BoardPadSummary[], labels: ArrayLike<number>, padThreshold: number): BoardScoreChoice {
  const candidates = boardScoreCandidates(padThreshold);
  const oof = candidates.map((c) => outOfFoldScores(c, summaries, labels, CHOICE_FOLDS));
  const prAuc = oof.map((scores) => averagePrecision(labels, scores));
  const best = Math.max(...prAuc);
  const chosen = prAuc.findIndex((v) => v >= best - CHOICE_TIE);
  const candidate = candidates[chosen] as Candidate;
  const all = summaries.map((_, i) => i);
  const platt = fitPlatt(oof[chosen] as Float64Array, labels);
  let defects = 0;
  for (let i = 0; i < labels.length; i++) defects += labels[i] as number;
  return {
    method: candidate.name,
    model: { aggregation: candidate.fit(summaries, labels, all), calibration: { kind: 'platt', ...platt } },
    folds: CHOICE_FOLDS,
    calibrationBoards: summaries.length,
    calibrationDefectBoards: defects,
    candidates: Object.fromEntries(candidates.map((c, i) => [c.name, prAuc[i] as number])),
  };
}

/** An aggregation in words, for the card. */
export function describeBoardAggregation(aggregation: BoardAggregation): string {
  switch (aggregation.kind) {
    case 'noisy-or':
      return 'noisy-OR over all pads, 1 - prod(1 - p)';
    case 'max':
      return 'the largest pad probability';
    case 'top-k':
      return `noisy-OR over the ${aggregation.k} riskiest pads`;
    case 'floor':
      return `noisy-OR over the pads with p >= ${aggregation.floor}`;
    case 'per-type-max':
      return 'the largest of the per-type noisy-ORs (bridging, insufficient solder, open)';
    case 'logistic':
      return `a logistic regression on ${aggregation.features.map((f, i) => `${f} (standardized weight ${(aggregation.weights[i] as number).toFixed(3)})`).join(', ')}, intercept ${aggregation.intercept.toFixed(3)}`;
    default: {
      const unknown: never = aggregation;
      return String(unknown);
    }
  }
}
