import { averagePrecision, brierScore, confusionAt, expectedCalibrationError, rocAuc } from './metrics';

/** The figures a model card gives for a binary classifier (or a rule scored 0/1). */
export interface ClassifierMetrics {
  readonly prAuc: number;
  readonly rocAuc: number;
  /** The score at or above which a row counts as positive. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly brier: number;
  /** Expected calibration error over 10 equal-width probability bins. */
  readonly ece: number;
  readonly confusion: { readonly tp: number; readonly fp: number; readonly tn: number; readonly fn: number };
}

/** Every classifier figure of a card for one set of labels and scores. */
export function classifierMetrics(labels: Float64Array, scores: Float64Array, threshold: number): ClassifierMetrics {
  const at = confusionAt(labels, scores, threshold);
  return {
    prAuc: averagePrecision(labels, scores),
    rocAuc: rocAuc(labels, scores),
    threshold,
    precision: at.precision,
    recall: at.recall,
    f1: at.f1,
    brier: brierScore(labels, scores),
    ece: expectedCalibrationError(labels, scores, { bins: 10, strategy: 'uniform' }),
    confusion: { tp: at.tp, fp: at.fp, tn: at.tn, fn: at.fn },
  };
}
