import { join } from 'node:path';
import type { Benchmark, BenchRow } from './bench.types';
import { runNode } from './child-process';

const SCALES = ['small', 'medium', 'large'] as const;

/** Generation time and memory of the simulated plant per scale, each in a fresh process. */
export const simulatorBenchmark: Benchmark = {
  name: 'simulator',
  description: 'plant generation time and memory per scale (seed 42), one fresh process each',
  async run(log) {
    const rows: BenchRow[] = [];
    for (const scale of SCALES) {
      log(`generating ${scale}…`);
      const out = await runNode(join(__dirname, 'simulator-child.js'), ['--scale', scale], ['--expose-gc', '--max-old-space-size=4096']);
      const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
        generationMs: number;
        withRowsMs: number;
        storedRows: number;
        plantHeapMiB: number;
        withRowsHeapMiB: number;
        peakRssMiB: number;
        stats: Record<string, number>;
      };
      rows.push({
        scale,
        boards: result.stats.boards ?? 0,
        'genealogy edges': result.stats.consumptionRows ?? 0,
        orders: result.stats.orders ?? 0,
        'pads (on demand)': result.stats.padMeasurements ?? 0,
        'stored rows': result.storedRows,
        'plant s': result.generationMs / 1000,
        '+ rows s': result.withRowsMs / 1000,
        'heap MiB': result.withRowsHeapMiB,
        'peak RSS MiB': result.peakRssMiB,
      });
    }
    return {
      rows,
      notes: [
        "'plant s': the plant's compact per-board context; '+ rows s': also every stored entity set's rows, as the emulator loads them",
        'heap after GC with every stored row; peak RSS includes the Node runtime (~40 MiB); per-pad SPI, AOI components, test steps and placements are generated on demand',
      ],
    };
  },
};
