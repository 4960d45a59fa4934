import type { ModelCard } from '../model-card';
import { CHOICE_TIE, describeBoardAggregation } from './board-score-choice';
import type { ClassifierMetrics } from './classifier-metrics';
import type { SpiEvaluation } from './spi-evaluation';
import type { YieldEvaluation } from './yield-evaluation';

const n3 = (x: number): string => x.toFixed(3);
const n4 = (x: number): string => (x !== 0 && Math.abs(x) < 0.001 ? x.toPrecision(2) : x.toFixed(4));
const int = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function classifierRows(model: ClassifierMetrics, rule: ClassifierMetrics, before?: ClassifierMetrics): string[] {
  const columns = before === undefined ? [model, rule] : [model, before, rule];
  const row = (label: string, f: (m: ClassifierMetrics) => string): string => `| ${label} | ${columns.map(f).join(' | ')} |`;
  return [
    before === undefined ? '| | model | SPI rule |' : '| | model (served score) | model, plain noisy-OR (before) | SPI rule |',
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    row('PR-AUC', (m) => n3(m.prAuc)),
    row('ROC-AUC', (m) => n3(m.rocAuc)),
    row('threshold', (m) => (m === rule ? 'Fail' : m.threshold.toPrecision(3))),
    row('precision', (m) => n3(m.precision)),
    row('recall', (m) => n3(m.recall)),
    row('F1', (m) => n3(m.f1)),
    row('Brier score', (m) => n4(m.brier)),
    row('expected calibration error', (m) => n4(m.ece)),
    row('confusion (TP / FP / TN / FN)', (m) => `${int(m.confusion.tp)} / ${int(m.confusion.fp)} / ${int(m.confusion.tn)} / ${int(m.confusion.fn)}`),
  ];
}

function boardScoreChoice(m: SpiEvaluation): string[] {
  const b = m.boardScore;
  const calibration = b.model.calibration;
  return [
    `Board score served: ${describeBoardAggregation(b.model.aggregation)} (\`${b.method}\`), then ` +
      (calibration.kind === 'platt' ? `Platt scaling, sigmoid(${calibration.slope.toFixed(4)} logit(s) + ${calibration.intercept.toFixed(4)})` : 'no calibration') +
      `; models/spi-defect-risk/board-score.ts applies it from \`metrics.boardScore.model\`. Chosen by out-of-fold board PR-AUC on the calibration window ` +
      `(${int(b.calibrationBoards)} boards, ${int(b.calibrationDefectBoards)} with a defect; ${b.folds} blocks of consecutive boards, fitted candidates refitted without the block they score; ` +
      `within ${CHOICE_TIE} of the best counts as a tie, won by the simpler). The Platt scaling is fitted on the chosen candidate's out-of-fold scores. No held-out figure enters the choice.`,
    '',
    '| candidate (simplest first) | calibration PR-AUC (out of fold) |',
    '| --- | --- |',
    ...Object.entries(b.candidates).map(([name, v]) => `| ${name === b.method ? `**${name}** (chosen)` : name} | ${n3(v)} |`),
    '',
  ];
}

/** The heading of a metrics set. */
function setTitle(set: string, card: ModelCard): string {
  if (set === 'test-later') return 'Later production (test-later)';
  if (set === 'test-line') return 'Held-out line (test-line)';
  if (set === 'confirmation') return `Confirmation plant, seed ${card.training.confirmationSeed} (confirmation)`;
  return set;
}

/** What the confirmation set is and how blind it is. */
function confirmationNote(card: ModelCard, items: string, choices: string): string {
  return (
    `\`confirmation\` is every ${items} of a second ${card.training.scale} plant, seed ${card.training.confirmationSeed} (same end time and product mix, every line, its whole history), ` +
    `measured with ${choices} of the seed-${card.training.seed} plant; nothing was ever trained, calibrated or chosen on it, and it was computed once, after every choice had been frozen: the one blind test of this card.`
  );
}

function spiMetrics(m: SpiEvaluation, card: ModelCard): string[] {
  const lines: string[] = [
    `Operating thresholds (best F1 on the calibration window): per pad ${m.thresholds.pad.toPrecision(3)}, per board ${m.thresholds.board.toPrecision(3)} ` +
      `(plain noisy-OR, the first card's board score: ${m.thresholds.boardNoisyOr.toPrecision(3)}). Serving calls a board HIGH at the board threshold and MEDIUM at a third of it.`,
    '',
    ...boardScoreChoice(m),
    confirmationNote(card, 'SPI-inspected board', 'the thresholds and board score'),
    '',
  ];
  for (const [set, s] of Object.entries(m.sets)) {
    lines.push(
      `### ${setTitle(set, card)}`,
      '',
      `${int(s.boards)} boards, ${int(s.pads)} pads; ${int(s.defectPads)} pads and ${int(s.defectBoards)} boards with a solder-joint defect. ` +
        `Per-class PR-AUC: bridging ${n3(s.classPrAuc.bridging)}, insufficient solder ${n3(s.classPrAuc.insufficient_solder)}, open ${n3(s.classPrAuc.open)}.`,
      '',
      '**Per board** (any solder-joint defect on the board):',
      '',
      ...classifierRows(s.board.model, s.board.spiRule, s.board.noisyOr),
      '',
      '**Per pad** (a defect that started at the pad):',
      '',
      ...classifierRows(s.pad.model, s.pad.spiRule),
      '',
    );
  }
  return lines;
}

function adaptiveChoice(a: YieldEvaluation['adaptiveInterval']): string[] {
  const scopes = Object.keys(a.calibrationIntervalScore) as (keyof typeof a.calibrationIntervalScore)[];
  const gammas = Object.keys(a.calibrationIntervalScore[scopes[0] ?? 'plant'] ?? {}).sort((x, y) => Number(x) - Number(y));
  return [
    `Served interval: adaptive conformal inference on the model's interval (scope ${a.scope}, gamma ${a.gamma}, target miscoverage ${a.alpha}), ` +
      `chosen by the mean interval score of a replay of the calibration period (${a.calibration.orders} orders, ${a.calibration.snapshots} snapshots; ` +
      `the chosen replay covers ${pct(a.calibration.coverage)} there, mean width ${n3(a.calibration.meanIntervalWidth)}). The choice reads the calibration period only (see the limitations for how blind the held-out figures are).`,
    '',
    `| scope / gamma | ${gammas.join(' | ')} |`,
    `| --- | ${gammas.map(() => '---').join(' | ')} |`,
    ...scopes.map((scope) => `| ${scope} | ${gammas.map((g) => n4(a.calibrationIntervalScore[scope]?.[g] ?? NaN)).join(' | ')} |`),
    '',
  ];
}

function yieldMetrics(m: YieldEvaluation, card: ModelCard): string[] {
  const sets = Object.entries(m.sets);
  return [
    `Baseline: each product's mean first-pass yield over the training orders (${Object.entries(m.baseline)
      .map(([p, v]) => `${p} ${pct(v)}`)
      .join(', ')}).`,
    '',
    confirmationNote(
      card,
      'completed order',
      "the baseline and the adaptive interval's scope, step size and calibration-end state (replayed over the new plant's timeline from that state)",
    ),
    '',
    `| | ${sets.map(([set]) => set).join(' | ')} |`,
    `| --- | ${sets.map(() => '---').join(' | ')} |`,
    `| orders / snapshots | ${sets.map(([, s]) => `${s.orders} / ${s.snapshots}`).join(' | ')} |`,
    `| MAE, model | ${sets.map(([, s]) => n4(s.mae)).join(' | ')} |`,
    `| MAE, baseline | ${sets.map(([, s]) => n4(s.baselineMae)).join(' | ')} |`,
    `| 90 % interval coverage, served (adaptive) | ${sets.map(([, s]) => pct(s.adaptiveCoverage)).join(' | ')} |`,
    `| mean interval width, served (adaptive) | ${sets.map(([, s]) => n3(s.adaptiveMeanIntervalWidth)).join(' | ')} |`,
    `| 90 % interval coverage, model's own (static) | ${sets.map(([, s]) => pct(s.coverage)).join(' | ')} |`,
    `| mean interval width, model's own (static) | ${sets.map(([, s]) => n3(s.meanIntervalWidth)).join(' | ')} |`,
    ...Object.keys(sets[0]?.[1].maeByCheckpoint ?? {}).map(
      (cp) => `| MAE at ${Number(cp) * 100} % started | ${sets.map(([, s]) => n4(s.maeByCheckpoint[cp] ?? NaN)).join(' | ')} |`,
    ),
    '',
    ...adaptiveChoice(m.adaptiveInterval),
  ];
}

/** The card as the model's README.md. */
export function renderCardReadme(card: ModelCard): string {
  const input = card.inputs[0];
  return [
    `# ${card.name} ${card.version}`,
    '',
    '<!-- Written by `npm run models:train` from card.json; `npm run models:eval` checks both. -->',
    '',
    card.description,
    '',
    `**Trained and measured on simulated data** (seed ${card.training.seed}, ${card.training.scale} plant, ${card.training.history.from} to ${card.training.history.to}, lines ${card.training.lines.join(', ')}; ` +
      `blind confirmation on a second plant, seed ${card.training.confirmationSeed}).`,
    '',
    '## Files',
    '',
    `- \`model.onnx\`: opset ${card.onnx.opset}, ${int(card.onnx.bytes)} bytes, sha256 \`${card.onnx.sha256}\``,
    `- \`card.json\`: this card as data; features from \`${card.features.module}\` (version ${card.features.version})`,
    '',
    '## Inputs',
    '',
    `\`${input?.name ?? 'features'}\`: float32 [${input?.shape.join(', ') ?? ''}]. ${input?.description ?? ''}`,
    '',
    '| column | unit | range in training |',
    '| --- | --- | --- |',
    ...(input?.columns ?? []).map((c) => `| \`${c.name}\` | ${c.unit} | ${c.range[0]} .. ${c.range[1]} |`),
    '',
    '## Outputs',
    '',
    ...card.outputs.map((o) => `- \`${o.name}\`: float32 [${o.shape.join(', ')}]. ${o.description}`),
    '',
    '## Training data',
    '',
    `Split ${card.training.split}. Rows: ${Object.entries(card.training.rows)
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(', ')}. Trainer: \`${card.training.trainer} ${card.training.trainerArguments.join(' ')}\`.`,
    '',
    '## Metrics on held-out data and the confirmation plant',
    '',
    ...(card.name === 'spi-defect-risk' ? spiMetrics(card.metrics as SpiEvaluation, card) : yieldMetrics(card.metrics as YieldEvaluation, card)),
    '## Targets',
    '',
    '| target | met | figures |',
    '| --- | --- | --- |',
    ...card.targets.map((t) => `| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.detail} |`),
    '',
    '## Limitations',
    '',
    ...card.limitations.map((l) => `- ${l}`),
    '',
    '## Reproduce and check',
    '',
    '```sh',
    `npm run models:train -- --model ${card.name}   # needs /usr/bin/python3 with python3-torch (Debian)`,
    'npm run models:eval                              # Node only: recomputes every figure above',
    '```',
    '',
    `\`models:eval\` fails when a figure differs from card.json by more than ${card.tolerance}.`,
    '',
  ].join('\n');
}
