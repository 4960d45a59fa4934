/**
 * From the per-pad output of `spi-defect-risk` to a board's risk and what drives it, so an engineer
 * sees where to look: the riskiest pads and reference designators with their likeliest defect.
 */
import type { SpiFeatures } from '../features/spi-features';
import { scoreBoardPads, shippedBoardScoreModel, summarizeBoardPads, type BoardScoreModel } from './board-score';

/** The defect classes after `none`, in the model's output order. */
export const PAD_DEFECT_TYPES = ['BRIDGING', 'INSUFFICIENT_SOLDER', 'OPEN'] as const;

/** A predicted solder-joint defect type. */
export type PadDefectType = (typeof PAD_DEFECT_TYPES)[number];

/** Width of the model's `probabilities` output: none, bridging, insufficient solder, open. */
export const SPI_OUTPUT_WIDTH = 4;

/** One pad's predicted risk. */
export interface PadRisk {
  readonly padId: string;
  readonly referenceDesignator: string;
  /** Probability that the joint at this pad becomes any solder defect. */
  readonly probability: number;
  /** The likeliest defect if it does. */
  readonly defectType: PadDefectType;
}

/** One reference designator's risk: any of its pads failing. */
export interface ComponentRisk {
  readonly referenceDesignator: string;
  readonly probability: number;
  readonly defectType: PadDefectType;
  readonly pads: number;
}

/** A board's risk, aggregated over its pads. */
export interface BoardRisk {
  readonly serialNumber: string;
  /**
   * Probability that at least one pad becomes a defect: the pads aggregated and calibrated as the
   * card's `metrics.boardScore.model` says (models/spi-defect-risk/board-score.ts).
   */
  readonly score: number;
  /** Pads with the highest probability, highest first. */
  readonly pads: readonly PadRisk[];
  /** Reference designators with the highest probability, highest first. */
  readonly components: readonly ComponentRisk[];
}

/** Probability of any defect per pad (1 - p_none), from the model's row-major output. */
export function padDefectProbabilities(probabilities: Float32Array, rows: number, offset = 0): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = 1 - (probabilities[(offset + i) * SPI_OUTPUT_WIDTH] as number);
  return out;
}

/** 1 - prod(1 - p), summed in log space so a thousand small probabilities do not lose precision. */
export function anyOf(probabilities: ArrayLike<number>): number {
  let logNone = 0;
  for (let i = 0; i < probabilities.length; i++) logNone += Math.log1p(-Math.min(1 - 1e-12, Math.max(0, probabilities[i] as number)));
  return 0 - Math.expm1(logNone);
}

function likeliestDefect(probabilities: Float32Array, row: number): PadDefectType {
  let best = 1;
  for (let c = 2; c < SPI_OUTPUT_WIDTH; c++) {
    if ((probabilities[row * SPI_OUTPUT_WIDTH + c] as number) > (probabilities[row * SPI_OUTPUT_WIDTH + best] as number)) best = c;
  }
  return PAD_DEFECT_TYPES[best - 1] as PadDefectType;
}

/** Options of `aggregateBoardRisk`. */
export interface AggregateBoardRiskOptions {
  /** Pads and reference designators to return (default 5). */
  readonly top?: number;
  /** The board's first row in `probabilities` (default 0). */
  readonly offset?: number;
  /** How the score is made from the pads (default: the shipped card's `metrics.boardScore.model`). */
  readonly scoreModel?: BoardScoreModel;
}

/**
 * Aggregates one board's pad probabilities (`probabilities` holds `features.rows` rows of
 * SPI_OUTPUT_WIDTH, starting at row `offset`).
 */
export function aggregateBoardRisk(features: SpiFeatures, probabilities: Float32Array, options: AggregateBoardRiskOptions = {}): BoardRisk {
  const top = options.top ?? 5;
  const offset = options.offset ?? 0;
  const score = scoreBoardPads(summarizeBoardPads(probabilities, features.rows, offset), options.scoreModel ?? shippedBoardScoreModel());
  const rows = features.rows;
  const pad = padDefectProbabilities(probabilities, rows, offset);
  const pads = topRows(pad, top).map((i) => ({
    padId: features.padIds[i] as string,
    referenceDesignator: features.referenceDesignators[i] as string,
    probability: pad[i] as number,
    defectType: likeliestDefect(probabilities, offset + i),
  }));

  // Components in order of their first row; per component the log of no defect, its riskiest row and its pads.
  let componentOfRow = features.componentOfRow;
  let names = features.components;
  if (componentOfRow === undefined || names === undefined) {
    const index = new Map<string, number>();
    componentOfRow = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const refdes = features.referenceDesignators[i] as string;
      let c = index.get(refdes);
      if (c === undefined) index.set(refdes, (c = index.size));
      componentOfRow[i] = c;
    }
    names = [...index.keys()];
  }
  const logNone = new Float64Array(names.length);
  const best = new Int32Array(names.length).fill(-1);
  const padCount = new Int32Array(names.length);
  for (let i = 0; i < rows; i++) {
    const c = componentOfRow[i] as number;
    logNone[c] = (logNone[c] as number) + Math.log1p(-Math.min(1 - 1e-12, pad[i] as number));
    if (best[c] === -1 || (pad[i] as number) > (pad[best[c] as number] as number)) best[c] = i;
    padCount[c] = (padCount[c] as number) + 1;
  }
  const componentRisk = new Float64Array(names.length);
  for (let c = 0; c < names.length; c++) componentRisk[c] = 0 - Math.expm1(logNone[c] as number);
  const components = topRows(componentRisk, top).map((c) => ({
    referenceDesignator: names[c] as string,
    probability: componentRisk[c] as number,
    defectType: likeliestDefect(probabilities, offset + (best[c] as number)),
    pads: padCount[c] as number,
  }));

  return { serialNumber: features.serialNumber, score, pads, components };
}

/** The indices of the `k` largest values, largest first; ties in index order (as a stable sort gives). */
function topRows(values: Float64Array, k: number): number[] {
  const chosen: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (chosen.length === k && !(v > (values[chosen[k - 1] as number] as number))) continue;
    let at = chosen.length;
    while (at > 0 && v > (values[chosen[at - 1] as number] as number)) at--;
    chosen.splice(at, 0, i);
    if (chosen.length > k) chosen.pop();
  }
  return chosen;
}
