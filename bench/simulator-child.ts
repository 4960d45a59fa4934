import { parseArgs } from 'node:util';
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
  const retainedHeap = process.memoryUsage().heapUsed - before;
  const stats = plant.stats();
  console.log(
    JSON.stringify({
      scale: values.scale,
      generationMs,
      retainedHeapMiB: retainedHeap / 2 ** 20,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      stats,
    }),
  );
}

main();
