import { descendingOrder } from './descending-order';
import { rngFor } from '../../opcenter/simulator/prng';

/** The simulator's seeded generator, so every run sees the same rows. */
function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0x5eed);
  return () => rng.next();
}

/** The order a plain comparator sort gives: score descending, then row index. */
function referenceOrder(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

describe('descendingOrder', () => {
  it('orders rows by score, highest first, keeping input order among ties', () => {
    const { order, sorted } = descendingOrder([0.2, 0.9, 0.2, -1, 0.9, 0]);
    expect(Array.from(order)).toEqual([1, 4, 0, 2, 5, 3]);
    expect(Array.from(sorted)).toEqual([0.9, 0.9, 0.2, 0.2, 0, -1]);
  });

  it('orders negatives, zeros of either sign and infinities like numbers, with -0 tied to 0', () => {
    const scores = [-0, 3, -Infinity, -2.5, 0, Infinity, -1e-300, 1e-300, Number.MAX_VALUE, -Number.MAX_VALUE];
    const { order, sorted } = descendingOrder(scores);
    expect(Array.from(order)).toEqual([5, 8, 1, 7, 0, 4, 6, 3, 9, 2]);
    expect(Object.is(sorted[4], 0) && Object.is(sorted[5], 0)).toBe(true);
  });

  it('reads scores back exactly when no score needs the bits that hold the row index', () => {
    const scores = [3, -1.5, 0, -0, 2, 3, -Infinity, Infinity, -(2 ** 40)];
    const { order, sorted } = descendingOrder(scores);
    expect(Array.from(order)).toEqual([7, 0, 5, 4, 2, 3, 1, 8, 6]);
    expect(Array.from(sorted)).toEqual([Infinity, 3, 3, 2, 0, 0, -1.5, -(2 ** 40), -Infinity]);
    expect(Object.is(sorted[5], 0)).toBe(true);
  });

  it('agrees with a comparator sort on random float64 and float32 scores with ties and negatives', () => {
    const random = seeded(11);
    const float64 = Float64Array.from({ length: 5000 }, () => (random() < 0.3 ? Math.round(random() * 20) / 4 : random() * 10 - 5));
    const float32 = Float32Array.from(float64, (x) => x * 1.7);
    for (const scores of [float64, float32]) {
      const { order, sorted } = descendingOrder(scores);
      const expected = referenceOrder(scores);
      expect(Array.from(order)).toEqual(expected);
      expect(Array.from(sorted)).toEqual(expected.map((i) => scores[i]! + 0));
    }
  });

  it('puts in exact order scores that differ only in their lowest bits, in short and long runs', () => {
    const random = seeded(5);
    const ulp = 2 ** -52;
    const shortRuns = Array.from({ length: 600 }, (_, i) => 0.5 + (i % 7) * ulp * (random() < 0.5 ? 1 : -1) + Math.floor(i / 7) * 1e-3);
    const longRun = Array.from({ length: 800 }, () => 0.5 + Math.floor(random() * 1000) * ulp);
    const negativeRun = longRun.map((x) => -x);
    for (const scores of [shortRuns, longRun, negativeRun]) {
      expect(Array.from(descendingOrder(scores).order)).toEqual(referenceOrder(scores));
    }
  });

  it('returns empty arrays for no rows and leaves the input unchanged', () => {
    expect(descendingOrder([]).order).toHaveLength(0);
    const scores = new Float32Array([0.3, 0.1, 0.2]);
    descendingOrder(scores);
    expect(Array.from(scores)).toEqual([Math.fround(0.3), Math.fround(0.1), Math.fround(0.2)]);
  });

  it('throws a RangeError naming the row of a NaN score', () => {
    expect(() => descendingOrder([0.1, Number.NaN], 'logits')).toThrow(new RangeError('logits[1] is NaN'));
  });
});
