/**
 * How a board's score is made from its pads' probabilities: an aggregation of the pads (noisy-OR,
 * the riskiest pads, per defect type, or a small logistic regression on board features), then Platt
 * scaling to a probability. Which aggregation, and its parameters, were chosen and fitted on the
 * calibration window only (models/eval/board-score-choice.ts) and are stored in the card under
 * `metrics.boardScore.model`; serving reads them from there, so it scores boards as the card measured.
 */
import { readModelCard } from '../model-card';

/** Width of the model's `probabilities` output: none, bridging, insufficient solder, open. */
const WIDTH = 4;
/** Probabilities are kept within [EPS, 1 - EPS] before any logarithm. */
const EPS = 1e-12;

/** How many of a board's riskiest pads a summary keeps. */
export const SUMMARY_TOP_PADS = 16;
/** Pad probability floors of the floor noisy-OR candidates (pads below a floor are left out). */
export const PAD_FLOORS = [0.001, 0.003, 0.01, 0.03] as const;
/** Defect types in the model's output order (after `none`). */
export const SUMMARY_TYPES = ['bridging', 'insufficient', 'open'] as const;

/** What every aggregation reads of a board's pads. */
export interface BoardPadSummary {
  /** The SUMMARY_TOP_PADS largest any-defect probabilities (1 - p_none), largest first; 0 past the board's pads. */
  readonly top: readonly number[];
  /** Sum over pads of log(1 - p): the log of no defect at any pad, pads taken as independent. */
  readonly logNone: number;
  /** The same over the pads with p >= each of PAD_FLOORS. */
  readonly floorLogNone: readonly number[];
  /** Per defect type (SUMMARY_TYPES): sum over pads of log(1 - p_type). */
  readonly typeLogNone: readonly number[];
  /** Per defect type: the largest p_type of any pad. */
  readonly typeMax: readonly number[];
}

/** A board feature of the logistic aggregations (all of them non-decreasing in every pad probability). */
export type BoardFeatureName =
  | 'log-noisy-or'
  | 'log-max'
  | 'log1p-pads-above-threshold'
  | 'log-bridging-max'
  | 'log-insufficient-max'
  | 'log-open-max'
  | 'log-bridging-noisy-or'
  | 'log-insufficient-noisy-or'
  | 'log-open-noisy-or';

/** Every board feature, in a fixed order. */
export const BOARD_FEATURE_NAMES: readonly BoardFeatureName[] = [
  'log-noisy-or',
  'log-max',
  'log1p-pads-above-threshold',
  'log-bridging-max',
  'log-insufficient-max',
  'log-open-max',
  'log-bridging-noisy-or',
  'log-insufficient-noisy-or',
  'log-open-noisy-or',
];

/** How pad probabilities become a raw board score. */
export type BoardAggregation =
  /** 1 - prod(1 - p) over all pads (the score of version 1.0.0's first card). */
  | { readonly kind: 'noisy-or' }
  /** The largest pad probability. */
  | { readonly kind: 'max' }
  /** 1 - prod(1 - p) over the `k` riskiest pads (k <= SUMMARY_TOP_PADS). */
  | { readonly kind: 'top-k'; readonly k: number }
  /** 1 - prod(1 - p) over the pads with p >= `floor` (one of PAD_FLOORS). */
  | { readonly kind: 'floor'; readonly floor: number }
  /** The largest of the per-type noisy-ORs (bridging, insufficient solder, open taken separately). */
  | { readonly kind: 'per-type-max' }
  /**
   * sigmoid(intercept + sum_i weights[i] (f_i - center[i]) / scale[i]) over board features f. The
   * weights are non-negative, so the score never falls when a pad's probability rises.
   */
  | {
      readonly kind: 'logistic';
      readonly features: readonly BoardFeatureName[];
      /** The pad threshold that `log1p-pads-above-threshold` counts at (pads counted among the riskiest SUMMARY_TOP_PADS). */
      readonly padThreshold: number;
      readonly center: readonly number[];
      readonly scale: readonly number[];
      readonly weights: readonly number[];
      readonly intercept: number;
    };

/** From a raw board score to a probability. */
export type BoardCalibration =
  | { readonly kind: 'identity' }
  /** sigmoid(slope * logit(raw) + intercept), slope > 0 (Platt scaling on the log-odds). */
  | { readonly kind: 'platt'; readonly slope: number; readonly intercept: number };

/** Everything needed to score a board: what the card stores and serving applies. */
export interface BoardScoreModel {
  readonly aggregation: BoardAggregation;
  readonly calibration: BoardCalibration;
}

/** Plain noisy-OR, uncalibrated: the board score of the first card. */
export const NOISY_OR_SCORE: BoardScoreModel = { aggregation: { kind: 'noisy-or' }, calibration: { kind: 'identity' } };

const clampProbability = (p: number): number => Math.min(1 - EPS, Math.max(0, p));
const anyFromLogNone = (logNone: number): number => 0 - Math.expm1(logNone);
const safeLog = (p: number): number => Math.log(Math.max(EPS, p));

/** The logistic function, without overflow for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(p / (1 - p)), p kept within [EPS, 1 - EPS]. */
export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q) - Math.log1p(-q);
}

/** Summarizes one board's rows (`rows` rows of the model's output, starting at row `offset`). */
export function summarizeBoardPads(probabilities: Float32Array, rows: number, offset = 0): BoardPadSummary {
  const top = new Array<number>(SUMMARY_TOP_PADS).fill(0);
  const floorLogNone = PAD_FLOORS.map(() => 0);
  const typeLogNone = [0, 0, 0];
  const typeMax = [0, 0, 0];
  let logNone = 0;
  for (let i = 0; i < rows; i++) {
    const row = (offset + i) * WIDTH;
    const p = clampProbability(1 - (probabilities[row] as number));
    const log = Math.log1p(-p);
    logNone += log;
    for (let f = 0; f < PAD_FLOORS.length; f++) if (p >= (PAD_FLOORS[f] as number)) floorLogNone[f] = (floorLogNone[f] as number) + log;
    for (let c = 0; c < 3; c++) {
      const pc = clampProbability(probabilities[row + 1 + c] as number);
      typeLogNone[c] = (typeLogNone[c] as number) + Math.log1p(-pc);
      if (pc > (typeMax[c] as number)) typeMax[c] = pc;
    }
    if (p > (top[SUMMARY_TOP_PADS - 1] as number)) {
      let at = SUMMARY_TOP_PADS - 1;
      while (at > 0 && p > (top[at - 1] as number)) {
        top[at] = top[at - 1] as number;
        at--;
      }
      top[at] = p;
    }
  }
  return { top, logNone, floorLogNone, typeLogNone, typeMax };
}

/** One board feature of a summary (see BoardFeatureName). */
export function boardFeature(summary: BoardPadSummary, name: BoardFeatureName, padThreshold: number): number {
  switch (name) {
    case 'log-noisy-or':
      return safeLog(anyFromLogNone(summary.logNone));
    case 'log-max':
      return safeLog(summary.top[0] as number);
    case 'log1p-pads-above-threshold':
      return Math.log1p(summary.top.filter((p) => p >= padThreshold).length);
    case 'log-bridging-max':
      return safeLog(summary.typeMax[0] as number);
    case 'log-insufficient-max':
      return safeLog(summary.typeMax[1] as number);
    case 'log-open-max':
      return safeLog(summary.typeMax[2] as number);
    case 'log-bridging-noisy-or':
      return safeLog(anyFromLogNone(summary.typeLogNone[0] as number));
    case 'log-insufficient-noisy-or':
      return safeLog(anyFromLogNone(summary.typeLogNone[1] as number));
    case 'log-open-noisy-or':
      return safeLog(anyFromLogNone(summary.typeLogNone[2] as number));
    default: {
      const unknown: never = name;
      throw new Error(`unknown board feature ${String(unknown)}`);
    }
  }
}

/** The raw board score of an aggregation (a probability-like number in [0, 1]). */
export function aggregatePads(summary: BoardPadSummary, aggregation: BoardAggregation): number {
  switch (aggregation.kind) {
    case 'noisy-or':
      return anyFromLogNone(summary.logNone);
    case 'max':
      return summary.top[0] as number;
    case 'top-k': {
      let logNone = 0;
      for (let i = 0; i < aggregation.k; i++) logNone += Math.log1p(-(summary.top[i] as number));
      return anyFromLogNone(logNone);
    }
    case 'floor': {
      const f = PAD_FLOORS.indexOf(aggregation.floor as (typeof PAD_FLOORS)[number]);
      if (f < 0) throw new RangeError(`floor ${aggregation.floor} is not one of ${PAD_FLOORS.join(', ')}`);
      return anyFromLogNone(summary.floorLogNone[f] as number);
    }
    case 'per-type-max':
      return Math.max(...summary.typeLogNone.map(anyFromLogNone));
    case 'logistic': {
      let z = aggregation.intercept;
      aggregation.features.forEach((name, i) => {
        z += ((aggregation.weights[i] as number) * (boardFeature(summary, name, aggregation.padThreshold) - (aggregation.center[i] as number))) / (aggregation.scale[i] as number);
      });
      return sigmoid(z);
    }
    default: {
      const unknown: never = aggregation;
      throw new Error(`unknown board aggregation ${JSON.stringify(unknown)}`);
    }
  }
}

/** A raw score as a probability. */
export function calibrateBoardScore(raw: number, calibration: BoardCalibration): number {
  return calibration.kind === 'identity' ? raw : sigmoid(calibration.slope * logit(raw) + calibration.intercept);
}

/** A board's score: its pads aggregated, then calibrated. */
export function scoreBoardPads(summary: BoardPadSummary, model: BoardScoreModel): number {
  return calibrateBoardScore(aggregatePads(summary, model.aggregation), model.calibration);
}

/** Raised when a card's board score parameters are missing or malformed. */
export class BoardScoreModelError extends Error {
  readonly code = 'INVALID_BOARD_SCORE_MODEL';
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumbers = (v: unknown, length: number): v is number[] => Array.isArray(v) && v.length === length && v.every(isNumber);

function parseAggregation(v: Record<string, unknown>): BoardAggregation {
  switch (v.kind) {
    case 'noisy-or':
    case 'max':
    case 'per-type-max':
      return { kind: v.kind };
    case 'top-k':
      if (Number.isInteger(v.k) && (v.k as number) >= 1 && (v.k as number) <= SUMMARY_TOP_PADS) return { kind: 'top-k', k: v.k as number };
      break;
    case 'floor':
      if ((PAD_FLOORS as readonly unknown[]).includes(v.floor)) return { kind: 'floor', floor: v.floor as number };
      break;
    case 'logistic': {
      const features = v.features;
      if (!Array.isArray(features) || features.length === 0 || !features.every((f) => (BOARD_FEATURE_NAMES as readonly unknown[]).includes(f))) break;
      const n = features.length;
      if (!isNumber(v.padThreshold) || !isNumbers(v.center, n) || !isNumbers(v.scale, n) || !isNumbers(v.weights, n) || !isNumber(v.intercept)) break;
      if (v.scale.some((s) => s <= 0) || v.weights.some((w) => w < 0)) break;
      return { kind: 'logistic', features: features as BoardFeatureName[], padThreshold: v.padThreshold, center: v.center, scale: v.scale, weights: v.weights, intercept: v.intercept };
    }
    default:
      break;
  }
  throw new BoardScoreModelError(`board score aggregation ${JSON.stringify(v)} is malformed`);
}

/** Reads and checks a board score model (as stored in a card); throws BoardScoreModelError. */
export function parseBoardScoreModel(value: unknown): BoardScoreModel {
  const v = value as { aggregation?: unknown; calibration?: Record<string, unknown> } | null;
  if (typeof v !== 'object' || v === null || typeof v.aggregation !== 'object' || v.aggregation === null || typeof v.calibration !== 'object') {
    throw new BoardScoreModelError('a board score model needs an aggregation and a calibration');
  }
  const aggregation = parseAggregation(v.aggregation as Record<string, unknown>);
  const c = v.calibration;
  if (c.kind === 'identity') return { aggregation, calibration: { kind: 'identity' } };
  if (c.kind === 'platt' && isNumber(c.slope) && c.slope > 0 && isNumber(c.intercept)) return { aggregation, calibration: { kind: 'platt', slope: c.slope, intercept: c.intercept } };
  throw new BoardScoreModelError(`board score calibration ${JSON.stringify(c)} is malformed (Platt scaling needs a positive slope)`);
}

let shipped: BoardScoreModel | undefined;

/** The board score model of the shipped card (`metrics.boardScore.model`), read once. */
export function shippedBoardScoreModel(): BoardScoreModel {
  shipped ??= parseBoardScoreModel((readModelCard('spi-defect-risk').metrics as { boardScore?: { model?: unknown } }).boardScore?.model);
  return shipped;
}
