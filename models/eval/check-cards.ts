/**
 * `npm run models:eval [-- --model NAME]`: regenerates each model's held-out data, recomputes every
 * figure of its card from the committed ONNX file (Node and onnxruntime-node only) and exits 1 when
 * a figure, the file's sha256 or the model's inputs and outputs differ from the card.
 */
import { parseArgs } from 'node:util';
import { readModelCard, type ModelCard } from '../model-card';
import { MODEL_NAMES, modelFiles, sha256Of, type ModelName } from '../model-files';
import { OnnxModel } from '../onnx-model';
import { differingFigures } from './card-writer';
import { evaluationOf } from './model-evaluations';

/** What checking one card found. */
export interface CardCheck {
  readonly name: ModelName;
  readonly problems: readonly string[];
  readonly figures: number;
  readonly seconds: number;
}

function interfaceProblems(card: ModelCard, model: OnnxModel): string[] {
  const problems: string[] = [];
  const inputs = card.inputs.map((i) => i.name);
  const outputs = card.outputs.map((o) => o.name);
  if (JSON.stringify([model.inputName]) !== JSON.stringify(inputs)) problems.push(`inputs are [${model.inputName}], the card says [${inputs.join(', ')}]`);
  if (JSON.stringify(model.outputNames) !== JSON.stringify(outputs)) problems.push(`outputs are [${model.outputNames.join(', ')}], the card says [${outputs.join(', ')}]`);
  return problems;
}

/** Recomputes one card. */
export async function checkCard(name: ModelName, progress?: (message: string) => void): Promise<CardCheck> {
  const started = Date.now();
  const evaluation = evaluationOf(name);
  const files = modelFiles(name);
  const card = readModelCard(name);
  const problems: string[] = [];
  const sha = sha256Of(files.onnx);
  if (sha !== card.onnx.sha256) problems.push(`model.onnx has sha256 ${sha}, the card says ${card.onnx.sha256}`);
  if (card.version !== evaluation.version) problems.push(`the card is version ${card.version}, the code serves ${evaluation.version}`);
  if (card.features.version !== evaluation.featuresVersion) {
    problems.push(`the card was trained on features version ${card.features.version}, ${card.features.module} is at ${evaluation.featuresVersion}: retrain`);
  }
  const model = await OnnxModel.load(files.onnx);
  try {
    problems.push(...interfaceProblems(card, model));
    const metrics = await evaluation.evaluate(model, progress);
    const differences = differingFigures(card.metrics, metrics, card.tolerance);
    for (const d of differences) problems.push(`${d.path}: card ${d.card ?? 'missing'}, recomputed ${d.now ?? 'missing'}`);
    const figures = differingFigures(card.metrics, {}, Infinity).length;
    return { name, problems, figures, seconds: (Date.now() - started) / 1000 };
  } finally {
    await model.release();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' } } });
  const names = values.model === undefined ? MODEL_NAMES : MODEL_NAMES.filter((n) => n === values.model);
  if (names.length === 0) {
    console.error(`Unknown model '${values.model ?? ''}'. Models: ${MODEL_NAMES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  let failed = false;
  for (const name of names) {
    const check = await checkCard(name, (message) => console.log(`  ${message}`));
    if (check.problems.length === 0) {
      console.log(`${name}: ${check.figures} figures of card.json recomputed, all within ${readModelCard(name).tolerance} (${check.seconds.toFixed(0)} s)`);
    } else {
      failed = true;
      console.error(`${name}: ${check.problems.length} problem(s) with card.json:`);
      for (const problem of check.problems) console.error(`  - ${problem}`);
    }
  }
  if (failed) {
    console.error('A model card no longer matches its model. Retrain with `npm run models:train`, or find what changed the figures.');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
