/**
 * `npm run models:train [-- --model NAME] [--cards-only]`: the whole pipeline of a model, reproducible from its
 * seeds. Exports the training tables from the simulator through the shared feature modules, trains
 * with Debian's Python (`/usr/bin/python3`, python3-torch), writes `models/<name>/model.onnx`, then
 * measures it on the held-out sets and writes `card.json` and `README.md`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildModelCard } from '../eval/card-writer';
import { renderCardReadme } from '../eval/card-readme';
import { evaluationOf } from '../eval/model-evaluations';
import { readModelCard } from '../model-card';
import { MODEL_NAMES, MODELS_DIR, modelFiles, type ModelName } from '../model-files';
import { OnnxModel } from '../onnx-model';
import { exportSpiTables } from './export-spi-tables';
import { exportYieldTables } from './export-yield-tables';
import type { ExportSummary } from './spi-dataset';

const PYTHON = '/usr/bin/python3';
/** Share of defect-free pads kept in the SPI training tables (each weighted by its inverse). */
const SPI_NEGATIVE_RATE = 1 / 8;

function log(message: string): void {
  console.log(`[models:train ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function checkPython(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy, torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `Training needs ${PYTHON} with numpy and torch from Debian's packages: apt-get install python3-sklearn python3-onnx python3-torch\n${probe.stderr ?? probe.error?.message ?? ''}`,
    );
  }
}

/** Per column min and max of a raw float32 table. */
function columnRanges(path: string, width: number): [number, number][] {
  const buffer = readFileSync(path);
  const values = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
  const ranges: [number, number][] = Array.from({ length: width }, () => [Infinity, -Infinity]);
  for (let i = 0; i < values.length; i++) {
    const range = ranges[i % width] as [number, number];
    const v = values[i] as number;
    if (v < range[0]) range[0] = v;
    if (v > range[1]) range[1] = v;
  }
  return ranges.map(([lo, hi]) => [Number(lo.toPrecision(6)), Number(hi.toPrecision(6))]);
}

async function trainModel(name: ModelName): Promise<void> {
  const evaluation = evaluationOf(name);
  const dataDir = join(MODELS_DIR, '.data', name);
  const files = modelFiles(name);

  log(`${name}: exporting training tables (${evaluation.dataset.scale} plant, seed ${evaluation.dataset.seed}) to ${dataDir}`);
  const summary: ExportSummary =
    name === 'spi-defect-risk'
      ? exportSpiTables(evaluation.dataset, dataDir, {
          negativeRate: SPI_NEGATIVE_RATE,
          progress: (boards, rows) => {
            if (boards % 2000 === 0) log(`${name}: ${boards} boards, ${rows} rows`);
          },
        })
      : exportYieldTables(evaluation.dataset, dataDir);
  log(`${name}: rows ${JSON.stringify(summary.rows)}`);

  log(`${name}: training with ${evaluation.trainer}`);
  const trained = spawnSync(PYTHON, [join(MODELS_DIR, '..', evaluation.trainer), '--data', dataDir, '--out', files.onnx, ...evaluation.trainerArguments], {
    stdio: 'inherit',
  });
  if (trained.status !== 0) throw new Error(`${evaluation.trainer} failed (exit ${trained.status ?? trained.signal ?? 'unknown'})`);

  log(`${name}: measuring on the held-out sets`);
  const model = await OnnxModel.load(files.onnx);
  try {
    const metrics = await evaluation.evaluate(model, log);
    const card = buildModelCard(evaluation, metrics, {
      onnxPath: files.onnx,
      rows: summary.rows,
      ranges: columnRanges(join(dataDir, 'train.features.f32'), evaluation.featureNames.length),
      window: summary.window,
      lines: summary.lines,
    });
    writeFileSync(files.card, `${JSON.stringify(card, null, 2)}\n`);
    writeFileSync(files.readme, renderCardReadme(card));
    for (const target of card.targets) log(`${name}: ${target.met ? 'met    ' : 'NOT MET'} ${target.target}: ${target.detail}`);
    log(`${name}: wrote ${files.onnx}, ${files.card} and ${files.readme}`);
  } finally {
    await model.release();
  }
}

/**
 * Rewrites card.json and README.md from the figures already in card.json (after a change to the
 * card's texts, targets or layout): no training, no evaluation; `models:eval` still checks them.
 */
function rewriteCard(name: ModelName): void {
  const files = modelFiles(name);
  const card = readModelCard(name);
  const rewritten = buildModelCard(evaluationOf(name), card.metrics, {
    onnxPath: files.onnx,
    rows: card.training.rows,
    ranges: (card.inputs[0]?.columns ?? []).map((c) => c.range),
    window: { start: Date.parse(card.training.history.from), end: Date.parse(card.training.history.to) },
    lines: card.training.lines,
  });
  writeFileSync(files.card, `${JSON.stringify(rewritten, null, 2)}\n`);
  writeFileSync(files.readme, renderCardReadme(rewritten));
  log(`${name}: rewrote ${files.card} and ${files.readme} from its figures`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, 'cards-only': { type: 'boolean', default: false } } });
  const names = values.model === undefined ? MODEL_NAMES : MODEL_NAMES.filter((n) => n === values.model);
  if (names.length === 0) throw new Error(`Unknown model '${values.model ?? ''}'. Models: ${MODEL_NAMES.join(', ')}`);
  if (values['cards-only']) {
    for (const name of names) rewriteCard(name);
    return;
  }
  checkPython();
  for (const name of names) await trainModel(name);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
