import { readModelCard } from '../model-card';
import { rngFor } from '../../opcenter/simulator/prng';
import { anyOf } from './board-risk';
import {
  aggregatePads,
  BoardScoreModelError,
  NOISY_OR_SCORE,
  parseBoardScoreModel,
  PAD_FLOORS,
  scoreBoardPads,
  shippedBoardScoreModel,
  summarizeBoardPads,
  SUMMARY_TOP_PADS,
  type BoardScoreModel,
} from './board-score';

/** The simulator's seeded generator, so every run sees the same rows. */
function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0xb0a4d);
  return () => rng.next();
}

/** A board of `pads` rows (none, bridging, insufficient, open) with small defect probabilities and a few risky pads. */
function randomBoard(random: () => number, pads: number): Float32Array {
  const out = new Float32Array(pads * 4);
  for (let i = 0; i < pads; i++) {
    const scale = random() < 0.02 ? 0.2 : 0.002;
    const classes = [random() * scale, random() * scale, random() * scale];
    out.set([1 - classes.reduce((a, b) => a + b, 0), ...classes], i * 4);
  }
  return out;
}

const LOGISTIC: BoardScoreModel = {
  aggregation: {
    kind: 'logistic',
    features: ['log-noisy-or', 'log-max', 'log1p-pads-above-threshold', 'log-bridging-max', 'log-open-noisy-or'],
    padThreshold: 0.09,
    center: [-2, -3, 0.3, -5, -4],
    scale: [1, 1.5, 0.5, 2, 1],
    weights: [0.8, 0.1, 0.3, 0.2, 0.05],
    intercept: -2.5,
  },
  calibration: { kind: 'platt', slope: 0.9, intercept: 0.1 },
};

/** One model of each aggregation, Platt-scaled. */
const MODELS: readonly BoardScoreModel[] = [
  NOISY_OR_SCORE,
  ...(
    [{ kind: 'noisy-or' }, { kind: 'max' }, { kind: 'top-k', k: 3 }, { kind: 'top-k', k: SUMMARY_TOP_PADS }, ...PAD_FLOORS.map((floor) => ({ kind: 'floor' as const, floor })), { kind: 'per-type-max' }] as const
  ).map((aggregation): BoardScoreModel => ({ aggregation, calibration: { kind: 'platt', slope: 0.9, intercept: 0.07 } })),
  LOGISTIC,
];

describe('summarizeBoardPads', () => {
  it('keeps the riskiest pads in order, the noisy-OR of all pads, of the pads above each floor and of each type', () => {
    const board = randomBoard(seeded(1), 300);
    const summary = summarizeBoardPads(board, 300);
    const pads = Array.from({ length: 300 }, (_, i) => 1 - (board[i * 4] as number));
    expect(summary.top).toEqual([...pads].sort((a, b) => b - a).slice(0, SUMMARY_TOP_PADS));
    expect(aggregatePads(summary, { kind: 'noisy-or' })).toBeCloseTo(anyOf(pads), 12);
    PAD_FLOORS.forEach((floor) => expect(aggregatePads(summary, { kind: 'floor', floor })).toBeCloseTo(anyOf(pads.filter((p) => p >= floor)), 12));
    const perType = [1, 2, 3].map((c) => anyOf(Array.from({ length: 300 }, (_, i) => board[i * 4 + c] as number)));
    expect(aggregatePads(summary, { kind: 'per-type-max' })).toBeCloseTo(Math.max(...perType), 12);
    expect(aggregatePads(summary, { kind: 'top-k', k: 2 })).toBeCloseTo(anyOf(summary.top.slice(0, 2)), 14);
  });

  it('reads its rows at the offset of a larger output', () => {
    const board = randomBoard(seeded(2), 40);
    const larger = new Float32Array(50 * 4).fill(0.25);
    larger.set(board, 5 * 4);
    expect(summarizeBoardPads(larger, 40, 5)).toEqual(summarizeBoardPads(board, 40));
  });

  it('pads a board of fewer pads than it keeps with zeros', () => {
    const summary = summarizeBoardPads(Float32Array.from([0.9, 0.05, 0.03, 0.02]), 1);
    expect(summary.top[0]).toBeCloseTo(0.1, 6);
    expect(summary.top.slice(1)).toEqual(new Array(SUMMARY_TOP_PADS - 1).fill(0));
  });
});

describe('scoreBoardPads', () => {
  it('never lowers a board score when one pad becomes riskier, for every aggregation', () => {
    const random = seeded(3);
    for (let trial = 0; trial < 40; trial++) {
      const pads = 20 + Math.floor(random() * 200);
      const board = randomBoard(random, pads);
      const row = Math.floor(random() * pads);
      const c = 1 + Math.floor(random() * 3);
      const riskier = board.slice();
      const added = Math.min(riskier[row * 4] as number, random() * 0.3);
      riskier[row * 4] = (riskier[row * 4] as number) - added;
      riskier[row * 4 + c] = (riskier[row * 4 + c] as number) + added;
      for (const model of MODELS) {
        const before = scoreBoardPads(summarizeBoardPads(board, pads), model);
        const after = scoreBoardPads(summarizeBoardPads(riskier, pads), model);
        expect(after).toBeGreaterThanOrEqual(before);
      }
    }
  });

  it('gives the same score for the same pads, in any order, and stays within 0..1', () => {
    const random = seeded(4);
    const board = randomBoard(random, 120);
    const reversed = new Float32Array(board.length);
    for (let i = 0; i < 120; i++) reversed.set(board.subarray((119 - i) * 4, (120 - i) * 4), i * 4);
    for (const model of MODELS) {
      const score = scoreBoardPads(summarizeBoardPads(board, 120), model);
      expect(scoreBoardPads(summarizeBoardPads(board, 120), model)).toBe(score);
      expect(scoreBoardPads(summarizeBoardPads(reversed, 120), model)).toBeCloseTo(score, 12);
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
    }
  });

  it('applies Platt scaling on the log-odds of the raw score', () => {
    const summary = summarizeBoardPads(randomBoard(seeded(5), 80), 80);
    const raw = aggregatePads(summary, { kind: 'noisy-or' });
    const scaled = scoreBoardPads(summary, { aggregation: { kind: 'noisy-or' }, calibration: { kind: 'platt', slope: 2, intercept: -1 } });
    expect(scaled).toBeCloseTo(1 / (1 + Math.exp(-(2 * Math.log(raw / (1 - raw)) - 1))), 12);
  });
});

describe('board score models in the card', () => {
  it("round-trip through JSON, the card's own included", () => {
    for (const model of MODELS) expect(parseBoardScoreModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    const stored = (readModelCard('spi-defect-risk').metrics as { boardScore: { model: unknown } }).boardScore.model;
    expect(shippedBoardScoreModel()).toEqual(stored);
  });

  it('are rejected when they could make the score fall as a pad gets riskier, or are malformed', () => {
    const bad: unknown[] = [
      undefined,
      { aggregation: { kind: 'noisy-or' } },
      { aggregation: { kind: 'median' }, calibration: { kind: 'identity' } },
      { aggregation: { kind: 'top-k', k: SUMMARY_TOP_PADS + 1 }, calibration: { kind: 'identity' } },
      { aggregation: { kind: 'floor', floor: 0.5 }, calibration: { kind: 'identity' } },
      { aggregation: { kind: 'noisy-or' }, calibration: { kind: 'platt', slope: -1, intercept: 0 } },
      { ...LOGISTIC, aggregation: { ...LOGISTIC.aggregation, weights: [0.8, -0.1, 0.3, 0.2, 0.05] } },
      { ...LOGISTIC, aggregation: { ...LOGISTIC.aggregation, features: ['log-noisy-or', 'log-max', 'log1p-pads-above-threshold', 'log-bridging-max', 'volume'] } },
    ];
    for (const value of bad) expect(() => parseBoardScoreModel(value)).toThrow(BoardScoreModelError);
  });
});
