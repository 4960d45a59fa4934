import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { requestDevToken } from '../opcenter/emulator/dev-token';
import type { Benchmark, BenchRow } from './bench.types';
import { childEnv } from './config';
import { runLoad } from './load';

const PORT = 4199;
const CONCURRENCY = 50;
const DURATION_MS = 10_000;

/** Requests per second and latency of three typical reads on the large plant, 50 concurrent. */
export const emulatorBenchmark: Benchmark = {
  name: 'emulator',
  description: `three typical reads on the large plant (seed 42), ${CONCURRENCY} concurrent, ${DURATION_MS / 1000} s each`,
  async run(log) {
    log('starting the emulator on the large plant (generation takes a while)…');
    const child = spawn(process.execPath, [join(__dirname, '..', 'opcenter', 'emulator', 'main.js')], {
      env: childEnv({ EMULATOR_PORT: String(PORT), SIM_SCALE: 'large', SIM_RATE: '0', SIM_SEED: '42', SIM_END_TIME: '2026-11-20T06:00:00Z' }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().trim().split('\n')) if (line.includes('plant seed')) log(line);
    });
    const base = `http://127.0.0.1:${PORT}`;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`the emulator exited (code ${code}) before the benchmark ended`))),
    );
    exited.catch(() => undefined);
    try {
      await Promise.race([waitFor(`${base}/emulator/health`, 600_000), exited]);
      const token = await requestDevToken(base);
      const headers = { authorization: `Bearer ${token}` };
      const odata = (app: string) => `${base}/sit-svc/Application/${app}/odata`;
      const sample = async (url: string, field: string) =>
        ((await (await fetch(url, { headers })).json()) as { value: Record<string, string>[] }).value.map((r) => r[field] as string);

      const orders = await sample(`${odata('AppU4DM')}/WorkOrder?$select=NId&$filter=Status eq 'Completed'&$top=500`, 'NId');
      const serials = await sample(`${odata('AppU4DM')}/MaterialTrackingUnit?$select=NId&$filter=UnitType eq 'Board'&$top=1000`, 'NId');
      const lots = await sample(`${odata('Material')}/MaterialLot?$select=NId&$top=1000`, 'NId');
      log(`sampled ${orders.length} orders, ${serials.length} boards, ${lots.length} lots`);
      const pick = (list: string[], i: number) => encodeURIComponent(`'${list[(i * 7919) % list.length] ?? ''}'`);

      const reads: Array<{ read: string; url: (i: number) => string }> = [
        {
          read: "an order's boards with $expand",
          url: (i) =>
            `${odata('AppU4DM')}/MaterialTrackingUnit?$filter=WorkOrder/NId eq ${pick(orders, i)}&$select=NId,Status,CompletedOn&$expand=WorkOrder($select=NId,Status),SpiInspections($select=Result,FailedPadCount)&$top=100&$count=true`,
        },
        {
          read: "one board's SPI pads",
          url: (i) => `${odata('Quality')}/SpiPadMeasurement?$filter=SerialNumber eq ${pick(serials, i)}`,
        },
        {
          read: "a lot's consumption records",
          url: (i) => `${odata('Genealogy')}/MaterialConsumption?$filter=MaterialLotNId eq ${pick(lots, i)}&$top=200&$count=true`,
        },
      ];
      const rows: BenchRow[] = [];
      for (const { read, url } of reads) {
        await runLoad({ concurrency: CONCURRENCY, durationMs: 1500, nextUrl: url, headers });
        const result = await runLoad({ concurrency: CONCURRENCY, durationMs: DURATION_MS, nextUrl: url, headers });
        log(`${read}: ${result.rps.toFixed(0)} req/s${result.errors ? `, failed by status ${JSON.stringify(result.statuses)}` : ''}`);
        rows.push({
          read,
          'req/s': result.rps,
          'p50 ms': result.p50Ms,
          'p99 ms': result.p99Ms,
          'KiB/resp': result.meanBytes / 1024,
          requests: result.requests,
          errors: result.errors,
        });
      }
      const health = (await (await fetch(`${base}/emulator/health`)).json()) as { memoryMiB: { rss: number; heapUsed: number } };
      log(`emulator memory after the runs: RSS ${health.memoryMiB.rss} MiB, heap ${health.memoryMiB.heapUsed} MiB`);
      return {
        memoryMiB: health.memoryMiB,
        rows,
        notes: ['load generator and emulator share the machine (2 cores here): figures are lower bounds for a dedicated host'],
      };
    } finally {
      child.kill('SIGTERM');
    }
  },
};

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
