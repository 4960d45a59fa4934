/**
 * The plant's compact state: per board only its context, ids and stage times; per order its
 * progress. Everything bigger (pads, component results, test steps, placements, ground truth) is
 * regenerated from a board's context when asked for.
 */
import type { BoardContext, SimEnv, StageTimes } from './board-sim';
import type { LineSideStock } from './lots';
import type { OrderPlan, ScaleProfile } from './orders';
import type { StencilModel } from './stencils';
import type { FixtureModel } from './tests-ict-fct';

/** One board or box build. */
export interface BoardRecord {
  readonly ctx: BoardContext;
  readonly mtuId: string;
  readonly spiId: string | null;
  readonly aoiId: string | null;
  readonly runIds: readonly string[];
  /** When each run's result was known (start + duration). */
  readonly runEnds: readonly number[];
  readonly times: StageTimes;
  readonly scrapped: boolean;
  readonly panelNid: string | null;
  /** Box build: the boards it consumed. */
  readonly children: readonly number[] | null;
  /** The box build that consumed this board, or -1. */
  consumedBy: number;
  /** Stages applied so far (bit per stage, see `stageBit`), so on-demand rows appear with their parent. */
  applied: number;
}

/** The bit of a stage in `BoardRecord.applied`. */
export function stageBit(kind: 'start' | 'spi' | 'place' | 'aoi' | 'run' | 'done', run = 0): number {
  return kind === 'start' ? 1 : kind === 'spi' ? 2 : kind === 'place' ? 4 : kind === 'aoi' ? 8 : kind === 'done' ? 16 : 32 << run;
}

/** A production order and its progress. */
export interface OrderState {
  readonly plan: OrderPlan;
  status: 'Released' | 'Active' | 'Completed';
  /** Boards started so far. */
  created: number;
  /** Boards completed or scrapped. */
  finished: number;
  produced: number;
  scrapped: number;
  actualStart: number | null;
  actualEnd: number | null;
  readonly opProcessed: number[];
  readonly opStart: (number | null)[];
}

/** Everything the plant holds. */
export interface PlantState {
  readonly seed: number;
  readonly end: number;
  readonly start: number;
  readonly profile: ScaleProfile;
  readonly env: SimEnv;
  readonly orders: OrderState[];
  readonly boards: BoardRecord[];
  /** Stencil per [line][product]. */
  readonly stencils: readonly (readonly (StencilModel | null)[])[];
  readonly fixtureList: readonly FixtureModel[];
  readonly stock: LineSideStock;
  /** Board index by serial number and by MTU, SPI, AOI and test-run id. */
  readonly serialIndex: Map<string, number>;
  readonly idIndex: Map<string, number>;
  /** Next serial number per product. */
  readonly serialCounters: number[];
  /** Parts per reel as last reported to the store (history rows, then live updates). */
  reelReported: Int32Array;
  /** Reels whose `reelReported` entry has been initialised. */
  reelsSynced: number;
  /** Reel NId strings (shared by all rows that name a reel). */
  readonly reelNids: string[];
  /** Next order draw per line (live planning continues the history's stream). */
  readonly nextOrderSlot: number[];
  /** Counters for stats. */
  readonly counts: Record<string, number>;
}

/** The NId of a reel, cached. */
export function reelNid(state: PlantState, reel: number): string {
  let nid = state.reelNids[reel];
  if (nid === undefined) {
    for (let r = state.reelNids.length; r <= reel; r++) state.reelNids.push(state.env.lots.reelNId(r));
    nid = state.reelNids[reel] as string;
  }
  return nid;
}

/** Makes sure `reelReported` covers every reel issued so far (new reels start full). */
export function syncReels(state: PlantState): void {
  const book = state.env.lots;
  if (state.reelReported.length < book.reelCount) {
    const grown = new Int32Array(Math.max(book.reelCount, state.reelReported.length * 2));
    grown.set(state.reelReported);
    state.reelReported = grown;
  }
  for (let r = state.reelsSynced; r < book.reelCount; r++) state.reelReported[r] = book.reelInitial[r] as number;
  state.reelsSynced = book.reelCount;
}
