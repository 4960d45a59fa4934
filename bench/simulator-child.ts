import { parseArgs } from 'node:util';
import type { EdmEntitySet } from '../opcenter/model/edm';
import { ENTITY_SETS } from '../opcenter/model/entity-sets';
import { createPlant, type PlantScale } from '../opcenter/simulator';

/** Generates one plant in a fresh process and prints its time and memory as one JSON line. */
function main(): void {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, seed: { type: 'string', default: '42' } } });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const plant = createPlant({ seed: Number(values.seed), scale: values.scale as PlantScale, endTime: '2026-11-20T06:00:00Z' });
  const generationMs = Number(process.hrtime.bigint() - started) / 1e6;
  gc?.();
  const plantHeap = process.memoryUsage().heapUsed - before;
  let storedRows = 0;
  for (const set of ENTITY_SETS as readonly EdmEntitySet[]) if (!set.partitionedBy) storedRows += plant.rows(set.name).length;
  const withRowsMs = Number(process.hrtime.bigint() - started) / 1e6;
  gc?.();
  const withRowsHeap = process.memoryUsage().heapUsed - before;
  const stats = plant.stats();
  console.log(
    JSON.stringify({
      scale: values.scale,
      generationMs,
      withRowsMs,
      storedRows,
      plantHeapMiB: plantHeap / 2 ** 20,
      withRowsHeapMiB: withRowsHeap / 2 ** 20,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      stats,
    }),
  );
}

main();
