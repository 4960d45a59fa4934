/**
 * `node dist/models/eval/refresh-card.js --model NAME`: re-measures a model without retraining it
 * (Node only) and rewrites its card.json and README.md with the new figures, keeping the training
 * facts (rows, ranges, history, lines) the card already states. For a change in how a model is
 * measured or served around the same ONNX file; `models:eval` then checks the card as usual.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readModelCard } from '../model-card';
import { MODEL_NAMES, modelFiles, type ModelName } from '../model-files';
import { OnnxModel } from '../onnx-model';
import { renderCardReadme } from './card-readme';
import { buildModelCard } from './card-writer';
import { evaluationOf } from './model-evaluations';

async function refreshCard(name: ModelName): Promise<void> {
  const files = modelFiles(name);
  const card = readModelCard(name);
  const evaluation = evaluationOf(name);
  const model = await OnnxModel.load(files.onnx);
  try {
    const metrics = await evaluation.evaluate(model, (message) => console.log(`  ${message}`));
    const refreshed = buildModelCard(evaluation, metrics, {
      onnxPath: files.onnx,
      rows: card.training.rows,
      ranges: (card.inputs[0]?.columns ?? []).map((c) => c.range),
      window: { start: Date.parse(card.training.history.from), end: Date.parse(card.training.history.to) },
      lines: card.training.lines,
    });
    writeFileSync(files.card, `${JSON.stringify(refreshed, null, 2)}\n`);
    writeFileSync(files.readme, renderCardReadme(refreshed));
    for (const target of refreshed.targets) console.log(`${name}: ${target.met ? 'met    ' : 'NOT MET'} ${target.target}: ${target.detail}`);
  } finally {
    await model.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' } } });
  const name = MODEL_NAMES.find((n) => n === values.model);
  if (name === undefined) {
    console.error(`Pass --model, one of: ${MODEL_NAMES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  await refreshCard(name);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
