/**
 * The `spi-defect-risk` dataset: every SPI-inspected board of a simulated plant, its pad features
 * (from the shared feature module) and the true defect, if any, that started at each pad. Splits
 * never leak: training uses the earlier production of all lines but one, the later production is
 * the first held-out set and the whole held-out line the second.
 */
import { createPlant, type BoardTruth, type Plant, type PlantScale } from '../../opcenter/simulator';
import { computeSpiFeatures, type SpiFeatures } from '../features/spi-features';
import { SimulatorSource } from './simulator-source';

/** What a model was trained and measured on: recorded in its card. */
export interface DatasetSpec {
  readonly seed: number;
  readonly scale: PlantScale;
  /** End of the simulated history (ISO). */
  readonly endTime: string;
  /** The line kept out of training entirely: the second held-out set. */
  readonly heldOutLine: string;
  /** Share of the history (by time) used for fitting. */
  readonly trainUntil: number;
  /** End of the calibration window (fitting ends at `trainUntil`); later production is the first held-out set. */
  readonly calibrationUntil: number;
}

/** A dataset that names its confirmation plant, as every shipped model's does. */
export interface ConfirmedDatasetSpec extends DatasetSpec {
  /**
   * Seed of the confirmation plant: same scale, end time and product mix, nothing ever trained,
   * calibrated or chosen on it; its whole history (every line) is the blind `confirmation` set.
   */
  readonly confirmationSeed: number;
}

/** The split a board (or order) falls in. */
export type Split = 'train' | 'calibration' | 'test-later' | 'test-line';

/** Every split: the whole history of a plant. */
export const ALL_SPLITS: ReadonlySet<Split> = new Set<Split>(['train', 'calibration', 'test-later', 'test-line']);

/** The classes the model outputs, in output-column order. */
export const SPI_CLASSES = ['none', 'bridging', 'insufficient_solder', 'open'] as const;

const CLASS_OF_DEFECT: Readonly<Record<string, number>> = { Bridging: 1, InsufficientSolder: 2, Open: 3 };

/** The dataset the committed `spi-defect-risk` model was trained on. */
export const SPI_DATASET: ConfirmedDatasetSpec = {
  seed: 42,
  scale: 'medium',
  endTime: '2026-11-20T06:00:00Z',
  heldOutLine: 'L4',
  trainUntil: 0.55,
  calibrationUntil: 0.7,
  confirmationSeed: 43,
};

/** The confirmation plant of a dataset: its spec with the confirmation seed in place of the seed. */
export function confirmationSpec(spec: ConfirmedDatasetSpec): DatasetSpec {
  const { confirmationSeed, ...rest } = spec;
  return { ...rest, seed: confirmationSeed };
}

/** The time window of a plant's history, from its first SPI inspection to its end. */
export interface HistoryWindow {
  readonly start: number;
  readonly end: number;
}

/** Assigns a split from the line and time of a record. */
export function splitOf(spec: DatasetSpec, window: HistoryWindow, lineId: string, at: number): Split {
  if (lineId === spec.heldOutLine) return 'test-line';
  const position = (at - window.start) / (window.end - window.start);
  if (position < spec.trainUntil) return 'train';
  if (position < spec.calibrationUntil) return 'calibration';
  return 'test-later';
}

/** One board of the dataset. */
export interface SpiBoardSample {
  readonly split: Split;
  readonly lineId: string;
  readonly features: SpiFeatures;
  /** The class of each feature row (index into SPI_CLASSES). */
  readonly labels: Uint8Array;
  /** The SPI machine's board call. */
  readonly spiFail: boolean;
  /** Every true defect of the board (never an input: labels and limitations only). */
  readonly truth: BoardTruth | undefined;
}

/**
 * The class of each pad: the solder-joint defect (bridging, insufficient, open) that the ground
 * truth records at that pad, whatever its mechanism, as a plant would label it after repair.
 */
export function padLabels(features: SpiFeatures, truth: BoardTruth | undefined): Uint8Array {
  const labels = new Uint8Array(features.rows);
  if (truth === undefined) return labels;
  const rowOf = new Map(features.padIds.map((id, i) => [id, i]));
  for (const defect of truth.defects) {
    const cls = CLASS_OF_DEFECT[defect.defectType];
    if (cls === undefined || defect.padNId === undefined) continue;
    const row = rowOf.get(defect.padNId);
    if (row !== undefined && labels[row] === 0) labels[row] = cls;
  }
  return labels;
}

/** A plant built from a dataset spec, with its history window. */
export interface DatasetPlant {
  readonly plant: Plant;
  readonly source: SimulatorSource;
  readonly window: HistoryWindow;
}

/** Builds the plant of a dataset spec (deterministic: same spec, same plant). */
export function createDatasetPlant(spec: DatasetSpec): DatasetPlant {
  const plant = createPlant({ seed: spec.seed, scale: spec.scale, endTime: spec.endTime });
  let start = Infinity;
  for (const row of plant.rows('SpiInspection')) start = Math.min(start, Date.parse(String(row.InspectedOn)));
  return { plant, source: new SimulatorSource(plant), window: { start, end: Date.parse(spec.endTime) } };
}

/** The SMT lines of a plant (those with SPI), sorted. */
export function linesOf(data: DatasetPlant): string[] {
  return [...new Set(data.plant.rows('SpiInspection').map((row) => String(row.LineNId)))].sort();
}

/** What exporting a model's training tables produced. */
export interface ExportSummary {
  readonly rows: Readonly<Record<string, number>>;
  readonly window: HistoryWindow;
  readonly lines: readonly string[];
}

/** Every SPI-inspected board in the wanted splits, in the plant's order. */
export function* iterateSpiBoards(data: DatasetPlant, spec: DatasetSpec, wanted: ReadonlySet<Split>): Generator<SpiBoardSample> {
  for (const row of data.plant.rows('SpiInspection')) {
    const lineId = String(row.LineNId);
    const split = splitOf(spec, data.window, lineId, Date.parse(String(row.InspectedOn)));
    if (!wanted.has(split)) continue;
    const features = computeSpiFeatures(data.source.spiBoardInput(row));
    const truth = data.plant.groundTruth(String(row.SerialNumber));
    yield { split, lineId, features, labels: padLabels(features, truth), spiFail: row.Result === 'Fail', truth };
  }
}
