/**
 * Predicts orders' final first-pass yield with `yield-predictor`: concurrent requests share one
 * batched read of Opcenter and one model run. The interval served is the model's, widened or
 * narrowed by the adaptive state of the order's scope (models/yield-predictor/adaptive-interval.ts).
 */
import { createHash } from 'node:crypto';
import type { OpcenterClient } from '../../opcenter/client';
import { computeYieldFeatures, toYieldOrderInput, YIELD_FEATURE_COUNT, type YieldOrderRows } from '../../models/features/yield-features';
import { loadYieldOrderRows } from '../../models/features/yield-order-loader';
import {
  INITIAL_INTERVAL_STATE,
  intervalScopeKey,
  widenInterval,
  type AdaptiveIntervalState,
  type IntervalScope,
} from '../../models/yield-predictor/adaptive-interval';
import { MicroBatcher, type MicroBatchOptions } from '../inference/micro-batcher';
import type { RunRows } from './spi-board-scorer';

/** What predicting one order gives. */
export type OrderPrediction =
  | {
      readonly status: 'READY';
      readonly orderId: string;
      /** Expected final first-pass yield (0..1). */
      readonly value: number;
      /** The served 90 % interval (0..1): the model's, times `intervalScale` around `value`. */
      readonly lower: number;
      readonly upper: number;
      /** The model's own interval. */
      readonly rawLower: number;
      readonly rawUpper: number;
      /** The adaptive scale applied, and the scope whose state it came from. */
      readonly intervalScale: number;
      readonly intervalScope: string;
      /** The order's own yield target (0..1). */
      readonly target: number;
      readonly featuresDigest: string;
    }
  | { readonly status: 'NOT_APPLICABLE'; readonly orderId: string; readonly reason: string };

/** Where the served interval's adaptive state comes from (workers/scoring/yield-interval-state.ts). */
export interface ServedIntervalSource {
  readonly scope: IntervalScope;
  readonly states: { get(scope: string): Promise<AdaptiveIntervalState> };
}

/** Options of {@link YieldOrderScorer}. */
export interface YieldOrderScorerOptions {
  readonly load?: MicroBatchOptions;
  readonly infer?: MicroBatchOptions;
  readonly now?: () => number;
  /** The adaptive interval's state; without it the model's own interval is served (scale 1). */
  readonly interval?: ServedIntervalSource;
}

/** Predicts orders by id; see the module comment. */
export class YieldOrderScorer {
  private readonly loads: MicroBatcher<string, YieldOrderRows | undefined>;
  private readonly runs: MicroBatcher<Float32Array, [number, number, number]>;
  private readonly interval: ServedIntervalSource | undefined;

  constructor(client: OpcenterClient, run: RunRows, options: YieldOrderScorerOptions = {}) {
    const now = options.now ?? Date.now;
    this.interval = options.interval;
    this.loads = new MicroBatcher(
      async (ids) => {
        const rows = await loadYieldOrderRows(client, ids, now());
        return ids.map((id) => rows.get(id));
      },
      () => 1,
      options.load ?? { maxRows: 50, maxWaitMs: 5 },
    );
    this.runs = new MicroBatcher(
      async (rows) => {
        const values = new Float32Array(rows.length * YIELD_FEATURE_COUNT);
        rows.forEach((r, i) => values.set(r, i * YIELD_FEATURE_COUNT));
        const out = await run(values, YIELD_FEATURE_COUNT);
        const { yield: value, lower, upper } = out;
        if (value === undefined || lower === undefined || upper === undefined) throw new Error('yield-predictor gave no yield/lower/upper outputs');
        return rows.map((_, i) => [value[i] as number, lower[i] as number, upper[i] as number]);
      },
      () => 1,
      options.infer ?? { maxRows: 4_096, maxWaitMs: 10 },
    );
  }

  /** Counters of the model runs (batches, requests, rows). */
  get inferenceStats() {
    return this.runs.stats;
  }

  /**
   * Predicts one order; concurrent calls are batched.
   * @throws FeatureInputError when Opcenter's data for the order is malformed (do not retry)
   */
  async predict(orderId: string): Promise<OrderPrediction> {
    const rows = await this.loads.submit(orderId);
    if (rows === undefined) return { status: 'NOT_APPLICABLE', orderId, reason: `Opcenter has no production order '${orderId}'` };
    if (rows.boardsStarted === 0) return { status: 'NOT_APPLICABLE', orderId, reason: 'the order has not started a board yet' };
    const input = toYieldOrderInput(rows);
    const features = computeYieldFeatures(input);
    const [value, rawLower, rawUpper] = await this.runs.submit(features);
    const scope = intervalScopeKey(this.interval?.scope ?? 'plant', input.productId);
    const state = this.interval ? await this.interval.states.get(scope) : INITIAL_INTERVAL_STATE;
    const { lower, upper } = widenInterval({ value, lower: rawLower, upper: rawUpper }, state);
    return {
      status: 'READY',
      orderId,
      value,
      lower,
      upper,
      rawLower,
      rawUpper,
      intervalScale: state.scale,
      intervalScope: scope,
      target: input.targetYield,
      featuresDigest: createHash('sha256').update(new Uint8Array(features.buffer)).digest('hex'),
    };
  }
}
