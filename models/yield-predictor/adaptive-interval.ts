/**
 * The served interval of `yield-predictor`: the model's own 90 % interval, widened or narrowed
 * online by adaptive conformal inference (Gibbs & Candès, NeurIPS 2021, "Adaptive Conformal
 * Inference Under Distribution Shift"), multiplicative-width variant, without retraining the model.
 *
 * - The state is one scale `s` on the model's half-widths: the served interval is
 *   `[v - s (v - lower), v + s (upper - v)]` around the point value `v`, clipped to [0, 1] (so it
 *   stays asymmetric where the model's is).
 * - When an order completes, its realised first-pass yield (`finalFirstPassYield`) is compared with
 *   the interval it was last served: `err` is 1 when it lies outside, else 0, and
 *   `log s <- log s + gamma (err - alpha)` with target miscoverage `alpha` = 0.10. Misses widen the
 *   interval by `exp(0.9 gamma)`, hits narrow it by `exp(-0.1 gamma)`; over any stretch of orders
 *   the miss rate tracks `alpha` whatever the drift (Gibbs & Candès, Prop. 4.1, on the log-scale
 *   threshold). The scale stays within [MIN_SCALE, MAX_SCALE].
 * - Scope (`IntervalScope`): one state for the whole plant, or one per product. Which, and `gamma`
 *   among `GAMMA_CANDIDATES`, are chosen by the interval score (Gneiting & Raftery, 2007) of a replay
 *   of the calibration period alone (models/eval/yield-evaluation.ts), never on held-out data; the
 *   card states the choice and the states at the end of that replay, which serving starts from.
 */

/** What the served interval depends on; one per scope. */
export interface AdaptiveIntervalState {
  /** Multiplier of the model's half-widths (1 = the model's own interval). */
  readonly scale: number;
  /** Completed orders the state has learnt from. */
  readonly updates: number;
}

/** Settings of the update. */
export interface AdaptiveIntervalSettings {
  /** Step size on the log scale. */
  readonly gamma: number;
  /** Target miscoverage (0.10 for a 90 % interval). */
  readonly alpha: number;
}

/** A point prediction with the model's interval (0..1). */
export interface YieldInterval {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

/** The interval an order was served and what it turned out to be. */
export interface IntervalOutcome {
  readonly lower: number;
  readonly upper: number;
  /** The order's realised final first-pass yield (0..1). */
  readonly actual: number;
}

/** Target miscoverage of the 90 % interval. */
export const TARGET_MISCOVERAGE = 0.1;
/** Step sizes the calibration replay chooses from. */
export const GAMMA_CANDIDATES = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2] as const;
/** Where states are kept: one for the whole plant, or one per product. */
export type IntervalScope = 'plant' | 'product';
/** Scopes the calibration replay chooses from. */
export const SCOPE_CANDIDATES: readonly IntervalScope[] = ['plant', 'product'];
/** The key of the plant-wide state. */
export const PLANT_SCOPE_KEY = 'all';
/** Bounds of the scale: never narrower than a twentieth of the model's interval, nor wider than 20 times. */
export const MIN_SCALE = 0.05;
export const MAX_SCALE = 20;

/** The model's own interval (the state before any order completed). */
export const INITIAL_INTERVAL_STATE: AdaptiveIntervalState = { scale: 1, updates: 0 };

/** The key of the state an order of `productId` is served from and updates. */
export function intervalScopeKey(scope: IntervalScope, productId: string): string {
  return scope === 'plant' ? PLANT_SCOPE_KEY : productId;
}

const clip01 = (x: number): number => Math.min(1, Math.max(0, x));

/** The served interval: the model's half-widths times the state's scale, clipped to [0, 1]. */
export function widenInterval(prediction: YieldInterval, state: AdaptiveIntervalState): { lower: number; upper: number } {
  const { value, lower, upper } = prediction;
  return {
    lower: clip01(value - state.scale * Math.max(0, value - lower)),
    upper: clip01(value + state.scale * Math.max(0, upper - value)),
  };
}

/** Whether the realised yield lies outside the served interval (the ACI error). */
export function missed(outcome: IntervalOutcome): boolean {
  return outcome.actual < outcome.lower || outcome.actual > outcome.upper;
}

/** The state after one completed order (see the module comment). */
export function updateIntervalState(state: AdaptiveIntervalState, outcome: IntervalOutcome, settings: AdaptiveIntervalSettings): AdaptiveIntervalState {
  const err = missed(outcome) ? 1 : 0;
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, state.scale * Math.exp(settings.gamma * (err - settings.alpha))));
  return { scale, updates: state.updates + 1 };
}

/** One prediction of an order in a replayed timeline. */
export interface ReplaySnapshot extends YieldInterval {
  readonly orderId: string;
  readonly scope: string;
  /** When the prediction was served (epoch ms). */
  readonly at: number;
  /** When its order completed (epoch ms). */
  readonly completedAt: number;
  /** The order's realised final first-pass yield. */
  readonly actual: number;
}

/** What a replay served and where it ended. */
export interface ReplayResult {
  /** The served interval of each snapshot, in the input's order. */
  readonly served: readonly { readonly lower: number; readonly upper: number }[];
  /** The state of each scope after the last completion. */
  readonly states: Readonly<Record<string, AdaptiveIntervalState>>;
}

/**
 * Replays a timeline as the worker serves it: each snapshot is widened with its scope's state as
 * it stood at the snapshot's time, built only from orders completed strictly before it; each
 * order's completion updates the state with the interval it was last served.
 */
export function replayAdaptiveIntervals(
  snapshots: readonly ReplaySnapshot[],
  settings: AdaptiveIntervalSettings,
  initial: Readonly<Record<string, AdaptiveIntervalState>> = {},
): ReplayResult {
  const states = new Map(Object.entries(initial));
  const stateOf = (scope: string): AdaptiveIntervalState => states.get(scope) ?? INITIAL_INTERVAL_STATE;
  const completions = new Map<string, number[]>();
  snapshots.forEach((s, i) => completions.set(s.orderId, [...(completions.get(s.orderId) ?? []), i]));
  // At equal times a snapshot is served before a completion is learnt from (strictly before).
  const events = [
    ...snapshots.map((s, i) => ({ at: s.at, kind: 0, index: i, orderId: s.orderId })),
    ...[...completions].map(([orderId, idx]) => ({ at: (snapshots[idx[0] as number] as ReplaySnapshot).completedAt, kind: 1, index: -1, orderId })),
  ].sort((a, b) => a.at - b.at || a.kind - b.kind || a.orderId.localeCompare(b.orderId) || a.index - b.index);
  const served: { lower: number; upper: number }[] = new Array(snapshots.length);
  for (const event of events) {
    if (event.kind === 0) {
      const s = snapshots[event.index] as ReplaySnapshot;
      served[event.index] = widenInterval(s, stateOf(s.scope));
      continue;
    }
    const idx = (completions.get(event.orderId) ?? []).filter((i) => served[i] !== undefined && (snapshots[i] as ReplaySnapshot).at <= event.at);
    if (idx.length === 0) continue;
    const last = idx.reduce((a, b) => ((snapshots[b] as ReplaySnapshot).at > (snapshots[a] as ReplaySnapshot).at ? b : a));
    const s = snapshots[last] as ReplaySnapshot;
    const interval = served[last] as { lower: number; upper: number };
    states.set(s.scope, updateIntervalState(stateOf(s.scope), { ...interval, actual: s.actual }, settings));
  }
  return { served, states: Object.fromEntries([...states].sort(([a], [b]) => a.localeCompare(b))) };
}

/**
 * Mean interval score of 90 % intervals (Gneiting & Raftery, 2007): width plus 2 / alpha times how
 * far the truth lies outside. Lower is better; it prices both misses and width.
 */
export function meanIntervalScore(intervals: readonly { lower: number; upper: number }[], actual: readonly number[], alpha: number): number {
  let total = 0;
  intervals.forEach((iv, i) => {
    const y = actual[i] as number;
    total += iv.upper - iv.lower + (2 / alpha) * (Math.max(0, iv.lower - y) + Math.max(0, y - iv.upper));
  });
  return total / intervals.length;
}
