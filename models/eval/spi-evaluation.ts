/**
 * Measures `spi-defect-risk` on its held-out sets, beside the SPI machine's own pass/fail rule: the
 * figures of its model card. Boards are regenerated from the dataset spec and featurized by the
 * shared feature module; nothing is read from the training tables.
 */
import type { TrueDefect } from '../../opcenter/simulator';
import { SPI_FEATURE_COUNT } from '../features/spi-features';
import type { OnnxModel } from '../onnx-model';
import { SPI_OUTPUT_WIDTH } from '../spi-defect-risk/board-risk';
import { NOISY_OR_SCORE, scoreBoardPads, summarizeBoardPads, type BoardPadSummary, type BoardScoreModel } from '../spi-defect-risk/board-score';
import { chooseBoardScore, type BoardScoreChoice } from './board-score-choice';
import { createDatasetPlant, iterateSpiBoards, type DatasetSpec, type SpiBoardSample, type Split } from '../training/spi-dataset';
import { classifierMetrics, type ClassifierMetrics } from './classifier-metrics';
import { averagePrecision, bestF1Threshold } from './metrics';

/** Figures of one held-out set. */
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
  readonly sets: { readonly 'test-later': SpiSplitMetrics; readonly 'test-line': SpiSplitMetrics };
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

/** Scores every board of the calibration and both held-out sets. */
async function scoreSplits(model: OnnxModel, spec: DatasetSpec, progress?: EvaluationProgress): Promise<Map<Split, SplitScores>> {
  const data = createDatasetPlant(spec);
  const scores = new Map<Split, SplitScores>([
    ['calibration', new SplitScores()],
    ['test-later', new SplitScores()],
    ['test-line', new SplitScores()],
  ]);
  const pending: SpiBoardSample[] = [];
  let pendingRows = 0;
  let boards = 0;
  let reported = 0;
  const flush = async (): Promise<void> => {
    const values = new Float32Array(pendingRows * SPI_FEATURE_COUNT);
    let at = 0;
    for (const sample of pending) {
      values.set(sample.features.values, at * SPI_FEATURE_COUNT);
      at += sample.features.rows;
    }
    const { probabilities } = await model.run(values, SPI_FEATURE_COUNT);
    let offset = 0;
    for (const sample of pending) {
      (scores.get(sample.split) as SplitScores).add(sample, probabilities as Float32Array, offset);
      offset += sample.features.rows;
    }
    boards += pending.length;
    pending.length = 0;
    pendingRows = 0;
  };
  for (const sample of iterateSpiBoards(data, spec, new Set(scores.keys()))) {
    pending.push(sample);
    pendingRows += sample.features.rows;
    if (pendingRows >= 65_536) {
      await flush();
      if (boards - reported >= 2000) {
        reported = boards;
        progress?.(`spi-defect-risk: ${boards} boards scored`);
      }
    }
  }
  await flush();
  progress?.(`spi-defect-risk: ${boards} boards scored`);
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

/**
 * Evaluates the model on the calibration window first: the pad threshold, the board score
 * (models/eval/board-score-choice.ts) and the board thresholds (best F1) are chosen there; then every
 * figure is measured on the two held-out sets.
 */
export async function evaluateSpiDefectRisk(model: OnnxModel, spec: DatasetSpec, progress?: EvaluationProgress): Promise<SpiEvaluation> {
  const scores = await scoreSplits(model, spec, progress);
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
    sets: {
      'test-later': splitMetrics(scores.get('test-later') as SplitScores, thresholds, boardScore.model),
      'test-line': splitMetrics(scores.get('test-line') as SplitScores, thresholds, boardScore.model),
    },
  };
}
