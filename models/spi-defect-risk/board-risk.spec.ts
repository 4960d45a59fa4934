import type { SpiFeatures } from '../features/spi-features';
import { aggregateBoardRisk, anyOf, padDefectProbabilities } from './board-risk';
import { NOISY_OR_SCORE, scoreBoardPads, shippedBoardScoreModel, summarizeBoardPads } from './board-score';
import { rngFor } from '../../opcenter/simulator/prng';

/** The simulator's seeded generator, so every run sees the same rows. */
function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0x5eed);
  return () => rng.next();
}

/** 1 - (1 - p)^n by its binomial series, which converges fast when n·p is small. */
function anyOfEqual(n: number, p: number): number {
  let sum = 0;
  let term = 1;
  for (let k = 1; k <= 12; k++) {
    term *= ((n - k + 1) / k) * p;
    sum += k % 2 === 1 ? term : -term;
  }
  return sum;
}

/** Features of a board whose pads are only named: aggregation reads pad ids and reference designators. */
function features(padIds: readonly string[]): SpiFeatures {
  return {
    serialNumber: 'SN-RISK-1',
    rows: padIds.length,
    values: new Float32Array(0),
    padIds,
    referenceDesignators: padIds.map((id) => id.split('-')[0] as string),
  };
}

const PAD_IDS = ['C1-1', 'C1-2', 'R1-1', 'U1-A1', 'U1-A2'];
/** Per pad: none, bridging, insufficient solder, open. */
const OUTPUT = [
  [0.99, 0.005, 0.003, 0.002],
  [0.95, 0.01, 0.03, 0.01],
  [0.7, 0.05, 0.2, 0.05],
  [0.6, 0.3, 0.05, 0.05],
  [0.8, 0.02, 0.03, 0.15],
];
const probabilities = (rows: readonly (readonly number[])[]): Float32Array => Float32Array.from(rows.flat());

describe('anyOf', () => {
  it('is 0 for no probabilities and for probabilities that are all 0', () => {
    expect(anyOf([])).toBeCloseTo(0, 15);
    expect(anyOf([0, 0, 0])).toBeCloseTo(0, 15);
  });

  it('equals 1 - prod(1 - p)', () => {
    expect(anyOf([0.1, 0.2, 0.5])).toBeCloseTo(1 - 0.9 * 0.8 * 0.5, 14);
    const random = seeded(3);
    const ps = Array.from({ length: 50 }, () => random() * 0.1);
    expect(anyOf(ps)).toBeCloseTo(1 - ps.reduce((none, p) => none * (1 - p), 1), 12);
    expect(anyOf(new Float64Array([0.25, 0.25]))).toBeCloseTo(1 - 0.75 * 0.75, 14);
  });

  it('stays accurate for a thousand probabilities of 1e-6', () => {
    const result = anyOf(new Float64Array(1000).fill(1e-6));
    const expected = anyOfEqual(1000, 1e-6);
    expect(result).toBeCloseTo(0.001, 5);
    expect(Math.abs(result - expected) / expected).toBeLessThan(1e-9);
  });

  it('stays accurate where 1 - p rounds away the probability', () => {
    const result = anyOf(new Float64Array(1000).fill(1e-15));
    const expected = anyOfEqual(1000, 1e-15);
    expect(Math.abs(result - expected) / expected).toBeLessThan(1e-9);
  });

  it('clamps probabilities outside 0..1, so a certain pad gives a finite score just below 1', () => {
    expect(anyOf([-0.5, 0.2])).toBeCloseTo(0.2, 14);
    const certain = anyOf([1, 0.3]);
    expect(Number.isFinite(certain)).toBe(true);
    expect(certain).toBeLessThan(1);
    expect(certain).toBeGreaterThan(1 - 1e-9);
    expect(anyOf([1.5])).toBe(anyOf([1]));
  });
});

describe('padDefectProbabilities', () => {
  it('takes 1 - p_none of each row, starting at the offset row', () => {
    const out = padDefectProbabilities(probabilities(OUTPUT), 2, 3);
    expect(Array.from(out)).toEqual([1 - Math.fround(0.6), 1 - Math.fround(0.8)]);
  });
});

describe('aggregateBoardRisk', () => {
  it('scores the board as any of its pads becoming a defect with the plain noisy-OR model', () => {
    const risk = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT), { scoreModel: NOISY_OR_SCORE });
    expect(risk.serialNumber).toBe('SN-RISK-1');
    expect(risk.score).toBeCloseTo(1 - 0.99 * 0.95 * 0.7 * 0.6 * 0.8, 6);
  });

  it("scores with the shipped card's board score model unless told otherwise", () => {
    const output = probabilities(OUTPUT);
    const risk = aggregateBoardRisk(features(PAD_IDS), output);
    expect(risk.score).toBe(scoreBoardPads(summarizeBoardPads(output, PAD_IDS.length), shippedBoardScoreModel()));
  });

  it('keeps the pads and components whatever the score model', () => {
    const plain = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT), { scoreModel: NOISY_OR_SCORE });
    const served = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT));
    expect(served.pads).toEqual(plain.pads);
    expect(served.components).toEqual(plain.components);
  });

  it('returns the top pads highest first, each with its likeliest defect type', () => {
    const risk = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT), { top: 3 });
    expect(risk.pads.map(({ padId, referenceDesignator, defectType }) => ({ padId, referenceDesignator, defectType }))).toEqual([
      { padId: 'U1-A1', referenceDesignator: 'U1', defectType: 'BRIDGING' },
      { padId: 'R1-1', referenceDesignator: 'R1', defectType: 'INSUFFICIENT_SOLDER' },
      { padId: 'U1-A2', referenceDesignator: 'U1', defectType: 'OPEN' },
    ]);
    expect(risk.pads.map((p) => p.probability)).toEqual([0.4, 0.3, 0.2].map((p) => expect.closeTo(p, 6)));
  });

  it('returns five pads unless told otherwise', () => {
    const many = Array.from({ length: 8 }, (_, i) => `U${i}-1`);
    const output = many.map((_, i) => [1 - (i + 1) / 100, (i + 1) / 100, 0, 0]);
    const risk = aggregateBoardRisk(features(many), probabilities(output));
    expect(risk.pads.map((p) => p.padId)).toEqual(['U7-1', 'U6-1', 'U5-1', 'U4-1', 'U3-1']);
    expect(risk.components).toHaveLength(5);
  });

  it('aggregates pads per reference designator, with the likeliest defect of its riskiest pad', () => {
    const risk = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT));
    expect(risk.components.map(({ referenceDesignator, defectType, pads }) => ({ referenceDesignator, defectType, pads }))).toEqual([
      { referenceDesignator: 'U1', defectType: 'BRIDGING', pads: 2 },
      { referenceDesignator: 'R1', defectType: 'INSUFFICIENT_SOLDER', pads: 1 },
      { referenceDesignator: 'C1', defectType: 'INSUFFICIENT_SOLDER', pads: 2 },
    ]);
    expect(risk.components.map((c) => c.probability)).toEqual([1 - 0.6 * 0.8, 0.3, 1 - 0.99 * 0.95].map((p) => expect.closeTo(p, 6)));
  });

  it('reads its rows at the offset of a larger output and ignores the rows around them', () => {
    const otherBoard = [1e-3, 0.999, 0, 0];
    const larger = probabilities([otherBoard, otherBoard, ...OUTPUT, otherBoard]);
    const alone = aggregateBoardRisk(features(PAD_IDS), probabilities(OUTPUT));
    const atOffset = aggregateBoardRisk(features(PAD_IDS), larger, { offset: 2 });
    expect(atOffset).toEqual(alone);
  });
});
