/*
 * Evaluation metrics for recomputing the figures of a model card. Every function is pure, reads
 * number arrays or typed arrays without changing them, keeps per-row work in typed arrays (inputs may
 * hold 2x10^7 rows), and throws a RangeError naming the function and the row on input it cannot
 * score: empty or mismatched columns, NaN, labels other than 0/1, probabilities outside [0, 1],
 * negative weights. Definitions follow scikit-learn and NumPy wherever those define the figure.
 */

import { descendingOrder } from './descending-order';

/** Counts and rates of a binary classifier at one threshold. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fp); 0 when nothing is predicted positive. */
  precision: number;
  /** tp / (tp + fn); 0 when there is no positive label. */
  recall: number;
  /** 2tp / (2tp + fp + fn), the harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/** The threshold with the highest F1, and that F1. */
export interface BestF1 {
  /** A score from the input: rows with score >= threshold are predicted positive. */
  threshold: number;
  f1: number;
}

/** How `calibrationBins` and `expectedCalibrationError` bin probabilities. */
export interface CalibrationOptions {
  /** Number of bins, a positive integer. Default 10. */
  bins?: number;
  /**
   * `uniform` (default): equal-width bins over [0, 1] with NumPy's `linspace(0, 1, bins + 1)` edges.
   * `quantile`: edges at the 0, 1/bins, ..., 100th percentiles of the probabilities (NumPy's linear
   * `percentile`, the edges scikit-learn's `calibration_curve` uses), so bins hold equal counts except
   * where tied probabilities fall on an edge; tied probabilities always share a bin, and a bin may
   * stay empty. Either way a bin holds lower <= p < upper, the last bin also p = upper, as
   * `numpy.digitize(p, edges[1:-1])`. (`calibration_curve` itself puts a p lying exactly on an inner
   * edge in the bin below.)
   */
  strategy?: 'uniform' | 'quantile';
}

/** One row of a reliability table. */
export interface CalibrationBin {
  /** Lower edge (inclusive). */
  lower: number;
  /** Upper edge (exclusive, except for the last bin). */
  upper: number;
  /** Rows whose probability falls in the bin. */
  count: number;
  /** Mean predicted probability of those rows; null when the bin is empty. */
  meanProb: number | null;
  /** Share of those rows labelled 1; null when the bin is empty. */
  observedRate: number | null;
}

/**
 * Average precision (area under the precision-recall curve), as scikit-learn's
 * `average_precision_score`: sum over distinct score thresholds, highest first, of
 * (R_n - R_{n-1}) * P_n, where rows with tied scores enter together. With `weights`, every count is a
 * sum of row weights, so a weight of 2 equals a duplicated row. Throws when no positive row (of
 * positive weight) exists.
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const caller = 'averagePrecision';
  const totals = binaryTotals(caller, labels, scores, weights);
  if (!(totals.positives > 0)) throw new RangeError(`${caller}: no positive label, so recall and average precision are undefined`);
  let sum = 0;
  let previousTp = 0;
  sweepThresholds(caller, labels, scores, weights, (_threshold, tp, fp) => {
    const predicted = tp + fp;
    sum += (tp - previousTp) * (predicted > 0 ? tp / predicted : 0);
    previousTp = tp;
  });
  return sum / totals.positives;
}

/**
 * Area under the ROC curve by the trapezoidal rule over distinct thresholds, as scikit-learn's
 * `roc_auc_score`; equal to the Mann-Whitney statistic with tied positive/negative pairs counted half.
 * Optional `weights` as in `averagePrecision`. Throws unless both classes are present.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const caller = 'rocAuc';
  const totals = binaryTotals(caller, labels, scores, weights);
  if (!(totals.positives > 0 && totals.negatives > 0)) {
    throw new RangeError(`${caller}: only one class present in labels, so ROC AUC is undefined`);
  }
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  sweepThresholds(caller, labels, scores, weights, (_threshold, tp, fp) => {
    area += ((fp - previousFp) * (tp + previousTp)) / 2;
    previousTp = tp;
    previousFp = fp;
  });
  return area / (totals.positives * totals.negatives);
}

/**
 * Brier score of binary probabilities: the (weighted) mean of (label - prob)^2, as scikit-learn's
 * `brier_score_loss`. Probabilities must lie in [0, 1].
 */
export function brierScore(labels: ArrayLike<number>, probs: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const caller = 'brierScore';
  const n = requireRows(caller, 'labels', labels);
  requireLength(caller, 'probs', probs, n);
  if (weights !== undefined) requireLength(caller, 'weights', weights, n);
  let sum = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const error = labelAt(caller, labels, i) - probabilityAt(caller, probs, i);
    const w = weights === undefined ? 1 : weightAt(caller, weights, i);
    sum += w * error * error;
    totalWeight += w;
  }
  if (!(totalWeight > 0)) throw new RangeError(`${caller}: weights sum to 0`);
  return sum / totalWeight;
}

/**
 * Multiclass Brier score: the mean over rows of the sum over the `k` classes of (onehot - prob)^2.
 * `probs` is row-major, n x k; `labelIndex[i]` is the true class of row i, an integer in [0, k).
 * Ranges over [0, 2]; for k = 2 it is twice the binary `brierScore`.
 */
export function multiclassBrier(labelIndex: ArrayLike<number>, probs: Float32Array | Float64Array | number[], k: number): number {
  const caller = 'multiclassBrier';
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`${caller}: k must be an integer >= 2; got ${k}`);
  const n = requireRows(caller, 'labelIndex', labelIndex);
  if (probs.length !== n * k) {
    throw new RangeError(`${caller}: probs has ${probs.length} values but labelIndex has ${n} rows of k = ${k} classes (${n * k})`);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const label = labelIndex[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new RangeError(`${caller}: labelIndex[${i}] is ${label}; it must be an integer in [0, ${k})`);
    }
    for (let c = 0; c < k; c++) {
      const error = (c === label ? 1 : 0) - probabilityAt(caller, probs, i * k + c);
      sum += error * error;
    }
  }
  return sum / n;
}

/**
 * Reliability table: the rows binned by predicted probability (see `CalibrationOptions`), with each
 * bin's count, mean probability and observed rate of label 1. Empty bins are kept, with null means.
 */
export function calibrationBins(labels: ArrayLike<number>, probs: ArrayLike<number>, options: CalibrationOptions = {}): CalibrationBin[] {
  return binCalibration('calibrationBins', labels, probs, options);
}

/**
 * Expected calibration error: the mean over bins of |mean probability - observed rate|, each bin
 * weighted by its share of rows. Bins as `calibrationBins`; 0 when every bin is perfectly calibrated.
 */
export function expectedCalibrationError(labels: ArrayLike<number>, probs: ArrayLike<number>, options: CalibrationOptions = {}): number {
  const table = binCalibration('expectedCalibrationError', labels, probs, options);
  let ece = 0;
  for (const bin of table) {
    if (bin.count > 0) ece += (bin.count / labels.length) * Math.abs(bin.meanProb! - bin.observedRate!);
  }
  return ece;
}

/** Confusion counts, precision, recall and F1 when rows with score >= threshold are predicted positive. */
export function confusionAt(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Confusion {
  const caller = 'confusionAt';
  if (Number.isNaN(threshold)) throw new RangeError(`${caller}: threshold is NaN`);
  const n = requireRows(caller, 'labels', labels);
  requireLength(caller, 'scores', scores, n);
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = labelAt(caller, labels, i);
    const predicted = numberAt(caller, 'scores', scores, i) >= threshold;
    positives += label;
    if (predicted) {
      if (label === 1) tp++;
      else fp++;
    }
  }
  const fn = positives - tp;
  return {
    tp,
    fp,
    tn: n - positives - fp,
    fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: positives > 0 ? tp / positives : 0,
    f1: tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

/**
 * The threshold, among the distinct scores, whose `confusionAt` F1 is highest; of equal F1s the
 * highest threshold wins. Throws when no label is positive (every F1 would be 0).
 */
export function bestF1Threshold(labels: ArrayLike<number>, scores: ArrayLike<number>): BestF1 {
  const caller = 'bestF1Threshold';
  const { positives } = binaryTotals(caller, labels, scores, undefined);
  if (positives === 0) throw new RangeError(`${caller}: no positive label, so F1 is 0 at every threshold`);
  let best: BestF1 = { threshold: Number.NaN, f1: -1 };
  sweepThresholds(caller, labels, scores, undefined, (threshold, tp, fp) => {
    const f1 = (2 * tp) / (positives + tp + fp);
    if (f1 > best.f1) best = { threshold, f1 };
  });
  return best;
}

/** Mean of |actual - predicted|. */
export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const caller = 'meanAbsoluteError';
  const n = requireRows(caller, 'actual', actual);
  requireLength(caller, 'predicted', predicted, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(numberAt(caller, 'actual', actual, i) - numberAt(caller, 'predicted', predicted, i));
  return sum / n;
}

/**
 * Share of rows with lower <= actual <= upper. A row whose bounds cross (lower > upper, as quantile
 * models can give) is simply not covered.
 */
export function intervalCoverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  const caller = 'intervalCoverage';
  const n = requireRows(caller, 'actual', actual);
  requireLength(caller, 'lower', lower, n);
  requireLength(caller, 'upper', upper, n);
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const value = numberAt(caller, 'actual', actual, i);
    if (numberAt(caller, 'lower', lower, i) <= value && value <= numberAt(caller, 'upper', upper, i)) covered++;
  }
  return covered / n;
}

/** Mean of upper - lower; crossed bounds count as negative widths, as `numpy.mean(upper - lower)` would. */
export function meanIntervalWidth(lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  const caller = 'meanIntervalWidth';
  const n = requireRows(caller, 'lower', lower);
  requireLength(caller, 'upper', upper, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += numberAt(caller, 'upper', upper, i) - numberAt(caller, 'lower', lower, i);
  return sum / n;
}

/** Median; the mean of the two middle values when the count is even, as `numpy.median`. */
export function medianOf(values: ArrayLike<number>): number {
  const caller = 'medianOf';
  const n = requireRows(caller, 'values', values);
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = numberAt(caller, 'values', values, i);
  sorted.sort();
  const middle = n >> 1;
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface ClassTotals {
  positives: number;
  negatives: number;
}

/** Checks a binary labels/scores/weights triple and returns the (weighted) size of each class. */
function binaryTotals(caller: string, labels: ArrayLike<number>, scores: ArrayLike<number>, weights: ArrayLike<number> | undefined): ClassTotals {
  const n = requireRows(caller, 'labels', labels);
  requireLength(caller, 'scores', scores, n);
  let positives = 0;
  let negatives = 0;
  if (weights === undefined) {
    for (let i = 0; i < n; i++) positives += labelAt(caller, labels, i);
    return { positives, negatives: n - positives };
  }
  requireLength(caller, 'weights', weights, n);
  for (let i = 0; i < n; i++) {
    const w = weightAt(caller, weights, i);
    if (labelAt(caller, labels, i) === 1) positives += w;
    else negatives += w;
  }
  return { positives, negatives };
}

/**
 * Visits every distinct score, highest first, with the (weighted) true and false positives among rows
 * scoring at least that much. Expects inputs already checked by `binaryTotals`.
 */
function sweepThresholds(
  caller: string,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  visit: (threshold: number, tp: number, fp: number) => void,
): void {
  const { order, sorted } = descendingOrder(scores, `${caller}: scores`);
  const n = order.length;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const row = order[i]!;
    const w = weights === undefined ? 1 : weights[row]!;
    if (labels[row] === 1) tp += w;
    else fp += w;
    if (i === n - 1 || sorted[i + 1] !== sorted[i]) visit(sorted[i]!, tp, fp);
  }
}

function binCalibration(caller: string, labels: ArrayLike<number>, probs: ArrayLike<number>, options: CalibrationOptions): CalibrationBin[] {
  const { bins = 10, strategy = 'uniform' } = options;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${caller}: bins must be a positive integer; got ${bins}`);
  const n = requireRows(caller, 'labels', labels);
  requireLength(caller, 'probs', probs, n);
  for (let i = 0; i < n; i++) {
    labelAt(caller, labels, i);
    probabilityAt(caller, probs, i);
  }
  const edges = strategy === 'quantile' ? quantileEdges(probs, bins) : uniformEdges(bins);
  const counts = new Float64Array(bins);
  const probSums = new Float64Array(bins);
  const labelSums = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    const bin = binOf(edges, p);
    counts[bin]!++;
    probSums[bin]! += p;
    labelSums[bin]! += labels[i]!;
  }
  return Array.from({ length: bins }, (_, b) => {
    const count = counts[b]!;
    return {
      lower: edges[b]!,
      upper: edges[b + 1]!,
      count,
      meanProb: count > 0 ? probSums[b]! / count : null,
      observedRate: count > 0 ? labelSums[b]! / count : null,
    };
  });
}

/** `numpy.linspace(0, 1, bins + 1)`: i * (1 / bins), with the last edge exactly 1. */
function uniformEdges(bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step;
  edges[bins] = 1;
  return edges;
}

/** `numpy.percentile(probs, numpy.linspace(0, 1, bins + 1) * 100)`, the default linear method, in float64. */
function quantileEdges(probs: ArrayLike<number>, bins: number): Float64Array {
  const sorted = Float64Array.from(probs).sort();
  const last = sorted.length - 1;
  const edges = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let i = 0; i <= bins; i++) {
    const q = i === bins ? 1 : (i * step * 100) / 100;
    const position = last * q;
    const below = Math.min(Math.floor(position), last);
    const above = Math.min(below + 1, last);
    const t = position - below;
    const a = sorted[below]!;
    const b = sorted[above]!;
    // NumPy's _lerp interpolates from the nearer end, which keeps the result monotone in q.
    edges[i] = t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  }
  return edges;
}

/** The bin holding p: the count of inner edges <= p, as `numpy.searchsorted(edges[1:-1], p, 'right')`. */
function binOf(edges: Float64Array, p: number): number {
  let low = 0;
  let high = edges.length - 2;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle + 1]! <= p) low = middle + 1;
    else high = middle;
  }
  return low;
}

function requireRows(caller: string, name: string, values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError(`${caller}: ${name} is empty`);
  return values.length;
}

function requireLength(caller: string, name: string, values: ArrayLike<number>, n: number): void {
  if (values.length !== n) throw new RangeError(`${caller}: ${name} has ${values.length} rows; expected ${n}`);
}

function labelAt(caller: string, labels: ArrayLike<number>, i: number): 0 | 1 {
  const label = labels[i];
  if (label !== 0 && label !== 1) throw new RangeError(`${caller}: labels[${i}] is ${label}; labels must be 0 or 1`);
  return label;
}

function probabilityAt(caller: string, probs: ArrayLike<number>, i: number): number {
  const p = probs[i]!;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${caller}: probs[${i}] is ${p}; probabilities must lie in [0, 1]`);
  return p;
}

function weightAt(caller: string, weights: ArrayLike<number>, i: number): number {
  const w = weights[i]!;
  if (!(w >= 0 && w < Infinity)) throw new RangeError(`${caller}: weights[${i}] is ${w}; weights must be finite and >= 0`);
  return w;
}

function numberAt(caller: string, name: string, values: ArrayLike<number>, i: number): number {
  const value = values[i]!;
  if (Number.isNaN(value)) throw new RangeError(`${caller}: ${name}[${i}] is NaN`);
  return value;
}
