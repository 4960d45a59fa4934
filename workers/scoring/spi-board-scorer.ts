/**
 * Scores boards with `spi-defect-risk`, many at a time: concurrent requests share one batched read
 * of Opcenter and one model run (micro-batching across jobs), and each gets its board's risk.
 */
import { createHash } from 'node:crypto';
import type { OpcenterClient } from '../../opcenter/client';
import { loadSpiBoardInputs, type SpiBoardLoad } from '../../models/features/spi-board-loader';
import { computeSpiFeatures, SPI_FEATURE_COUNT, SPI_FEATURE_NAMES, type SpiFeatures } from '../../models/features/spi-features';
import { aggregateBoardRisk, SPI_OUTPUT_WIDTH, type BoardRisk } from '../../models/spi-defect-risk/board-risk';
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
  /** Boards per batched Opcenter read, and how long a read waits for company. */
  readonly load?: MicroBatchOptions;
  /** Pad rows per model run, and how long a run waits for company. */
  readonly infer?: MicroBatchOptions;
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
  private readonly loads: MicroBatcher<string, SpiBoardLoad>;
  private readonly runs: MicroBatcher<SpiFeatures, Float32Array>;

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

  /**
   * Scores one board; concurrent calls are batched.
   * @throws FeatureInputError when Opcenter's data for the board is malformed (do not retry)
   */
  async score(serialNumber: string): Promise<BoardScore> {
    const load = await this.loads.submit(serialNumber);
    if (load.status === 'no-spi') return { status: 'NOT_APPLICABLE', serialNumber, reason: 'the board has no SPI inspection' };
    const features = computeSpiFeatures(load.input);
    const probabilities = await this.runs.submit(features);
    const risk = aggregateBoardRisk(features, probabilities);
    const level: RiskLevel = risk.score >= this.options.highThreshold ? 'HIGH' : risk.score >= this.options.highThreshold / 3 ? 'MEDIUM' : 'LOW';
    return {
      status: 'READY',
      serialNumber,
      risk,
      level,
      likelyCause: level === 'LOW' ? null : likelyCauseOf(features, risk, load.input.stencilId),
      featuresDigest: digestOf(features.values),
    };
  }
}
