/**
 * The served `yield-predictor` interval's adaptive state (models/yield-predictor/adaptive-interval.ts)
 * in Redis, shared by every worker:
 * - `<keyPrefix>:yield-interval:<model version>:<scope>`: the state, JSON `{ scale, updates }`;
 * - `<keyPrefix>:yield-interval:<model version>:<scope>:completed`: a sorted set of the orders already
 *   learnt from, scored by when (entries older than `completedTtlMs` are dropped).
 * An update is read, computed with `updateIntervalState` and written back by a compare-and-set
 * script that also records the order, so two workers never lose an update and a replayed
 * completion never counts twice.
 */
import type { Redis } from 'ioredis';
import {
  INITIAL_INTERVAL_STATE,
  updateIntervalState,
  type AdaptiveIntervalSettings,
  type AdaptiveIntervalState,
  type IntervalOutcome,
} from '../../models/yield-predictor/adaptive-interval';

/** Options of {@link YieldIntervalStateStore}. */
export interface YieldIntervalStateOptions {
  /** First segment of every key (`InsightsConfig.keyPrefix`). */
  readonly keyPrefix: string;
  /** The served model version: a new version starts from its own card's states. */
  readonly modelVersion: string;
  /** Step size and target miscoverage (the card's `metrics.adaptiveInterval`). */
  readonly settings: AdaptiveIntervalSettings;
  /** The state of each scope before any completion reached Redis (the card's `initialStates`); default scale 1. */
  readonly initialStates?: Readonly<Record<string, AdaptiveIntervalState>>;
  /** How long a completed order is remembered against replays, ms. Default 30 days. */
  readonly completedTtlMs?: number;
}

/** What recording one completion did. */
export interface IntervalUpdate {
  readonly state: AdaptiveIntervalState;
  /** False when the order had already been learnt from (a replayed event): the state is unchanged. */
  readonly applied: boolean;
}

const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;
const MAX_ATTEMPTS = 20;

// KEYS: state, completed. ARGV: expected state JSON ('' = none), new state JSON, order id, now ms, ttl ms.
const COMPARE_AND_SET = `
redis.call('zremrangebyscore', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[5]))
if redis.call('zscore', KEYS[2], ARGV[3]) then return 'seen' end
local current = redis.call('get', KEYS[1]) or ''
if current ~= ARGV[1] then return 'conflict' end
redis.call('set', KEYS[1], ARGV[2])
redis.call('zadd', KEYS[2], ARGV[4], ARGV[3])
redis.call('pexpire', KEYS[2], ARGV[5])
return 'ok'`;

function parseState(json: string | null): AdaptiveIntervalState | undefined {
  if (!json) return undefined;
  const value = JSON.parse(json) as Partial<AdaptiveIntervalState>;
  return typeof value.scale === 'number' && Number.isFinite(value.scale) && value.scale > 0 && typeof value.updates === 'number'
    ? { scale: value.scale, updates: value.updates }
    : undefined;
}

/** Reads and updates the adaptive interval's state; see the module comment. Does not own its client. */
export class YieldIntervalStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: YieldIntervalStateOptions,
  ) {}

  /** Key of a scope's state. */
  key(scope: string): string {
    return `${this.options.keyPrefix}:yield-interval:${this.options.modelVersion}:${scope}`;
  }

  private initial(scope: string): AdaptiveIntervalState {
    return this.options.initialStates?.[scope] ?? INITIAL_INTERVAL_STATE;
  }

  /** The scope's current state (its initial state while no completion has been recorded). */
  async get(scope: string): Promise<AdaptiveIntervalState> {
    return parseState(await this.redis.get(this.key(scope))) ?? this.initial(scope);
  }

  /**
   * Learns from one completed order: the interval it was last served and its realised yield.
   * Atomic and idempotent per order id.
   */
  async recordCompletion(scope: string, orderId: string, outcome: IntervalOutcome, now = Date.now()): Promise<IntervalUpdate> {
    const key = this.key(scope);
    const ttl = this.options.completedTtlMs ?? THIRTY_DAYS_MS;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.redis.get(key);
      const state = parseState(stored) ?? this.initial(scope);
      const next = updateIntervalState(state, outcome, this.options.settings);
      const result = await this.redis.eval(COMPARE_AND_SET, 2, key, `${key}:completed`, stored ?? '', JSON.stringify(next), orderId, now, ttl);
      if (result === 'ok') return { state: next, applied: true };
      if (result === 'seen') return { state, applied: false };
    }
    throw new Error(`yield interval state ${key}: ${MAX_ATTEMPTS} concurrent updates in a row; retry`);
  }
}
