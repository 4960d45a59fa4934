import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import type { Benchmark } from './bench.types';
import { emulatorBenchmark } from './emulator.bench';
import { gatewayBenchmark } from './gateway.bench';
import { gatewayOverheadBenchmark } from './gateway-overhead.bench';
import { modelsBenchmark } from './models.bench';
import { formatTable } from './print-table';
import { scoringBenchmark } from './scoring.bench';
import { simulatorBenchmark } from './simulator.bench';

const BENCHMARKS: readonly Benchmark[] = [simulatorBenchmark, emulatorBenchmark, gatewayBenchmark, gatewayOverheadBenchmark, modelsBenchmark, scoringBenchmark];

/** `npm run bench [-- NAME...]`: runs benchmarks, prints a table each and writes bench/results/NAME.json. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Available: ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  const outDir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) };
  for (const benchmark of selected) {
    console.log(`\n## ${benchmark.name}: ${benchmark.description}`);
    const started = Date.now();
    const result = await benchmark.run((line) => console.log(`  ${line}`));
    console.log(`\n${formatTable(result.rows)}`);
    for (const note of result.notes ?? []) console.log(`note: ${note}`);
    const file = join(outDir, `${benchmark.name}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ benchmark: benchmark.name, at: new Date().toISOString(), durationMs: Date.now() - started, machine, ...result }, null, 2)}\n`,
    );
    console.log(`wrote ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
