import {
  INITIAL_INTERVAL_STATE,
  intervalScopeKey,
  MAX_SCALE,
  meanIntervalScore,
  replayAdaptiveIntervals,
  updateIntervalState,
  widenInterval,
  type ReplaySnapshot,
} from './adaptive-interval';

const SETTINGS = { gamma: 0.2, alpha: 0.1 };

/** A deterministic generator (mulberry32), so the synthetic plant is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Orders one hour apart, each predicted once, completing two hours later. The model's interval is
 * 0.93 ± 0.02 throughout; the truth's noise is 0.012 (the interval over-covers) for the first 300
 * orders, then a drift makes it 0.03 and biased down by 0.02 (the interval covers about half).
 */
function driftingPlant(orders: number): ReplaySnapshot[] {
  const next = random(7);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: orders }, (_, i) => {
    const drifted = i >= 300;
    const actual = 0.93 + (drifted ? -0.02 + 0.03 * gaussian() : 0.012 * gaussian());
    return { orderId: `WO-${i}`, scope: 'all', at: i * 3_600_000, completedAt: i * 3_600_000 + 7_200_000, value: 0.93, lower: 0.91, upper: 0.95, actual };
  });
}

function coverage(snapshots: readonly ReplaySnapshot[], served: readonly { lower: number; upper: number }[], from: number, to: number): number {
  let hits = 0;
  for (let i = from; i < to; i++) {
    const iv = served[i] as { lower: number; upper: number };
    const y = (snapshots[i] as ReplaySnapshot).actual;
    if (y >= iv.lower && y <= iv.upper) hits++;
  }
  return hits / (to - from);
}

describe('adaptive interval', () => {
  it('scales the half-widths around the point value and keeps an asymmetric interval asymmetric', () => {
    expect(widenInterval({ value: 0.9, lower: 0.86, upper: 0.92 }, { scale: 1.5, updates: 3 })).toEqual({ lower: expect.closeTo(0.84, 12), upper: expect.closeTo(0.93, 12) });
    expect(widenInterval({ value: 0.9, lower: 0.86, upper: 0.92 }, INITIAL_INTERVAL_STATE)).toEqual({ lower: 0.86, upper: 0.92 });
  });

  it('clips the served interval to [0, 1]', () => {
    expect(widenInterval({ value: 0.98, lower: 0.9, upper: 1 }, { scale: 4, updates: 0 })).toEqual({ lower: expect.closeTo(0.66, 12), upper: 1 });
    expect(widenInterval({ value: 0.97, lower: 0.94, upper: 0.99 }, { scale: 3, updates: 0 }).upper).toBe(1);
    expect(widenInterval({ value: 0.02, lower: 0.01, upper: 0.05 }, { scale: 5, updates: 0 }).lower).toBe(0);
  });

  it('widens by exp(0.9 gamma) on a miss and narrows by exp(-0.1 gamma) on a hit, deterministically', () => {
    const miss = updateIntervalState({ scale: 1, updates: 4 }, { lower: 0.9, upper: 0.95, actual: 0.8 }, SETTINGS);
    const hit = updateIntervalState({ scale: 1, updates: 4 }, { lower: 0.9, upper: 0.95, actual: 0.92 }, SETTINGS);
    expect(miss).toEqual({ scale: Math.exp(0.18), updates: 5 });
    expect(hit).toEqual({ scale: Math.exp(-0.02), updates: 5 });
    expect(updateIntervalState({ scale: 1, updates: 4 }, { lower: 0.9, upper: 0.95, actual: 0.8 }, SETTINGS)).toEqual(miss);
    expect(updateIntervalState({ scale: MAX_SCALE, updates: 0 }, { lower: 0.9, upper: 0.95, actual: 0.5 }, SETTINGS).scale).toBe(MAX_SCALE);
  });

  it('brings coverage back toward 90 % after a drift that the static interval misses', () => {
    const plant = driftingPlant(1500);
    const adaptive = replayAdaptiveIntervals(plant, SETTINGS);
    const staticServed = plant.map((s) => ({ lower: s.lower, upper: s.upper }));
    expect(coverage(plant, staticServed, 300, 1500)).toBeLessThan(0.6);
    const late = coverage(plant, adaptive.served, 500, 1500);
    expect(late).toBeGreaterThan(0.86);
    expect(late).toBeLessThan(0.94);
    expect(adaptive.states.all?.updates).toBe(1500);
    expect(replayAdaptiveIntervals(plant, SETTINGS)).toEqual(adaptive);
  });

  it('serves each snapshot with only the orders completed strictly before it', () => {
    const base = { scope: 'all', value: 0.9, lower: 0.88, upper: 0.92 };
    const plant: ReplaySnapshot[] = [
      { ...base, orderId: 'A', at: 0, completedAt: 10, actual: 0.5 },
      { ...base, orderId: 'B', at: 10, completedAt: 30, actual: 0.9 },
      { ...base, orderId: 'C', at: 11, completedAt: 40, actual: 0.9 },
    ];
    const { served } = replayAdaptiveIntervals(plant, SETTINGS);
    expect(served[1]).toEqual({ lower: 0.88, upper: 0.92 });
    expect(served[2]?.lower).toBeCloseTo(0.9 - 0.02 * Math.exp(0.18), 12);
  });

  it('learns from the interval each order was last served, one state per scope', () => {
    const base = { value: 0.9, lower: 0.88, upper: 0.92, actual: 0.95 };
    const plant: ReplaySnapshot[] = [
      { ...base, orderId: 'A', scope: 'P1', at: 0, completedAt: 5 },
      { ...base, orderId: 'A', scope: 'P1', at: 4, completedAt: 5, lower: 0.8, upper: 0.99 },
      { ...base, orderId: 'B', scope: 'P2', at: 1, completedAt: 6 },
    ];
    const { states } = replayAdaptiveIntervals(plant, SETTINGS);
    expect(states).toEqual({ P1: { scale: Math.exp(-0.02), updates: 1 }, P2: { scale: Math.exp(0.18), updates: 1 } });
    expect(intervalScopeKey('plant', 'GW-MB-100')).toBe('all');
    expect(intervalScopeKey('product', 'GW-MB-100')).toBe('GW-MB-100');
  });

  it('prices width and misses in the interval score', () => {
    expect(meanIntervalScore([{ lower: 0.9, upper: 0.95 }], [0.92], 0.1)).toBeCloseTo(0.05, 12);
    expect(meanIntervalScore([{ lower: 0.9, upper: 0.95 }], [0.89], 0.1)).toBeCloseTo(0.05 + 20 * 0.01, 12);
  });
});
