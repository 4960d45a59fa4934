/**
 * Measures `spi-defect-risk` on its held-out sets and on the confirmation plant, beside the SPI
 * machine's own pass/fail rule: the figures of its model card. Boards are regenerated from the
 * dataset spec and featurized by the shared feature module; nothing is read from the training tables.
 */
import type { TrueDefect } from '../../opcenter/simulator';
import { SPI_FEATURE_COUNT } from '../features/spi-features';
import type { OnnxModel } from '../onnx-model';
import { SPI_OUTPUT_WIDTH } from '../spi-defect-risk/board-risk';
import { NOISY_OR_SCORE, scoreBoardPads, summarizeBoardPads, type BoardPadSummary, type BoardScoreModel } from '../spi-defect-risk/board-score';
import { chooseBoardScore, type BoardScoreChoice } from './board-score-choice';
import {
  ALL_SPLITS,
  confirmationSpec,
  createDatasetPlant,
  iterateSpiBoards,
  type ConfirmedDatasetSpec,
  type DatasetSpec, type SpiBoardSample, type Split } from '../training/spi-dataset';
import { classifierMetrics, type ClassifierMetrics } from './classifier-metrics';
import { averagePrecision, bestF1Threshold } from './metrics';

/** Figures of one held-out or confirmation set. */
export interface SpiSplitMetrics {
  readonly boards: number;
  readonly pads: number;
  readonly defectPads: number;
  readonly defectBoards: number;
  /** Per pad: any solder defect at the pad, model (1 - p_none) beside the SPI rule's pad call. */
  readonly pad: { readonly model: ClassifierMetrics; readonly spiRule: ClassifierMetrics };
  /**
   * Per board: any solder defect on the board. `model` is the served score (`boardScore.model`),
   * `noisyOr` the first card's score (1 - prod(1 - p), at its own calibration threshold), beside the
   * SPI board call.
   */
  readonly board: { readonly model: ClassifierMetrics; readonly noisyOr: ClassifierMetrics; readonly spiRule: ClassifierMetrics };
  /** One-vs-rest PR-AUC of each defect class per pad. */
  readonly classPrAuc: { readonly bridging: number; readonly insufficient_solder: number; readonly open: number };
  /** True defects of these boards by whether SPI could see them by construction of the simulator. */
  readonly defects: SpiDefectShares;
}

/** How many true defects start at print (what SPI can see at all) and how many cannot by construction. */
export interface SpiDefectShares {
  readonly total: number;
  readonly formedAtPrint: number;
  readonly invisibleByConstruction: number;
  readonly invisibleShare: number;
  /** Invisible defects by mechanism/type. */
  readonly invisibleByCause: Readonly<Record<string, number>>;
}

/** Everything the card's metrics section holds. */
export interface SpiEvaluation {
  /** Best-F1 thresholds on the calibration window: per pad, per board (served score) and per board for plain noisy-OR. */
  readonly thresholds: { readonly pad: number; readonly board: number; readonly boardNoisyOr: number; readonly chosenOn: 'calibration' };
  /** How pad probabilities become the served board score, chosen on the calibration window; the worker reads `model`. */
  readonly boardScore: BoardScoreChoice;
  /** The two held-out sets of the dataset's plant, and `confirmation`: every board of the confirmation plant. */
  readonly sets: { readonly 'test-later': SpiSplitMetrics; readonly 'test-line': SpiSplitMetrics; readonly confirmation: SpiSplitMetrics };
}

const PRINT_MECHANISMS = new Set(['StencilClogging', 'ExcessPaste', 'PrinterDrift', 'Random']);
const SOLDER_JOINT = new Set(['Bridging', 'InsufficientSolder', 'Open']);
const TEST_PROCESS = new Set(['FixtureContact', 'FirmwareFailure', 'NoFaultFound']);

/** Whether a defect formed in the print, where SPI measures; anything else SPI cannot see by construction. */
export function formedAtPrint(defect: TrueDefect): boolean {
  return SOLDER_JOINT.has(defect.defectType) && PRINT_MECHANISMS.has(defect.mechanism) && defect.padNId !== undefined;
}

class Column {
  private chunks: Float64Array[] = [];
  private current = new Float64Array(1 << 16);
  private used = 0;
  length = 0;

  push(value: number): void {
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = new Float64Array(1 << 16);
      this.used = 0;
    }
    this.current[this.used++] = value;
    this.length++;
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    out.set(this.current.subarray(0, this.used), at);
    return out;
  }
}

/** Scores and labels gathered for one split. */
class SplitScores {
  readonly padScore = new Column();
  readonly padLabel = new Column();
  readonly padRule = new Column();
  readonly classScores = [new Column(), new Column(), new Column()];
  readonly classLabels = [new Column(), new Column(), new Column()];
  readonly boardPads: BoardPadSummary[] = [];
  readonly boardLabel = new Column();
  readonly boardRule = new Column();
  total = 0;
  atPrint = 0;
  readonly invisible: Record<string, number> = {};

  boardScores(model: BoardScoreModel): Float64Array {
    return Float64Array.from(this.boardPads, (summary) => scoreBoardPads(summary, model));
  }

  add(sample: SpiBoardSample, probabilities: Float32Array, offset: number): void {
    const { features, labels } = sample;
    let boardDefect = 0;
    for (let i = 0; i < features.rows; i++) {
      const row = (offset + i) * SPI_OUTPUT_WIDTH;
      const label = labels[i] as number;
      this.padScore.push(1 - (probabilities[row] as number));
      this.padLabel.push(label > 0 ? 1 : 0);
      this.padRule.push(features.values[i * SPI_FEATURE_COUNT + 28] as number);
      for (let c = 0; c < 3; c++) {
        this.classScores[c]?.push(probabilities[row + 1 + c] as number);
        this.classLabels[c]?.push(label === c + 1 ? 1 : 0);
      }
      if (label > 0) boardDefect = 1;
    }
    this.boardPads.push(summarizeBoardPads(probabilities, features.rows, offset));
    this.boardLabel.push(boardDefect);
    this.boardRule.push(sample.spiFail ? 1 : 0);
    for (const defect of sample.truth?.defects ?? []) {
      if (TEST_PROCESS.has(defect.defectType)) continue;
      this.total++;
      if (formedAtPrint(defect)) this.atPrint++;
      else {
        const cause = `${defect.defectType}/${defect.mechanism}`;
        this.invisible[cause] = (this.invisible[cause] ?? 0) + 1;
      }
    }
  }
}

/** Progress of a long evaluation. */
export type EvaluationProgress = (message: string) => void;

/** The sets boards are gathered in: the seed-42 plant's calibration and held-out sets, and the confirmation plant. */
type ScoredSet = 'calibration' | 'test-later' | 'test-line' | 'confirmation';

/** Scores every board of the plant of `spec` whose split `sets` names, gathered into the set it names. */
async function scoreBoards(
  model: OnnxModel,
  spec: DatasetSpec,
  sets: ReadonlyMap<Split, ScoredSet>,
  progress?: EvaluationProgress,
): Promise<Map<ScoredSet, SplitScores>> {
  const data = createDatasetPlant(spec);
  const scores = new Map<ScoredSet, SplitScores>([...new Set(sets.values())].map((set) => [set, new SplitScores()]));
  const pending: { sample: SpiBoardSample; set: SplitScores }[] = [];
  let pendingRows = 0;
  let boards = 0;
  let reported = 0;
  const report = (): void => progress?.(`spi-defect-risk: ${boards} boards of the seed-${spec.seed} plant scored`);
  const flush = async (): Promise<void> => {
    const values = new Float32Array(pendingRows * SPI_FEATURE_COUNT);
    let at = 0;
    for (const { sample } of pending) {
      values.set(sample.features.values, at * SPI_FEATURE_COUNT);
      at += sample.features.rows;
    }
    const { probabilities } = await model.run(values, SPI_FEATURE_COUNT);
    let offset = 0;
    for (const { sample, set } of pending) {
      set.add(sample, probabilities as Float32Array, offset);
      offset += sample.features.rows;
    }
    boards += pending.length;
    pending.length = 0;
    pendingRows = 0;
  };
  for (const sample of iterateSpiBoards(data, spec, new Set(sets.keys()))) {
    pending.push({ sample, set: scores.get(sets.get(sample.split) as ScoredSet) as SplitScores });
    pendingRows += sample.features.rows;
    if (pendingRows >= 65_536) {
      await flush();
      if (boards - reported >= 2000) {
        reported = boards;
        report();
      }
    }
  }
  await flush();
  report();
  return scores;
}

function splitMetrics(s: SplitScores, thresholds: SpiEvaluation['thresholds'], scoreModel: BoardScoreModel): SpiSplitMetrics {
  const padLabel = s.padLabel.toArray();
  const padScore = s.padScore.toArray();
  const boardLabel = s.boardLabel.toArray();
  const sum = (a: Float64Array): number => a.reduce((n, v) => n + v, 0);
  const classAp = (c: number): number => averagePrecision((s.classLabels[c] as Column).toArray(), (s.classScores[c] as Column).toArray());
  const invisible = s.total - s.atPrint;
  return {
    boards: boardLabel.length,
    pads: padLabel.length,
    defectPads: sum(padLabel),
    defectBoards: sum(boardLabel),
    pad: {
      model: classifierMetrics(padLabel, padScore, thresholds.pad),
      spiRule: classifierMetrics(padLabel, s.padRule.toArray(), 0.5),
    },
    board: {
      model: classifierMetrics(boardLabel, s.boardScores(scoreModel), thresholds.board),
      noisyOr: classifierMetrics(boardLabel, s.boardScores(NOISY_OR_SCORE), thresholds.boardNoisyOr),
      spiRule: classifierMetrics(boardLabel, s.boardRule.toArray(), 0.5),
    },
    classPrAuc: { bridging: classAp(0), insufficient_solder: classAp(1), open: classAp(2) },
    defects: {
      total: s.total,
      formedAtPrint: s.atPrint,
      invisibleByConstruction: invisible,
      invisibleShare: s.total > 0 ? invisible / s.total : 0,
      invisibleByCause: Object.fromEntries(Object.entries(s.invisible).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

/** The choices made on the calibration window and the figures of the two held-out sets of the dataset's own plant. */
async function evaluateDatasetPlant(
  model: OnnxModel,
  spec: DatasetSpec,
  progress?: EvaluationProgress,
): Promise<Pick<SpiEvaluation, 'thresholds' | 'boardScore'> & { readonly later: SpiSplitMetrics; readonly line: SpiSplitMetrics }> {
  const sets = new Map<Split, ScoredSet>([
    ['calibration', 'calibration'],
    ['test-later', 'test-later'],
    ['test-line', 'test-line'],
  ]);
  const scores = await scoreBoards(model, spec, sets, progress);
  const calibration = scores.get('calibration') as SplitScores;
  const boardLabel = calibration.boardLabel.toArray();
  const pad = bestF1Threshold(calibration.padLabel.toArray(), calibration.padScore.toArray()).threshold;
  const boardScore = chooseBoardScore(calibration.boardPads, boardLabel, pad);
  const thresholds = {
    pad,
    board: bestF1Threshold(boardLabel, calibration.boardScores(boardScore.model)).threshold,
    boardNoisyOr: bestF1Threshold(boardLabel, calibration.boardScores(NOISY_OR_SCORE)).threshold,
    chosenOn: 'calibration' as const,
  };
  return {
    thresholds,
    boardScore,
    later: splitMetrics(scores.get('test-later') as SplitScores, thresholds, boardScore.model),
    line: splitMetrics(scores.get('test-line') as SplitScores, thresholds, boardScore.model),
  };
}

/**
 * Evaluates the model on the calibration window first: the pad threshold, the board score
 * (models/eval/board-score-choice.ts) and the board thresholds (best F1) are chosen there; then every
 * figure is measured on the two held-out sets, and with the same choices on every board of the
 * confirmation plant (`spec.confirmationSeed`), which nothing was ever trained, calibrated or chosen on.
 */
export async function evaluateSpiDefectRisk(model: OnnxModel, spec: ConfirmedDatasetSpec, progress?: EvaluationProgress): Promise<SpiEvaluation> {
  const { thresholds, boardScore, later, line } = await evaluateDatasetPlant(model, spec, progress);
  // The first plant is out of reach by now, so the two are never in memory together.
  const everything = new Map<Split, ScoredSet>([...ALL_SPLITS].map((split) => [split, 'confirmation']));
  const confirmation = (await scoreBoards(model, confirmationSpec(spec), everything, progress)).get('confirmation') as SplitScores;
  return {
    thresholds,
    boardScore,
    sets: { 'test-later': later, 'test-line': line, confirmation: splitMetrics(confirmation, thresholds, boardScore.model) },
  };
}
