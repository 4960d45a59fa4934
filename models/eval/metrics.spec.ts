import { rngFor } from '../../opcenter/simulator/prng';
import {
  averagePrecision,
  bestF1Threshold,
  brierScore,
  calibrationBins,
  confusionAt,
  expectedCalibrationError,
  intervalCoverage,
  meanAbsoluteError,
  meanIntervalWidth,
  medianOf,
  multiclassBrier,
  rocAuc,
} from './metrics';

/** The simulator's seeded generator, so every run sees the same rows. */
function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0x5eed);
  return () => rng.next();
}

/** Random labels, scores rounded to force ties, and integer weights 0 to 3. */
function randomRows(seed: number, n: number): { labels: number[]; scores: number[]; weights: number[] } {
  const random = seeded(seed);
  const labels = Array.from({ length: n }, () => (random() < 0.35 ? 1 : 0));
  const scores = labels.map((y) => Math.round((random() + 0.4 * y) * 20) / 20);
  const weights = labels.map(() => Math.floor(random() * 4));
  return { labels, scores, weights };
}

/** Each row repeated `weights[i]` times. */
function duplicated<T>(values: T[], weights: number[]): T[] {
  return values.flatMap((value, i) => Array.from({ length: weights[i]! }, () => value));
}

/** Average precision straight from its definition: precision and recall recounted at every distinct score. */
function directAveragePrecision(labels: number[], scores: number[], weights: number[]): number {
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  const positives = labels.reduce((sum, y, i) => sum + y * weights[i]!, 0);
  let previousRecall = 0;
  let ap = 0;
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    scores.forEach((s, i) => {
      if (s >= t) {
        if (labels[i] === 1) tp += weights[i]!;
        else fp += weights[i]!;
      }
    });
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp + fp > 0 ? tp / (tp + fp) : 0);
    previousRecall = recall;
  }
  return ap;
}

/** ROC AUC as the Mann-Whitney statistic: the weighted share of positive/negative pairs ranked right, ties half. */
function mannWhitneyAuc(labels: number[], scores: number[], weights: number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((yi, i) => {
    if (yi !== 1) return;
    labels.forEach((yj, j) => {
      if (yj !== 0) return;
      const w = weights[i]! * weights[j]!;
      pairs += w;
      if (scores[i]! > scores[j]!) wins += w;
      else if (scores[i] === scores[j]) wins += w / 2;
    });
  });
  return wins / pairs;
}

// Reference rows and values computed once by hand with scikit-learn 1.2.1 and NumPy 1.24
// (numpy.random.default_rng(7)); Python is never run by the tests.
const SK = {
  labels: [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
  scores: [0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 1.0, 0.8, 0.6, 1.0, 0.2, 0.2, 0.6, 0.0, 0.0, 0.5, 0.5, 0.9, 0.6, 0.5],
  weights: [1.49, 0.74, 0.04, 0.58, 2.08, 0.6, 1.11, 0.01, 2.49, 0.46, 0.8, 2.64, 1.53, 2.54, 1.92, 2.23, 0.27, 1.62, 1.52, 2.61],
  probs: [0.36, 0.6, 0.06, 0.39, 0.32, 0.15, 0.82, 0.38, 0.98, 0.59, 0.61, 0.64, 0.68, 0.15, 0.44, 0.24, 0.4, 0.1, 0.97, 0.22],
};

describe('averagePrecision', () => {
  it("gives 0.8333 on scikit-learn's documented example", () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 15);
  });

  it('sums recall steps times precision over distinct thresholds, tied scores entering together', () => {
    expect(averagePrecision([1, 0, 1, 1, 0], [0.9, 0.8, 0.8, 0.3, 0.1])).toBeCloseTo(29 / 36, 15);
    expect(averagePrecision([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('matches scikit-learn on random rows with ties, with and without weights', () => {
    expect(averagePrecision(SK.labels, SK.scores)).toBeCloseTo(0.5628399378399378, 14);
    expect(averagePrecision(SK.labels, SK.scores, SK.weights)).toBeCloseTo(0.6210695487308318, 14);
  });

  it('agrees with precision and recall recounted at every threshold', () => {
    for (const seed of [1, 2, 3]) {
      const { labels, scores, weights } = randomRows(seed, 300);
      expect(averagePrecision(labels, scores)).toBeCloseTo(directAveragePrecision(labels, scores, labels.map(() => 1)), 12);
      expect(averagePrecision(labels, scores, weights)).toBeCloseTo(directAveragePrecision(labels, scores, weights), 12);
    }
  });

  it('treats a weight of k like the row repeated k times, a weight of 0 like no row', () => {
    const { labels, scores, weights } = randomRows(4, 200);
    const expected = averagePrecision(duplicated(labels, weights), duplicated(scores, weights));
    expect(averagePrecision(labels, scores, weights)).toBeCloseTo(expected, 13);
  });

  it('is unchanged by a strictly increasing transform that makes scores negative', () => {
    const { labels, scores } = randomRows(5, 300);
    const logits = Float32Array.from(scores, (s) => Math.log((s + 0.01) / 1.5));
    expect(averagePrecision(labels, logits)).toBeCloseTo(averagePrecision(labels, scores), 14);
  });

  it('throws a RangeError when no label is positive', () => {
    expect(() => averagePrecision([0, 0, 0], [0.1, 0.2, 0.3])).toThrow(RangeError);
    expect(() => averagePrecision([0, 0, 0], [0.1, 0.2, 0.3])).toThrow('averagePrecision: no positive label');
    expect(() => averagePrecision([1, 0], [0.1, 0.2], [0, 1])).toThrow('no positive label');
  });

  it('rejects empty, mismatched or malformed columns, naming the row', () => {
    expect(() => averagePrecision([], [])).toThrow(new RangeError('averagePrecision: labels is empty'));
    expect(() => averagePrecision([0, 1], [0.5])).toThrow('averagePrecision: scores has 1 rows; expected 2');
    expect(() => averagePrecision([0, 2], [0.5, 0.6])).toThrow('averagePrecision: labels[1] is 2; labels must be 0 or 1');
    expect(() => averagePrecision([0, 1], [0.5, Number.NaN])).toThrow('averagePrecision: scores[1] is NaN');
    expect(() => averagePrecision([0, 1], [0.5, 0.6], [1, -1])).toThrow('averagePrecision: weights[1] is -1');
    expect(() => averagePrecision([0, 1], [0.5, 0.6], [1])).toThrow('weights has 1 rows; expected 2');
  });

  it('leaves its inputs unchanged', () => {
    const labels = new Uint8Array([1, 0, 1, 0]);
    const scores = new Float32Array([0.2, 0.9, 0.4, 0.1]);
    const weights = [1, 2, 3, 4];
    averagePrecision(labels, scores, weights);
    rocAuc(labels, scores, weights);
    bestF1Threshold(labels, scores);
    expect(Array.from(labels)).toEqual([1, 0, 1, 0]);
    expect(Array.from(scores)).toEqual([0.2, 0.9, 0.4, 0.1].map(Math.fround));
    expect(weights).toEqual([1, 2, 3, 4]);
  });
});

describe('rocAuc', () => {
  it("gives 0.75 on scikit-learn's documented example", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('counts a positive and a negative with tied scores as half a correctly ranked pair', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.2, 0.5, 0.5, 0.9])).toBe(0.875);
  });

  it('matches scikit-learn on random rows with ties, with and without weights', () => {
    expect(rocAuc(SK.labels, SK.scores)).toBeCloseTo(0.5151515151515151, 14);
    expect(rocAuc(SK.labels, SK.scores, SK.weights)).toBeCloseTo(0.6040745541302812, 14);
  });

  it('equals the Mann-Whitney statistic on random rows, weighted or not', () => {
    for (const seed of [6, 7, 8]) {
      const { labels, scores, weights } = randomRows(seed, 300);
      expect(rocAuc(labels, scores)).toBeCloseTo(mannWhitneyAuc(labels, scores, labels.map(() => 1)), 12);
      expect(rocAuc(labels, scores, weights)).toBeCloseTo(mannWhitneyAuc(labels, scores, weights), 12);
    }
  });

  it('treats a weight of k like the row repeated k times', () => {
    const { labels, scores, weights } = randomRows(9, 200);
    expect(rocAuc(labels, scores, weights)).toBeCloseTo(rocAuc(duplicated(labels, weights), duplicated(scores, weights)), 13);
  });

  it('throws a RangeError unless both classes are present', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.4])).toThrow(new RangeError('rocAuc: only one class present in labels, so ROC AUC is undefined'));
    expect(() => rocAuc([0, 0], [0.2, 0.4])).toThrow(RangeError);
    expect(() => rocAuc([], [])).toThrow('rocAuc: labels is empty');
  });
});

describe('brierScore', () => {
  it("gives 0.0375 on scikit-learn's documented example", () => {
    expect(brierScore([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])).toBeCloseTo(0.0375, 15);
  });

  it('matches scikit-learn on random rows, with and without weights', () => {
    expect(brierScore(SK.labels, SK.probs)).toBeCloseTo(0.39263, 14);
    expect(brierScore(SK.labels, SK.probs, SK.weights)).toBeCloseTo(0.38084259530791786, 14);
  });

  it('treats a weight of k like the row repeated k times', () => {
    const { labels, scores, weights } = randomRows(10, 100);
    const probs = scores.map((s) => s / 1.4);
    expect(brierScore(labels, probs, weights)).toBeCloseTo(brierScore(duplicated(labels, weights), duplicated(probs, weights)), 14);
  });

  it('rejects probabilities outside [0, 1], empty input and weights that sum to 0', () => {
    expect(() => brierScore([0, 1], [0.5, 1.2])).toThrow('brierScore: probs[1] is 1.2; probabilities must lie in [0, 1]');
    expect(() => brierScore([], [])).toThrow(RangeError);
    expect(() => brierScore([0, 1], [0.5, 0.5], [0, 0])).toThrow('brierScore: weights sum to 0');
  });
});

describe('multiclassBrier', () => {
  it('averages over rows the squared error summed over classes', () => {
    const probs = new Float32Array([0.7, 0.2, 0.1, 0.2, 0.3, 0.5]);
    const expected = (0.3 ** 2 + 0.2 ** 2 + 0.1 ** 2 + 0.2 ** 2 + 0.3 ** 2 + 0.5 ** 2) / 2;
    expect(multiclassBrier([0, 2], probs, 3)).toBeCloseTo(expected, 6);
  });

  it('is twice the binary Brier score for two classes', () => {
    const labels = [1, 0, 1, 1, 0];
    const probs = [0.8, 0.3, 0.6, 0.1, 0.45];
    const twoColumns = probs.flatMap((p) => [1 - p, p]);
    expect(multiclassBrier(labels, twoColumns, 2)).toBeCloseTo(2 * brierScore(labels, probs), 15);
  });

  it('rejects a probability array of the wrong size, a class outside [0, k) and k below 2', () => {
    expect(() => multiclassBrier([0, 1], [0.5, 0.5, 1], 2)).toThrow('multiclassBrier: probs has 3 values but labelIndex has 2 rows');
    expect(() => multiclassBrier([0, 2], [0.5, 0.5, 1, 0], 2)).toThrow('multiclassBrier: labelIndex[1] is 2; it must be an integer in [0, 2)');
    expect(() => multiclassBrier([0], [1], 1)).toThrow('k must be an integer >= 2');
    expect(() => multiclassBrier([], [], 3)).toThrow('multiclassBrier: labelIndex is empty');
  });
});

describe('calibrationBins and expectedCalibrationError', () => {
  it('gives 0 when every bin is perfectly calibrated', () => {
    const labels = [1, 0, 0, 0, 1, 1, 1, 0];
    const probs = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    expect(expectedCalibrationError(labels, probs)).toBe(0);
    expect(expectedCalibrationError(labels, probs, { bins: 2, strategy: 'quantile' })).toBe(0);
  });

  it('weights each bin’s |mean probability - observed rate| by its share of rows', () => {
    // Bin [0, 0.5): mean 0.3, rate 0.5; bin [0.5, 1]: mean 0.75, rate 1.
    const ece = expectedCalibrationError([0, 1, 1, 1], [0.2, 0.4, 0.6, 0.9], { bins: 2 });
    expect(ece).toBeCloseTo(0.5 * 0.2 + 0.5 * 0.25, 15);
  });

  it('matches NumPy linspace, percentile and digitize binning of random rows', () => {
    expect(expectedCalibrationError(SK.labels, SK.probs)).toBeCloseTo(0.393, 14);
    expect(expectedCalibrationError(SK.labels, SK.probs, { bins: 5 })).toBeCloseTo(0.37499999999999994, 14);
    expect(expectedCalibrationError(SK.labels, SK.probs, { bins: 4, strategy: 'quantile' })).toBeCloseTo(0.36799999999999994, 14);
    expect(expectedCalibrationError(SK.labels, SK.probs, { bins: 3, strategy: 'quantile' })).toBeCloseTo(0.28099999999999997, 14);
  });

  it('uses NumPy linspace edges, puts a probability on an inner edge in the bin above and 1 in the last bin', () => {
    const table = calibrationBins(SK.labels, SK.probs, { bins: 5 });
    expect(table.map((bin) => bin.lower)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8]);
    expect(table.map((bin) => bin.upper)).toEqual([0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(table.map((bin) => bin.count)).toEqual([4, 6, 4, 3, 3]);
    const onEdges = calibrationBins([0, 1, 1], [0.4, 1, 0], { bins: 5 });
    expect(onEdges.map((bin) => bin.count)).toEqual([1, 0, 1, 0, 1]);
  });

  it('reports mean probability and observed rate per bin, and null for an empty bin', () => {
    const table = calibrationBins([0, 1, 1, 0, 1], [0.1, 0.3, 0.2, 0.9, 0.95], { bins: 4 });
    expect(table[0]).toEqual({ lower: 0, upper: 0.25, count: 2, meanProb: expect.closeTo(0.15, 15), observedRate: 0.5 });
    expect(table[1]).toEqual({ lower: 0.25, upper: 0.5, count: 1, meanProb: 0.3, observedRate: 1 });
    expect(table[2]).toEqual({ lower: 0.5, upper: 0.75, count: 0, meanProb: null, observedRate: null });
    expect(table[3]).toEqual({ lower: 0.75, upper: 1, count: 2, meanProb: expect.closeTo(0.925, 15), observedRate: 0.5 });
  });

  it('puts quantile edges at NumPy percentiles, giving equal counts when no ties straddle an edge', () => {
    const table = calibrationBins(SK.labels, SK.probs, { bins: 4, strategy: 'quantile' });
    expect(table.map((bin) => bin.lower)).toEqual([0.06, 0.235, 0.395, 0.6174999999999999]);
    expect(table[3]!.upper).toBe(0.98);
    expect(table.map((bin) => bin.count)).toEqual([5, 5, 5, 5]);
  });

  it('keeps tied probabilities in one quantile bin, leaving the others empty', () => {
    const table = calibrationBins([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.5], { bins: 3, strategy: 'quantile' });
    expect(table.map((bin) => bin.count)).toEqual([0, 0, 4]);
    expect(expectedCalibrationError([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.5], { strategy: 'quantile' })).toBe(0);
  });

  it('rejects probabilities outside [0, 1], a bin count that is not a positive integer and empty input', () => {
    expect(() => expectedCalibrationError([0, 1], [0.5, -0.1])).toThrow('expectedCalibrationError: probs[1] is -0.1');
    expect(() => calibrationBins([0, 1], [0.5, 0.5], { bins: 0 })).toThrow('calibrationBins: bins must be a positive integer; got 0');
    expect(() => calibrationBins([0, 1], [0.5, 0.5], { bins: 2.5 })).toThrow(RangeError);
    expect(() => expectedCalibrationError([], [])).toThrow('expectedCalibrationError: labels is empty');
  });
});

describe('confusionAt', () => {
  it('predicts positive at score >= threshold and derives precision, recall and F1', () => {
    expect(confusionAt([1, 0, 1, 0, 1], [0.9, 0.8, 0.4, 0.2, 0.6], 0.6)).toEqual({
      tp: 2,
      fp: 1,
      tn: 1,
      fn: 1,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
  });

  it('matches scikit-learn on random rows', () => {
    const result = confusionAt(SK.labels, SK.scores, 0.5);
    expect([result.tn, result.fp, result.fn, result.tp]).toEqual([3, 6, 5, 6]);
    expect(result.precision).toBe(0.5);
    expect(result.recall).toBeCloseTo(0.5454545454545454, 15);
    expect(result.f1).toBeCloseTo(0.5217391304347826, 15);
  });

  it('gives precision, recall and F1 of 0 when nothing is predicted positive or no label is positive', () => {
    expect(confusionAt([1, 0], [0.3, 0.2], 0.9)).toEqual({ tp: 0, fp: 0, tn: 1, fn: 1, precision: 0, recall: 0, f1: 0 });
    expect(confusionAt([0, 0], [0.3, 0.2], 0.1)).toEqual({ tp: 0, fp: 2, tn: 0, fn: 0, precision: 0, recall: 0, f1: 0 });
  });

  it('rejects a NaN threshold and empty input', () => {
    expect(() => confusionAt([0, 1], [0.2, 0.3], Number.NaN)).toThrow('confusionAt: threshold is NaN');
    expect(() => confusionAt([], [], 0.5)).toThrow('confusionAt: labels is empty');
  });
});

describe('bestF1Threshold', () => {
  it('matches the best F1 scikit-learn finds over the distinct scores of random rows', () => {
    const best = bestF1Threshold(SK.labels, SK.scores);
    expect(best.threshold).toBe(0.2);
    expect(best.f1).toBeCloseTo(0.7586206896551725, 15);
  });

  it('returns the F1 that confusionAt gives at the chosen threshold, and no threshold does better', () => {
    const { labels, scores } = randomRows(12, 400);
    const best = bestF1Threshold(labels, scores);
    expect(confusionAt(labels, scores, best.threshold).f1).toBeCloseTo(best.f1, 15);
    for (const t of new Set(scores)) expect(confusionAt(labels, scores, t).f1).toBeLessThanOrEqual(best.f1 + 1e-15);
  });

  it('prefers the higher threshold when two give the same F1', () => {
    // F1 is 4/6 at threshold 8 and 6/9 at threshold 5.
    const best = bestF1Threshold([1, 1, 0, 0, 1, 0, 0, 0, 1], [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(best).toEqual({ threshold: 8, f1: 2 / 3 });
  });

  it('throws a RangeError when no label is positive', () => {
    expect(() => bestF1Threshold([0, 0], [0.1, 0.2])).toThrow(new RangeError('bestF1Threshold: no positive label, so F1 is 0 at every threshold'));
  });
});

describe('regression and interval metrics', () => {
  it('averages absolute errors', () => {
    expect(meanAbsoluteError([1, 2, 3], new Float32Array([2, 2, 5]))).toBe(1);
    expect(() => meanAbsoluteError([1, 2], [1])).toThrow('meanAbsoluteError: predicted has 1 rows; expected 2');
    expect(() => meanAbsoluteError([], [])).toThrow('meanAbsoluteError: actual is empty');
  });

  it('counts a value on either bound as covered and a row with crossed bounds as not covered', () => {
    expect(intervalCoverage([1, 2, 3, 4], [0, 2, 3.5, 5], [1, 3, 4, 3])).toBe(0.5);
    expect(() => intervalCoverage([1, Number.NaN], [0, 0], [2, 2])).toThrow('intervalCoverage: actual[1] is NaN');
  });

  it('averages upper - lower, crossed bounds counting negative', () => {
    expect(meanIntervalWidth([0, 2, 3.5, 5], [1, 3, 4, 3])).toBe(0.125);
    expect(() => meanIntervalWidth([0], [])).toThrow(RangeError);
  });

  it('takes the middle value, or the mean of the two middle values, without reordering the input', () => {
    const values = new Float32Array([4, 1, 3, 2]);
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf(values)).toBe(2.5);
    expect(Array.from(values)).toEqual([4, 1, 3, 2]);
    expect(medianOf(SK.probs)).toBeCloseTo(0.395, 15);
    expect(() => medianOf([])).toThrow('medianOf: values is empty');
  });
});

describe('at scale', () => {
  it('scores a million rows of typed arrays to finite figures', () => {
    const n = 1_000_000;
    const random = seeded(99);
    const labels = new Uint8Array(n);
    const probs = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = random() < 0.1 ? 1 : 0;
      probs[i] = Math.min(1, random() * 0.5 + labels[i]! * 0.3);
    }
    const ap = averagePrecision(labels, probs);
    const auc = rocAuc(labels, probs);
    expect(Number.isFinite(ap) && ap > 0.1).toBe(true);
    expect(Number.isFinite(auc) && auc > 0.5).toBe(true);
    expect(Number.isFinite(bestF1Threshold(labels, probs).f1)).toBe(true);
    expect(Number.isFinite(expectedCalibrationError(labels, probs, { strategy: 'quantile' }))).toBe(true);
    expect(Number.isFinite(brierScore(labels, probs))).toBe(true);
  });
});
