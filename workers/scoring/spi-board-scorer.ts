/**
 * Scores boards with `spi-defect-risk`, many at a time: concurrent requests share one batched read
 * of Opcenter and one model run (micro-batching across jobs), and each gets its board's risk.
 */
import { createHash } from 'node:crypto';
import type { OpcenterClient } from '../../opcenter/client';
import { loadSpiBoardInputs, loadSpiBoardReadings, type SpiBoardLoad, type SpiBoardReading } from '../../models/features/spi-board-loader';
import { FeatureInputError } from '../../models/features/feature-input.error';
import { fillSpiFeatures, prepareSpiLayout, spiPrintOf, SPI_FEATURE_COUNT, SPI_FEATURE_NAMES, type SpiFeatures, type SpiLayout } from '../../models/features/spi-features';
import { unpackSpiMeasurements, type SpiMeasurementsPayload } from '../../models/features/spi-measurements';
import { aggregateBoardRisk, SPI_OUTPUT_WIDTH, type BoardRisk } from '../../models/spi-defect-risk/board-risk';
import type { BoardScoreModel } from '../../models/spi-defect-risk/board-score';
import { MicroBatcher, type MicroBatchOptions } from '../inference/micro-batcher';

/** Runs model rows somewhere (an inference thread in production). */
export type RunRows = (values: Float32Array, width: number) => Promise<Record<string, Float32Array>>;

/** A board's risk level, from its score and the model's operating threshold. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/** What scoring one board gives. */
export type BoardScore =
  | {
      readonly status: 'READY';
      readonly serialNumber: string;
      /** The SPI inspection scored (Opcenter guid), when known. */
      readonly inspectionId: string | null;
      readonly risk: BoardRisk;
      readonly level: RiskLevel;
      readonly likelyCause: string | null;
      /** sha256 of the feature rows, so an audit can tell which inputs a score came from. */
      readonly featuresDigest: string;
    }
  | { readonly status: 'NOT_APPLICABLE'; readonly serialNumber: string; readonly reason: string };

/** Options of a scorer. */
export interface SpiBoardScorerOptions {
  /** The board score at and above which a board is HIGH (the card's board operating threshold). */
  readonly highThreshold: number;
  /** How pad probabilities become the board score (default: the card's `metrics.boardScore.model`, which its threshold belongs to). */
  readonly scoreModel?: BoardScoreModel;
  /** Boards per batched Opcenter read, and how long a read waits for company. */
  readonly load?: MicroBatchOptions;
  /** Pad rows per model run, and how long a run waits for company. */
  readonly infer?: MicroBatchOptions;
  /** Stencil layouts kept for scoring measurements that came with a job (default 64). */
  readonly layoutCacheSize?: number;
}

/** A stencil's layout and the stencil values the features need. */
interface StencilLayout {
  readonly layout: SpiLayout;
  readonly stencilThicknessUm: number;
  readonly wipeIntervalPrints: number;
}

const column = (name: (typeof SPI_FEATURE_NAMES)[number]): number => SPI_FEATURE_NAMES.indexOf(name);
const PRINTS_SINCE_WIPE = column('prints_since_wipe');
const APERTURE_RATIO = column('aperture_area_ratio');
const OFFSET_X = column('board_offset_x_median_um');
const OFFSET_Y = column('board_offset_y_median_um');
const FINE_VOLUME = column('board_fine_pitch_volume_mean_pct');

/**
 * A cause an engineer can act on, read from the features of the pads that drive the risk: starved
 * small apertures late in the wipe cycle point at clogging; a board-wide print offset at printer
 * alignment; flooded fine pitch at excess paste (squeegee or gasketing).
 */
export function likelyCauseOf(features: SpiFeatures, risk: BoardRisk, stencilId?: string): string | null {
  const top = risk.pads[0];
  if (top === undefined) return null;
  const row = features.padIds.indexOf(top.padId);
  const at = (c: number): number => features.values[row * SPI_FEATURE_COUNT + c] as number;
  const offset = Math.hypot(at(OFFSET_X), at(OFFSET_Y));
  if (top.defectType === 'BRIDGING' && at(FINE_VOLUME) > 125) return `Excess paste on fine-pitch pads (mean volume ${at(FINE_VOLUME).toFixed(0)} %): check squeegee and stencil gasketing`;
  if (offset > 25) return `Print offset of ${offset.toFixed(0)} µm across the board: check printer alignment (calibration)`;
  if (top.defectType !== 'BRIDGING' && at(APERTURE_RATIO) < 0.66) {
    return `Clogged aperture for ${top.padId}${stencilId ? ` on stencil ${stencilId}` : ''} (area ratio ${at(APERTURE_RATIO).toFixed(2)}, ${at(PRINTS_SINCE_WIPE)} prints since wipe): wipe or clean the stencil`;
  }
  return null;
}

function digestOf(values: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

/** Scores boards by serial number; see the module comment. */
export class SpiBoardScorer {
  /** Full reads (every pad field): for a stencil's layout. */
  private readonly loads: MicroBatcher<string, SpiBoardLoad>;
  /** Reads of a board's latest print, its pads' measurements only where its stencil's layout is known. */
  private readonly reads: MicroBatcher<string, SpiBoardReading>;
  private readonly runs: MicroBatcher<SpiFeatures, Float32Array>;
  /** Layouts by stencil and pad list, least recently used first. */
  private readonly layouts = new Map<string, Promise<StencilLayout>>();
  /** Stencils with a layout read (maybe evicted since: a print then falls back to a full read). */
  private readonly stencilsWithLayout = new Set<string>();
  private layoutReads = 0;
  private readonly boardReads = { full: 0, measurementsOnly: 0 };

  constructor(
    client: OpcenterClient,
    run: RunRows,
    private readonly options: SpiBoardScorerOptions,
  ) {
    this.loads = new MicroBatcher(
      async (serials) => {
        const loaded = await loadSpiBoardInputs(client, serials);
        return serials.map((s) => loaded.get(s) as SpiBoardLoad);
      },
      () => 1,
      options.load ?? { maxRows: 100, maxWaitMs: 5 },
    );
    this.reads = new MicroBatcher(
      async (serials) => {
        const read = await loadSpiBoardReadings(client, serials, (stencilId) => this.stencilsWithLayout.has(stencilId));
        return serials.map((s) => read.get(s) as SpiBoardReading);
      },
      () => 1,
      options.load ?? { maxRows: 100, maxWaitMs: 5 },
    );
    this.runs = new MicroBatcher(
      async (boards) => {
        const total = boards.reduce((n, b) => n + b.rows, 0);
        const values = new Float32Array(total * SPI_FEATURE_COUNT);
        let at = 0;
        for (const board of boards) {
          values.set(board.values, at * SPI_FEATURE_COUNT);
          at += board.rows;
        }
        const { probabilities } = await run(values, SPI_FEATURE_COUNT);
        if (probabilities === undefined) throw new Error("spi-defect-risk gave no 'probabilities' output");
        at = 0;
        return boards.map((board) => {
          const slice = probabilities.slice(at * SPI_OUTPUT_WIDTH, (at + board.rows) * SPI_OUTPUT_WIDTH);
          at += board.rows;
          return slice;
        });
      },
      (board) => board.rows,
      options.infer ?? { maxRows: 65_536, maxWaitMs: 10 },
    );
  }

  /** Counters of the model runs (batches, requests, rows). */
  get inferenceStats() {
    return this.runs.stats;
  }

  /** Boards read from Opcenter so far (jobs without measurements): with every pad field, or the measurements only. */
  get readStats(): { full: number; measurementsOnly: number } {
    return { ...this.boardReads };
  }

  /** Stencil layouts read from Opcenter so far (one per stencil and pad list, unless evicted). */
  get layoutStats(): { cached: number; reads: number } {
    return { cached: this.layouts.size, reads: this.layoutReads };
  }

  /**
   * Scores one board; concurrent calls are batched. With `measurements` (from the SPI event), the
   * print is scored from them and its stencil's layout, without reading the pads from Opcenter;
   * without, the board's latest SPI inspection is read from Opcenter: only its pads' measurements
   * once its stencil's layout is known, every pad field the first time (which keeps the layout).
   * @throws FeatureInputError when the measurements or Opcenter's data for the board are malformed (do not retry)
   */
  async score(serialNumber: string, measurements?: SpiMeasurementsPayload): Promise<BoardScore> {
    let features: SpiFeatures;
    let inspectionId: string | null;
    let stencilId: string | undefined;
    if (measurements) {
      const print = unpackSpiMeasurements(`board ${serialNumber}`, measurements);
      const stencil = await this.layoutFor(serialNumber, print.stencilId, print.padIdKey);
      features = fillSpiFeatures(stencil.layout, { ...print, serialNumber, stencilThicknessUm: stencil.stencilThicknessUm, wipeIntervalPrints: stencil.wipeIntervalPrints });
      inspectionId = print.inspectionId;
      stencilId = print.stencilId;
    } else {
      const read = await this.readPrint(serialNumber);
      if (read === null) return { status: 'NOT_APPLICABLE', serialNumber, reason: 'the board has no SPI inspection' };
      ({ features, inspectionId, stencilId } = read);
    }
    const probabilities = await this.runs.submit(features);
    const risk = aggregateBoardRisk(features, probabilities, { scoreModel: this.options.scoreModel });
    const level: RiskLevel = risk.score >= this.options.highThreshold ? 'HIGH' : risk.score >= this.options.highThreshold / 3 ? 'MEDIUM' : 'LOW';
    return {
      status: 'READY',
      serialNumber,
      inspectionId,
      risk,
      level,
      likelyCause: level === 'LOW' ? null : likelyCauseOf(features, risk, stencilId),
      featuresDigest: digestOf(features.values),
    };
  }

  /**
   * The layout of a stencil's pads: cached, or read once from Opcenter through this board's own
   * inspection (its pads carry the geometry and aperture of every pad of the stencil).
   */
  private layoutFor(serialNumber: string, stencilId: string, padIdKey: string): Promise<StencilLayout> {
    const key = `${stencilId}\n${padIdKey}`;
    const cached = this.layouts.get(key);
    if (cached) {
      this.layouts.delete(key);
      this.layouts.set(key, cached);
      return cached;
    }
    const loading = this.loads.submit(serialNumber).then((load): StencilLayout => {
      if (load.status === 'no-spi') {
        throw new FeatureInputError(`board ${serialNumber}`, 'measurements', 'Opcenter holds no SPI inspection of the board, so its stencil layout is unknown');
      }
      const layout = prepareSpiLayout(load.input.pads);
      if (layout.padIdKey !== padIdKey || load.input.stencilId !== stencilId) {
        throw new FeatureInputError(
          `board ${serialNumber}`,
          'measurements.padIds',
          `do not match the pads of stencil ${stencilId} in Opcenter (${layout.rows} pads): send one measurement per pad of the inspection`,
        );
      }
      this.layoutReads++;
      return { layout, stencilThicknessUm: load.input.stencilThicknessUm, wipeIntervalPrints: load.input.wipeIntervalPrints };
    });
    this.keepLayout(key, stencilId, loading);
    return loading;
  }

  /**
   * The features of a board's latest print read from Opcenter (null: it has none): its pads'
   * measurements filled into the stencil's cached layout, or, without one, every pad field read
   * and the layout kept for the stencil's next prints.
   */
  private async readPrint(serialNumber: string): Promise<{ features: SpiFeatures; inspectionId: string | null; stencilId: string | undefined } | null> {
    const read = await this.reads.submit(serialNumber);
    if (read.status === 'no-spi') return null;
    if (read.status === 'print') {
      const { reading } = read;
      const stencil = await this.cachedLayout(`${reading.stencilId as string}\n${reading.padIdKey}`);
      if (stencil) {
        this.boardReads.measurementsOnly++;
        return { features: fillSpiFeatures(stencil.layout, reading.print), inspectionId: reading.inspectionId ?? null, stencilId: reading.stencilId };
      }
    }
    // No layout yet; or it was evicted, or this print has other pads than the stencil's last.
    const full = read.status === 'ok' ? read : await this.loads.submit(serialNumber);
    if (full.status === 'no-spi') return null;
    this.boardReads.full++;
    const { input } = full;
    const layout = prepareSpiLayout(input.pads);
    if (input.stencilId !== undefined) {
      const stencil = { layout, stencilThicknessUm: input.stencilThicknessUm, wipeIntervalPrints: input.wipeIntervalPrints };
      this.keepLayout(`${input.stencilId}\n${layout.padIdKey}`, input.stencilId, Promise.resolve(stencil));
    }
    // computeSpiFeatures(input), with its layout kept.
    return { features: fillSpiFeatures(layout, spiPrintOf(input)), inspectionId: input.inspectionId ?? null, stencilId: input.stencilId };
  }

  /** A cached layout (now the most recently used), or undefined when none is, or its read failed. */
  private async cachedLayout(key: string): Promise<StencilLayout | undefined> {
    const cached = this.layouts.get(key);
    if (!cached) return undefined;
    this.layouts.delete(key);
    this.layouts.set(key, cached);
    return cached.catch(() => undefined);
  }

  /** Caches a layout (least recently used out beyond the cache size); a failed read is not kept, the next job reads again. */
  private keepLayout(key: string, stencilId: string, layout: Promise<StencilLayout>): void {
    if (this.layouts.has(key)) return;
    this.layouts.set(key, layout);
    layout.then(
      () => this.stencilsWithLayout.add(stencilId),
      () => this.layouts.get(key) === layout && this.layouts.delete(key),
    );
    const limit = this.options.layoutCacheSize ?? 64;
    for (const oldest of this.layouts.keys()) {
      if (this.layouts.size <= limit) break;
      this.layouts.delete(oldest);
    }
  }
}
