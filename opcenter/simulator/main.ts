/**
 * CLI: builds a plant, prints its size, build time and heap, and optionally writes its ground
 * truth as JSON lines.
 *
 *   node dist/opcenter/simulator/main.js --seed 42 --scale small [--end-time ISO] [--ground-truth out.jsonl]
 *
 * Run with `node --expose-gc` for heap figures after garbage collection.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { ENTITY_SETS } from '../model/entity-sets';
import { createPlant, GENERATED_SETS, type PlantScale } from './plant';

const SCALES: readonly PlantScale[] = ['small', 'medium', 'large'];

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '42' },
      scale: { type: 'string', default: 'small' },
      'end-time': { type: 'string' },
      'ground-truth': { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const scale = values.scale as PlantScale;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  if (!SCALES.includes(scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);

  const heapBefore = heapMb();
  const t0 = performance.now();
  const plant = createPlant({ seed, scale, endTime: values['end-time'] });
  const built = performance.now() - t0;
  const heapPlant = heapMb();
  let storedRows = 0;
  for (const set of ENTITY_SETS) if (!(GENERATED_SETS as readonly string[]).includes(set.name)) storedRows += plant.rows(set.name).length;
  const materialized = performance.now() - t0;
  const heapRows = heapMb();

  const report = {
    seed,
    scale,
    ...plant.stats(),
    storedRows,
    buildSeconds: Math.round(built) / 1000,
    buildWithRowsSeconds: Math.round(materialized) / 1000,
    heapPlantMb: Math.round((heapPlant - heapBefore) * 10) / 10,
    heapWithRowsMb: Math.round((heapRows - heapBefore) * 10) / 10,
  };
  for (const [key, value] of Object.entries(report)) console.log(`${key.padEnd(22)} ${value}`);

  const path = values['ground-truth'];
  if (path) {
    const out = createWriteStream(path);
    let boards = 0;
    for (const truth of plant.allGroundTruth()) {
      if (!out.write(`${JSON.stringify(truth)}\n`)) await once(out, 'drain');
      boards++;
    }
    out.end();
    await once(out, 'finish');
    console.log(`${'groundTruth'.padEnd(22)} ${boards} boards -> ${path}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
