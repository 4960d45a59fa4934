/**
 * For each shipped model: its dataset, how to measure it, which targets of the issue its figures
 * must meet, and the limitations its card states. Shared by `models:train` (which writes cards) and
 * `models:eval` (which checks them).
 */
import { SPI_FEATURE_NAMES, SPI_FEATURES_VERSION } from '../features/spi-features';
import { YIELD_FEATURE_NAMES, YIELD_FEATURES_VERSION } from '../features/yield-features';
import type { TargetCheck } from '../model-card';
import type { ModelName } from '../model-files';
import type { OnnxModel } from '../onnx-model';
import { SPI_DATASET, SPI_CLASSES, type ConfirmedDatasetSpec } from '../training/spi-dataset';
import { YIELD_DATASET } from '../training/yield-dataset';
import { describeBoardAggregation } from './board-score-choice';
import { evaluateSpiDefectRisk, type EvaluationProgress, type SpiEvaluation } from './spi-evaluation';
import { evaluateYieldPredictor, type YieldEvaluation } from './yield-evaluation';

/** What the card machinery needs to know about one model. */
export interface ModelEvaluation<M> {
  readonly name: ModelName;
  readonly version: string;
  readonly description: string;
  readonly dataset: ConfirmedDatasetSpec;
  readonly featureModule: string;
  readonly featuresVersion: number;
  readonly featureNames: readonly string[];
  readonly batchDimension: string;
  readonly outputs: readonly { readonly name: string; readonly width: number; readonly description: string }[];
  readonly trainer: string;
  /** Arguments `models:train` passes to the trainer after --data and --out. */
  readonly trainerArguments: readonly string[];
  readonly tolerance: number;
  evaluate(model: OnnxModel, progress?: EvaluationProgress): Promise<M>;
  targets(metrics: M): TargetCheck[];
  limitations(metrics: M): string[];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const f3 = (x: number): string => x.toFixed(3);

/** The sets every target is checked on: two held out of the dataset's plant, and the confirmation plant. */
const TARGET_SETS = ['test-later', 'test-line', 'confirmation'] as const;

/** How a target names its set. */
function setLabel(set: (typeof TARGET_SETS)[number], spec: ConfirmedDatasetSpec): string {
  return set === 'confirmation' ? `confirmation, seed ${spec.confirmationSeed}` : set;
}

/** How many of a card's targets its confirmation set meets. */
function confirmationTargetsMet(targets: readonly TargetCheck[]): string {
  const onConfirmation = targets.filter((t) => t.target.includes('(confirmation'));
  return `${onConfirmation.filter((t) => t.met).length} of its ${onConfirmation.length} targets are met there (see Targets)`;
}

/** What the confirmation set is, for the limitations. */
function confirmationPlant(spec: ConfirmedDatasetSpec, items: string): string {
  return (
    `The confirmation set is every ${items} of a second ${spec.scale} plant (seed ${spec.confirmationSeed}, same end time and product mix, every line, its whole history), ` +
    'on which nothing was ever trained, calibrated or chosen; it was computed once, after every choice above had been frozen'
  );
}

const SIMULATED =
  'Trained and measured on simulated data only (opcenter/simulator, seed and scale above). The features were designed by the people who wrote the simulator, so they line up with its defect physics better than they would with a real line; figures on real plant data will be lower.';

export const spiDefectRisk: ModelEvaluation<SpiEvaluation> = {
  name: 'spi-defect-risk',
  version: '1.0.0',
  description:
    "Per SPI pad, before reflow: the probability that the joint becomes a bridge, an insufficient-solder joint or an open. A board's risk aggregates its pads' probabilities as chosen and calibrated on the calibration window (metrics.boardScore), with the pads and reference designators that drive it.",
  dataset: SPI_DATASET,
  featureModule: 'models/features/spi-features.ts',
  featuresVersion: SPI_FEATURES_VERSION,
  featureNames: SPI_FEATURE_NAMES,
  batchDimension: 'pads',
  outputs: [{ name: 'probabilities', width: SPI_CLASSES.length, description: `Class probabilities per pad, columns ${SPI_CLASSES.join(', ')}; rows sum to 1.` }],
  trainer: 'models/spi-defect-risk/train.py',
  trainerArguments: ['--seed', '7'],
  tolerance: 1e-4,
  evaluate: (model, progress) => evaluateSpiDefectRisk(model, SPI_DATASET, progress),
  targets(m) {
    return TARGET_SETS.flatMap((set) => {
      const s = m.sets[set];
      const label = setLabel(set, SPI_DATASET);
      const ratio = s.board.model.prAuc / s.board.spiRule.prAuc;
      const padRatio = s.pad.model.prAuc / s.pad.spiRule.prAuc;
      return [
        {
          target: `PR-AUC per pad at least 2x the SPI rule's (${label})`,
          met: padRatio >= 2,
          detail: `${f3(s.pad.model.prAuc)} vs ${f3(s.pad.spiRule.prAuc)} (${padRatio.toFixed(2)}x)`,
        },
        {
          target: `PR-AUC per board at least 2x the SPI rule's (${label})`,
          met: ratio >= 2,
          detail:
            `${f3(s.board.model.prAuc)} vs ${f3(s.board.spiRule.prAuc)} (${ratio.toFixed(2)}x); ` +
            `plain noisy-OR before: ${f3(s.board.noisyOr.prAuc)} (${(s.board.noisyOr.prAuc / s.board.spiRule.prAuc).toFixed(2)}x)`,
        },
        {
          target: `expected calibration error at most 0.05 (${label})`,
          met: s.board.model.ece <= 0.05 && s.pad.model.ece <= 0.05,
          detail: `per board ${s.board.model.ece.toFixed(4)}, per pad ${s.pad.model.ece.toFixed(6)}`,
        },
      ];
    });
  },
  limitations(m) {
    const later = m.sets['test-later'].defects;
    const line = m.sets['test-line'].defects;
    const causes = Object.keys({ ...later.invisibleByCause, ...line.invisibleByCause }).sort();
    return [
      SIMULATED,
      `SPI cannot see by construction every defect that does not start in the print: ${causes.join(', ')}. They are ${pct(later.invisibleShare)} of all true defects of the later-production boards and ${pct(line.invisibleShare)} of the held-out line's (test-process failures such as fixture contact excluded); this model does not predict them, and a board's risk says nothing about them.`,
      boardScoreLimitation(m),
      'Defects are rare (tens per hundred thousand pads), so per-pad PR-AUC is low in absolute terms; compare it with the SPI rule beside it, not with figures from balanced datasets. For scale on real data: LaCasse et al. (SN Applied Sciences, 2020) report F1 above 0.62 for BGA defects from SPI; the best PHME 2022 entry scored 0.45 predicting AOI defects from SPI.',
      `Bridging is predicted poorly (per-pad PR-AUC ${f3(m.sets['test-later'].classPrAuc.bridging)} on later production, ${f3(m.sets['test-line'].classPrAuc.bridging)} on the held-out line): bridges come from paste spreading into the gap under excess paste or an offset print, with only about a hundred bridged pads to learn from; insufficient solder and opens (clogged small apertures) drive most of the score.`,
      'Thresholds (best F1) were chosen on the calibration window, before the held-out sets; the network size and training settings were fixed before any held-out figure was computed. Two changes came after the first card\'s held-out figures had been seen: the model averages four networks trained from consecutive seeds instead of one (a single network\'s calibration-window per-pad PR-AUC moved from 0.087 to 0.033 with the seed alone), and bridged pads weigh ten times more while fitting. They were kept on calibration-window figures (per-pad PR-AUC 0.087 to 0.092, bridging 0.00004 to 0.00006, out-of-fold board PR-AUC of the chosen score 0.206 to 0.208, best candidate 0.211). Averaging without the bridging weight scored higher there (0.098, 0.233) and was tried first, but it left every bridging-prone board of the small plant below 0.1; its held-out figures had been computed before the bridging weight was added.',
      'The board score is not a blind test: the candidates and the rule that picks among them (out-of-fold PR-AUC on the calibration window) were written after the first card showed plain noisy-OR missing the per-board target on later production (0.192 vs the SPI rule\'s 0.124, 1.55x). The rule reads the calibration window only and was not changed after the held-out figures above were computed, but those figures are a second look at the held-out sets. ' +
        spiConfirmation(m),
    ];
  },
};

function spiConfirmation(m: SpiEvaluation): string {
  const { board, pad } = m.sets.confirmation;
  const ratio = (model: number, rule: number): string => `${(model / rule).toFixed(2)}x`;
  return (
    `${confirmationPlant(SPI_DATASET, 'SPI-inspected board')} (thresholds and board score as chosen on the seed-${SPI_DATASET.seed} calibration window): ` +
    `per-board PR-AUC ${f3(board.model.prAuc)} against the SPI rule's ${f3(board.spiRule.prAuc)} (${ratio(board.model.prAuc, board.spiRule.prAuc)}), ` +
    `per-pad ${f3(pad.model.prAuc)} against ${f3(pad.spiRule.prAuc)} (${ratio(pad.model.prAuc, pad.spiRule.prAuc)}), ` +
    `expected calibration error per board ${board.model.ece.toFixed(4)} and per pad ${pad.model.ece.toFixed(6)}; ` +
    `${confirmationTargetsMet(spiDefectRisk.targets(m))}.`
  );
}

function boardScoreLimitation(m: SpiEvaluation): string {
  const later = m.sets['test-later'].board;
  const line = m.sets['test-line'].board;
  const ratio = later.model.prAuc / later.spiRule.prAuc;
  const miss =
    ratio >= 2
      ? ''
      : ` The per-board target on later production is still not met: PR-AUC ${f3(later.model.prAuc)} against the SPI rule's ${f3(later.spiRule.prAuc)} (${ratio.toFixed(2)}x, target 2x; plain noisy-OR ${f3(later.noisyOr.prAuc)}).`;
  return (
    `The board score is ${describeBoardAggregation(m.boardScore.model.aggregation)}, Platt-scaled, chosen among ${Object.keys(m.boardScore.candidates).length} candidates on the calibration window (${m.boardScore.calibrationDefectBoards} defect boards, so the choice is noisy). ` +
    `Against plain noisy-OR it moves per-board PR-AUC from ${f3(later.noisyOr.prAuc)} to ${f3(later.model.prAuc)} on later production and from ${f3(line.noisyOr.prAuc)} to ${f3(line.model.prAuc)} on the held-out line; with so few calibration defect boards, differences of this size are within the noise of the choice. ` +
    'Pads are scored one by one; aggregating them as independent (noisy-OR) overstates the risk when one cause (a clogged aperture, an offset print) drives many pads at once, which the Platt scaling corrects only on average.' +
    miss
  );
}

export const yieldPredictor: ModelEvaluation<YieldEvaluation> = {
  name: 'yield-predictor',
  version: '1.0.0',
  description:
    'Per production order at any point of its run: the expected final first-pass yield (no confirmed AOI call, first ICT and first FCT passed) with a 90 % interval.',
  dataset: YIELD_DATASET,
  featureModule: 'models/features/yield-features.ts',
  featuresVersion: YIELD_FEATURES_VERSION,
  featureNames: YIELD_FEATURE_NAMES,
  batchDimension: 'orders',
  outputs: [
    { name: 'yield', width: 1, description: 'Expected final first-pass yield of the order (0..1).' },
    { name: 'lower', width: 1, description: 'Lower end of the 90 % interval (0..1).' },
    { name: 'upper', width: 1, description: 'Upper end of the 90 % interval (0..1).' },
  ],
  trainer: 'models/yield-predictor/train.py',
  trainerArguments: ['--seed', '7'],
  tolerance: 1e-4,
  evaluate: (model, progress) => evaluateYieldPredictor(model, YIELD_DATASET, progress),
  targets(m) {
    return TARGET_SETS.flatMap((set) => {
      const s = m.sets[set];
      const label = setLabel(set, YIELD_DATASET);
      return [
        {
          target: `90 % interval covers 85-95 % of held-out orders (${label})`,
          met: s.adaptiveCoverage >= 0.85 && s.adaptiveCoverage <= 0.95,
          detail:
            `served (adaptive) interval: coverage ${pct(s.adaptiveCoverage)} over ${s.snapshots} snapshots of ${s.orders} orders, mean width ${f3(s.adaptiveMeanIntervalWidth)} ` +
            `(the model's static interval: ${pct(s.coverage)}, width ${f3(s.meanIntervalWidth)})`,
        },
        {
          target: `error beats the baseline (${label})`,
          met: s.mae < s.baselineMae,
          detail: `MAE ${f3(s.mae)} vs product historical mean ${f3(s.baselineMae)}`,
        },
      ];
    });
  },
  limitations(m) {
    const later = m.sets['test-later'];
    const line = m.sets['test-line'];
    const a = m.adaptiveInterval;
    const scope = a.scope === 'plant' ? 'one state for the whole plant' : 'one state per product';
    const start = Object.entries(a.initialStates)
      .map(([key, state]) => `${key === 'all' ? 'scale' : `${key} scale`} ${state.scale.toFixed(3)} after ${state.updates} orders`)
      .join(', ');
    return [
      SIMULATED,
      `The model's own interval is conformalized on earlier production and assumes later production behaves alike. It does not: in the simulated plant's last days, moisture-sensitive lots opened more than 168 h earlier cause head-in-pillow and opens on SN-ENV-300 and MD-PWR-200 (failures that never occurred in the training window, so the model cannot have learnt them), and the worn ICT fixture of GW-MB-100 fails about three times as often as early on. On that later production the model's interval covers ${pct(later.coverage)} of snapshots (held-out line ${pct(line.coverage)}), short of its nominal 90 %.`,
      `The interval served is therefore adapted online (adaptive conformal inference, Gibbs & Candès 2021, multiplicative-width variant; models/yield-predictor/adaptive-interval.ts): the model's half-widths are multiplied by a scale, and each completed order whose realised first-pass yield fell outside the interval it was last served widens it by exp(0.9 gamma), each one inside narrows it by exp(-0.1 gamma); ${scope}, gamma ${a.gamma}, target miscoverage ${a.alpha}. Scope and gamma were chosen by the interval score of a replay of the calibration period only (earlier production, ${a.calibration.orders} orders; scores above), never on held-out data. Serving starts from the state that replay ended in (${start}); the worker keeps the state in Redis and updates it on each WorkOrderCompleted. The held-out figures replay both held-out sets as one plant timeline in time order: each snapshot is served with the state built only from held-out orders completed before it (on top of the calibration-end state; held-out-line snapshots from before the end of calibration start from that state too, as if the line had come up under the deployed model).`,
      `The price of coverage is width: the served interval is ${f3(later.adaptiveMeanIntervalWidth)} wide on average on later production against ${f3(later.meanIntervalWidth)} for the model's own (held-out line ${f3(line.adaptiveMeanIntervalWidth)} against ${f3(line.meanIntervalWidth)}). It reacts to drift only after orders complete, so the first orders of a new failure mode are still under-covered, and a single plant-wide scale widens stable products too. The calibration orders were also in the model's final fit, so the calibration replay sees in-sample errors (its static interval covers more than 90 %) and starts serving from a scale that may be optimistic.`,
      'Early in an order few boards have finished test (test runs hours behind printing), so early predictions lean on the product and on SPI and AOI signals and carry wide intervals.',
      "Suppliers' history enters only through the lots in use (how many, how many suppliers, moisture-sensitive lots' time out of dry pack); per-supplier defect history is not a feature yet.",
      'Not a clean single look at the held-out sets: the recent-window and equipment features and the structured output were added after seeing the first version miss on later production, so these held-out figures are somewhat optimistic. The network size and weight decay were then chosen among four candidates by their out-of-fold error on earlier production (models/yield-predictor/train.py prints it). Likewise the adaptive interval was built after seeing the static interval miss, and while it was developed held-out coverage was computed for a few step sizes and both scopes; the rule that picks them (the calibration interval score) was not changed after, but the held-out figures of the adaptive interval are not a blind test. ' +
        yieldConfirmation(m),
    ];
  },
};

function yieldConfirmation(m: YieldEvaluation): string {
  const c = m.sets.confirmation;
  return (
    `${confirmationPlant(YIELD_DATASET, 'completed order')} (baseline and adaptive interval from the seed-${YIELD_DATASET.seed} plant, the interval replayed over the new plant's timeline from the calibration-end state): ` +
    `MAE ${f3(c.mae)} against the baseline's ${f3(c.baselineMae)} over ${c.snapshots} snapshots of ${c.orders} orders; ` +
    `the served interval covers ${pct(c.adaptiveCoverage)} (mean width ${f3(c.adaptiveMeanIntervalWidth)}), the model's own ${pct(c.coverage)} (width ${f3(c.meanIntervalWidth)}); ` +
    `${confirmationTargetsMet(yieldPredictor.targets(m))}.`
  );
}

const EVALUATIONS = { 'spi-defect-risk': spiDefectRisk, 'yield-predictor': yieldPredictor } as const;

/** A shipped model's evaluation, its figures typed loosely (card code only moves them around). */
export function evaluationOf(name: ModelName): ModelEvaluation<unknown> {
  return EVALUATIONS[name] as unknown as ModelEvaluation<unknown>;
}
