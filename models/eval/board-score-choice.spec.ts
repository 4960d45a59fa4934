import { rngFor } from '../../opcenter/simulator/prng';
import { aggregatePads, sigmoid, summarizeBoardPads, type BoardPadSummary } from '../spi-defect-risk/board-score';
import { boardScoreCandidates, chooseBoardScore, CHOICE_TIE, fitLogistic, fitPlatt } from './board-score-choice';

function seeded(seed: number): () => number {
  const rng = rngFor(seed, 0xc401ce);
  return () => rng.next();
}

/** Boards of 60 pads whose label is drawn from the noisy-OR of their pads (so noisy-OR is well calibrated). */
function boards(seed: number, n: number): { summaries: BoardPadSummary[]; labels: Float64Array } {
  const random = seeded(seed);
  const summaries: BoardPadSummary[] = [];
  const labels = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const out = new Float32Array(60 * 4);
    const level = random() < 0.1 ? 0.01 : 0.0005;
    for (let i = 0; i < 60; i++) {
      const c = [random() * level, random() * level, random() * level];
      out.set([1 - c[0]! - c[1]! - c[2]!, ...c], i * 4);
    }
    const summary = summarizeBoardPads(out, 60);
    summaries.push(summary);
    labels[b] = random() < aggregatePads(summary, { kind: 'noisy-or' }) ? 1 : 0;
  }
  return { summaries, labels };
}

describe('fitLogistic', () => {
  it('recovers the coefficients of data drawn from a logistic model', () => {
    const random = seeded(1);
    const x = Array.from({ length: 4000 }, () => [random() * 4 - 2, random() * 4 - 2]);
    const y = x.map(([a, b]) => (random() < sigmoid(-1 + 1.5 * a! - 0.5 * b!) ? 1 : 0));
    const fit = fitLogistic(x, y, 0);
    expect(fit.intercept).toBeCloseTo(-1, 0);
    expect(fit.weights[0]).toBeCloseTo(1.5, 0);
    expect(fit.weights[1]).toBeCloseTo(-0.5, 0);
  });
});

describe('fitPlatt', () => {
  it('leaves calibrated scores nearly as they are', () => {
    const random = seeded(2);
    const scores = Array.from({ length: 5000 }, () => 0.02 + 0.5 * random());
    const labels = scores.map((p) => (random() < p ? 1 : 0));
    const { slope, intercept } = fitPlatt(scores, labels);
    expect(slope).toBeGreaterThan(0.8);
    expect(slope).toBeLessThan(1.2);
    expect(Math.abs(intercept)).toBeLessThan(0.2);
  });
});

describe('chooseBoardScore', () => {
  const { summaries, labels } = boards(3, 1500);
  const choice = chooseBoardScore(summaries, labels, 0.005);

  it('scores every candidate and picks the simplest within a tie of the best', () => {
    const names = boardScoreCandidates(0.005).map((c) => c.name);
    expect(Object.keys(choice.candidates)).toEqual(names);
    const scores = Object.values(choice.candidates);
    const best = Math.max(...scores);
    const first = scores.findIndex((v) => v >= best - CHOICE_TIE);
    expect(choice.method).toBe(names[first]);
    expect(choice.calibrationBoards).toBe(1500);
    expect(choice.calibrationDefectBoards).toBe(labels.reduce((a, b) => a + b, 0));
  });

  it('calibrates the chosen score with a positive Platt slope', () => {
    expect(choice.model.calibration.kind).toBe('platt');
    if (choice.model.calibration.kind === 'platt') expect(choice.model.calibration.slope).toBeGreaterThan(0);
  });

  it('fits logistic candidates with non-negative weights only', () => {
    for (const candidate of boardScoreCandidates(0.005)) {
      const aggregation = candidate.fit(summaries, labels, summaries.map((_, i) => i));
      if (aggregation.kind === 'logistic') expect(aggregation.weights.every((w) => w >= 0)).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(chooseBoardScore(summaries, labels, 0.005)).toEqual(choice);
  });
});
