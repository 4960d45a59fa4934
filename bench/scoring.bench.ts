import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { issueDevToken } from '../auth';
import { loadInsightsConfig } from '../insights/config';
import { AuditOutbox } from '../insights/audit-outbox';
import { InsightStore } from '../insights/insight-store';
import type { Insight } from '../insights/insight';
import type { ScoringJob } from '../insights/jobs';
import { closeRedis, createRedis, deleteKeysUnder } from '../insights/redis';
import { ScoringQueues } from '../insights/scoring-queue';
import { computeSpiFeatures, SPI_FEATURE_COUNT } from '../models/features/spi-features';
import { packSpiEventMeasurements, type SpiMeasurementsPayload } from '../models/features/spi-measurements';
import type { SpiInspectionRow, SpiPadMeasurementRow } from '../opcenter/model/entity-sets';
import { spiEventMeasurements } from '../opcenter/simulator/spi-pad-rows';
import { modelFiles } from '../models/model-files';
import { readModelCard } from '../models/model-card';
import { OnnxModel } from '../models/onnx-model';
import { SimulatorSource } from '../models/training/simulator-source';
import { createOpcenterClient, type Row } from '../opcenter/client';
import { DEV_CREDENTIALS } from '../opcenter/emulator/config';
import { createPlant } from '../opcenter/simulator';
import { freePorts } from '../scripts/free-ports';
import { ProcessSupervisor, type ProcessSpec } from '../scripts/process-supervisor';
import type { Benchmark, BenchRow } from './bench.types';
import { quantile, timeOnnxBatches } from './onnx-batch-timing';
import { CpuMeter, localRedisPid } from './process-cpu';

const DIST = join(__dirname, '..');
const SUBGRAPHS = ['execution', 'quality', 'test', 'genealogy'] as const;
/** The fixed end of the plant's history (as test-stack), so the emulator and this process see the same boards. */
const END_TIME = '2026-11-20T06:00:00Z';
/** The Redis of the insights layer (REDIS_URL, as the workers read it). */
const REDIS_URL = loadInsightsConfig().redisUrl;

const RAW_BATCHES = [1_024, 16_384, 65_536] as const;
const RAW_MAX_BATCH = 65_536;
/** Wall time of one raw (batch) cell, warm-up included. */
const RAW_CELL_MS = 1_500;
const RAW_REPETITION_MS = 50;
const RAW_MIN_REPETITIONS = 5;

/** Boards of at least this many pads count as large (GW-MB-100: 1,094 pads; the small plant has none larger). */
const LARGE_BOARD_PADS = 1_000;
const THROUGHPUT_BOARDS = 400;
const WARMUP_BOARDS = 16;
/**
 * Smaller boards (< LARGE_BOARD_PADS, used by no run) each worker set scores before it is measured,
 * beside the WARMUP_BOARDS large ones: a worker runs for days, so its code should be warm (JIT) when
 * measured. 400 is what a worker needs to reach its steady CPU per board on this machine.
 */
const WARMUP_SMALL_BOARDS = 400;
const PACED_RATE = 20;
const PACED_SECONDS = 15;
/**
 * Boards of one GW-MB-100 panel (the product's panel size): its print has 2 × 1,094 pads. The issue's
 * p99 target is for prints of 2,000 pads; the simulated plant's largest board has 1,094, so its
 * panels, both boards' jobs sent at once, stand in for one 2,000-pad board.
 */
const PANEL_BOARDS = 2;
/** Boards of the GraphQL query (c): the first boards of completed orders, as many orders as it takes. */
const GRAPHQL_BOARDS = 200;
const GRAPHQL_BUDGET_MS = 60_000;

const TARGET_RATIO = 0.7;
const TARGET_P99_MS = 100;
/** Longest wait for a queue run's insights before the run is reported as incomplete. */
const RUN_TIMEOUT_MS = 90_000;

/** One SPI-inspected board of the small plant. */
interface Board {
  readonly serial: string;
  readonly pads: number;
  readonly inspection: Row;
}

/** One queue run's figures. */
interface QueueRun {
  readonly label: string;
  readonly workers: number;
  readonly boards: number;
  readonly pads: number;
  readonly stored: number;
  readonly ready: number;
  readonly wallMs: number;
  readonly boardsPerSecond: number;
  readonly padsPerSecond: number;
  /** Enqueue to the insight's `computedAt` (set right before the worker stores it). */
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Enqueue to the bench seeing the stored insight (polled), an upper bound by the poll interval. */
  readonly observedLatencyMs: { p50: number; p99: number; max: number };
  readonly pollIntervalMs: number;
  readonly offeredBoardsPerSecond?: number;
  /** Boards whose jobs a paced run sends together (the boards of one panel print). */
  readonly boardsPerSend?: number;
  /** spi-defect-risk model runs of the workers during the run (their /metrics), and rows per run. */
  readonly inference?: { batches: number; rows: number; rowsPerBatch: number };
  /**
   * CPU milliseconds per board, from the first enqueue until the audit trail has caught up (every
   * inference's entry written to Opcenter): the worker processes (all threads), Redis, the emulator,
   * and this process (producer and poller).
   */
  readonly cpuMsPerBoard?: {
    workers: number;
    /** Of `workers`, their main threads (event loops); the rest is mostly the inference threads. */
    workersMain: number | null;
    redis: number | null;
    emulator: number;
    /** Of `emulator`, its main thread. */
    emulatorMain: number | null;
    bench: number;
    total: number;
  };
  /** When the last audit entry of the run was written, ms after the last insight was stored. */
  readonly auditLagMs?: number;
}

interface RawCell {
  readonly batch: number;
  readonly padsPerSecond: number;
  readonly p50MsPerBatch: number;
  readonly calls: number;
}

/** Everything started, stopped in reverse order whatever happens. */
class Cleanup {
  private readonly steps: { label: string; run: () => Promise<void> }[] = [];
  add(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }
  /** Runs the step registered under `label` now (and not again at the end). */
  async runNow(label: string): Promise<void> {
    const index = this.steps.findIndex((s) => s.label === label);
    if (index < 0) return;
    const [step] = this.steps.splice(index, 1);
    await step?.run();
  }
  async runAll(log: (line: string) => void): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      if (!step) break;
      try {
        await step.run();
      } catch (error) {
        log(`cleanup ${step.label} failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Processes started under one supervisor, with their output kept (last lines) for diagnosis. */
interface Started {
  readonly supervisor: ProcessSupervisor;
  readonly logs: string[];
  readonly exited: string[];
}

async function startProcesses(specs: ProcessSpec[], cleanup: Cleanup, label: string, timeoutMs = 90_000): Promise<Started> {
  const logs: string[] = [];
  const exited: string[] = [];
  const supervisor = new ProcessSupervisor(
    specs,
    (name, code) => exited.push(`${name} (${code})`),
    (line) => {
      logs.push(line);
      if (logs.length > 400) logs.splice(0, logs.length - 200);
    },
  );
  supervisor.start();
  cleanup.add(label, () => supervisor.stop());
  try {
    await supervisor.waitUntilHealthy(timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${logs.slice(-30).join('\n')}`);
  }
  if (exited.length > 0) throw new Error(`${exited.join(', ')} exited while starting\n${logs.slice(-30).join('\n')}`);
  return { supervisor, logs, exited };
}

/**
 * Scoring of `spi-defect-risk` end to end against the model's raw limit on this machine: raw ONNX
 * throughput, the same pads through the BullMQ queue and worker processes (throughput, latency at a
 * paced rate), and a GraphQL query that waits for 200 boards' scores through the gateway.
 */
export const scoringBenchmark: Benchmark = {
  name: 'scoring',
  description: `spi-defect-risk: raw ONNX (CPU, 1 thread) vs the queue with 1 and 2 worker processes (${THROUGHPUT_BOARDS} boards of ≥ ${LARGE_BOARD_PADS.toLocaleString('en-US')} pads), ${PACED_RATE} boards/s and ${PACED_RATE} prints of ${PANEL_BOARDS}-board panels/s for ${PACED_SECONDS} s each, and a GraphQL query of ${GRAPHQL_BOARDS} unscored boards`,
  async run(log) {
    const onnx = modelFiles('spi-defect-risk').onnx;
    if (!existsSync(onnx)) throw new Error(`${onnx} is missing: run \`npm run models:train\` first`);
    if (!existsSync(join(DIST, 'workers/main.js'))) throw new Error('dist/ is missing: `npm run bench` builds it first');
    const modelVersion = readModelCard('spi-defect-risk').version;
    const runId = randomBytes(4).toString('hex');
    const prefixes: string[] = [];
    const newPrefix = (run: string) => {
      const prefix = `bench-scoring-${runId}-${run}`;
      prefixes.push(prefix);
      return prefix;
    };

    const cleanup = new Cleanup();
    const onSignal = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping everything started…`);
      void cleanup.runAll(log).finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      log('generating the small plant (seed 42) and picking boards…');
      const plant = createPlant({ seed: 42, scale: 'small', endTime: END_TIME });
      const source = new SimulatorSource(plant);
      const seen = new Set<string>();
      const boards: Board[] = [];
      for (const row of plant.rows('SpiInspection')) {
        const serial = String(row.SerialNumber);
        if (seen.has(serial)) continue;
        seen.add(serial);
        boards.push({ serial, pads: Number(row.PadCount), inspection: row });
      }
      const large = boards.filter((b) => b.pads >= LARGE_BOARD_PADS);
      const pacedCount = PACED_RATE * PACED_SECONDS;
      const panelCount = PACED_RATE * PACED_SECONDS * PANEL_BOARDS;
      if (large.length < THROUGHPUT_BOARDS + WARMUP_BOARDS + pacedCount || large.length < WARMUP_BOARDS + panelCount) {
        throw new Error(`The small plant has ${large.length} boards of ≥ ${LARGE_BOARD_PADS} pads; the benchmark needs ${Math.max(THROUGHPUT_BOARDS + WARMUP_BOARDS + pacedCount, WARMUP_BOARDS + panelCount)}`);
      }
      const throughputBoards = large.slice(0, THROUGHPUT_BOARDS);
      const warmupBoards = [
        ...boards.filter((b) => b.pads < LARGE_BOARD_PADS).slice(0, WARMUP_SMALL_BOARDS),
        ...large.slice(THROUGHPUT_BOARDS, THROUGHPUT_BOARDS + WARMUP_BOARDS),
      ];
      const pacedBoards = large.slice(THROUGHPUT_BOARDS + WARMUP_BOARDS, THROUGHPUT_BOARDS + WARMUP_BOARDS + pacedCount);
      // Each run has a fresh key prefix (nothing scored yet), so the panel run may score boards other runs scored.
      const panelBoards = [...throughputBoards, ...pacedBoards, ...large.slice(THROUGHPUT_BOARDS + WARMUP_BOARDS + pacedCount)].slice(0, panelCount);
      const padsPerBoard = Math.round(throughputBoards.reduce((s, b) => s + b.pads, 0) / throughputBoards.length);
      log(`${boards.length} SPI-inspected boards, ${large.length} of ≥ ${LARGE_BOARD_PADS} pads (${padsPerBoard} pads on average)`);

      // (a) Raw ONNX on the pads of the boards the queue runs score.
      const raw = await measureRaw(source, throughputBoards, log);
      const bestRaw = raw.reduce((best, cell) => (cell.padsPerSecond > best.padsPerSecond ? cell : best));

      // (b) The queue. Each run has an emulator of its own: audit entries are idempotent, so a second
      // run's entries for the same boards would be found written already and cost Opcenter nothing.
      const job = (serialNumber: string): ScoringJob => ({ kind: 'score-board', serialNumber, modelName: 'spi-defect-risk', modelVersion, reason: 'event' });
      const padsBySerial = new Map(boards.map((b) => [b.serial, b.pads] as const));
      const redisPid = localRedisPid(REDIS_URL);
      const context: RunContext = { cleanup, log, job, warmupBoards, padsBySerial, redisPid };
      // The live path: each job carries its print's measurements, packed from the SPI event the plant posts.
      log('packing the measurements of the SPI events…');
      const measurements = new Map<string, SpiMeasurementsPayload>();
      for (const board of new Set([...warmupBoards, ...throughputBoards, ...pacedBoards, ...panelBoards])) {
        const pads = plant.generate('SpiPadMeasurement', 'SpiInspectionId', board.inspection.Id) as unknown as SpiPadMeasurementRow[];
        const inspection = board.inspection as unknown as SpiInspectionRow;
        measurements.set(board.serial, packSpiEventMeasurements(inspection.Id, spiEventMeasurements(inspection, pads)));
      }
      const eventContext: RunContext = {
        ...context,
        job: (serialNumber) => ({ ...job(serialNumber), measurements: measurements.get(serialNumber) as SpiMeasurementsPayload }),
      };

      const queueRuns: QueueRun[] = [];
      for (const [runContext, path] of [
        [context, 'pads read from Opcenter'],
        [eventContext, 'measurements in the job'],
      ] as const) {
        for (const workers of [1, 2]) {
          queueRuns.push(
            await withWorkers(runContext, newPrefix(`${path === 'measurements in the job' ? 'm' : 'o'}${workers}`), workers, (queues, store, exited) =>
              throughputRun(runContext, queues, store, exited, `queue, ${workers} worker${workers > 1 ? 's' : ''}, ${path}`, workers, throughputBoards),
            ),
          );
        }
      }
      const paced = await withWorkers(eventContext, newPrefix('paced'), 1, (queues, store, exited) => pacedRun(eventContext, queues, store, exited, pacedBoards, 1));
      const panels = await withWorkers(eventContext, newPrefix('panels'), 1, (queues, store, exited) => pacedRun(eventContext, queues, store, exited, panelBoards, PANEL_BOARDS));

      // (c) GraphQL through the gateway, one worker, a budget that waits for every score.
      const graphql = await graphqlRun(context, newPrefix('graphql'));

      const ratio = (run: QueueRun) => run.padsPerSecond / bestRaw.padsPerSecond;
      const rows: BenchRow[] = [
        ...raw.map((cell) => ({
          run: `(a) raw ONNX, batch ${cell.batch.toLocaleString('en-US')}${cell === bestRaw ? ' (best)' : ''}`,
          boards: '',
          'pads/board': padsPerBoard,
          'boards/s': Math.round(cell.padsPerSecond / padsPerBoard),
          'pads/s': Math.round(cell.padsPerSecond),
          'vs raw': percent(cell.padsPerSecond / bestRaw.padsPerSecond),
          'p50 ms': cell.p50MsPerBatch,
          'p99 ms': '',
          'wall s': '',
          'CPU ms/board': '',
          'audit +s': '',
          READY: '',
        })),
        ...[...queueRuns, paced, panels].map((run) => ({
          run: run.offeredBoardsPerSecond
            ? `(b) paced ${PACED_RATE} ${run.boardsPerSend === 1 ? 'boards' : `prints of ${run.boardsPerSend} boards (${Math.round((run.pads / run.boards) * (run.boardsPerSend ?? 1)).toLocaleString('en-US')} pads)`}/s, ${run.workers} worker`
            : `(b) ${run.label}, budget 0`,
          boards: `${run.stored}/${run.boards}`,
          'pads/board': Math.round(run.pads / run.boards),
          'boards/s': run.boardsPerSecond,
          'pads/s': Math.round(run.padsPerSecond),
          'vs raw': percent(ratio(run)),
          'p50 ms': Math.round(run.latencyMs.p50),
          'p99 ms': Math.round(run.latencyMs.p99),
          'wall s': run.wallMs / 1000,
          'CPU ms/board': run.cpuMsPerBoard?.total ?? '',
          'audit +s': run.auditLagMs !== undefined ? run.auditLagMs / 1000 : '',
          READY: run.ready,
        })),
        {
          run: `(c) GraphQL defectRisk, 1 worker, AI_BUDGET_MS ${GRAPHQL_BUDGET_MS}`,
          boards: `${graphql.boards}`,
          'pads/board': graphql.padsPerBoard,
          'boards/s': graphql.boards / (graphql.wallMs / 1000),
          'pads/s': Math.round(graphql.pads / (graphql.wallMs / 1000)),
          'vs raw': percent(graphql.pads / (graphql.wallMs / 1000) / bestRaw.padsPerSecond),
          'p50 ms': '',
          'p99 ms': '',
          'wall s': graphql.wallMs / 1000,
          'CPU ms/board': '',
          'audit +s': '',
          READY: graphql.statuses.READY ?? 0,
        },
        {
          run: '(c) the same query again (insights stored)',
          boards: `${graphql.boards}`,
          'pads/board': graphql.padsPerBoard,
          'boards/s': '',
          'pads/s': '',
          'vs raw': '',
          'p50 ms': '',
          'p99 ms': '',
          'wall s': graphql.repeatWallMs / 1000,
          'CPU ms/board': '',
          'audit +s': '',
          READY: graphql.repeatStatuses.READY ?? 0,
        },
      ];

      const bestQueue = queueRuns.reduce((best, run) => (run.padsPerSecond > best.padsPerSecond ? run : best));
      const ratioMet = ratio(bestQueue) >= TARGET_RATIO;
      const p99Met = panels.stored === panels.boards && panels.latencyMs.p99 < TARGET_P99_MS;
      const panelPads = Math.round((panels.pads / panels.boards) * PANEL_BOARDS);
      const notes = [
        `machine: ${cpus().length} CPU cores; the emulator, Redis, the workers and this process share them (another job may also have been running)`,
        `(a) OnnxModel, CPU provider, 1 intra-op thread, on ${RAW_MAX_BATCH.toLocaleString('en-US')} real pad rows of the queue runs' boards (computeSpiFeatures); 'pads/s' is the median over ${RAW_REPETITION_MS} ms repetitions, 'p50 ms' the median time of one batch; 'boards/s' = pads/s ÷ pads/board`,
        `(b) \`node dist/workers/main.js\` (default WORKER_CONCURRENCY, BATCH_MAX_ROWS, BATCH_MAX_WAIT_MS) reading pads from the emulator over HTTP, a fresh REDIS_KEY_PREFIX per run, warmed up first on ${warmupBoards.length} other boards (${WARMUP_SMALL_BOARDS} of < ${LARGE_BOARD_PADS.toLocaleString('en-US')} pads, ${WARMUP_BOARDS} larger); ${THROUGHPUT_BOARDS} distinct boards enqueued at once with requestScores(budgetMs 0); 'boards/s' and 'pads/s' up to the last insight; 'p50/p99 ms' = insight computedAt − enqueue (stored right after; polled 'seen stored' figures are in the JSON); 'wall s' = first enqueue to last insight; spi-defect-risk model runs of the workers: ${queueRuns.map((r) => `${r.label} ${r.inference?.batches ?? '?'} runs of ${r.inference?.rowsPerBatch ?? '?'} pads on average`).join(', ')}`,
        `(b) 'pads read from Opcenter': the job names the board and the worker reads its latest inspection's pads over OData (a query for an unscored board); 'measurements in the job': the job carries the print's measurements from its SPI event (packed columns: 16-bit integers of tenths for the simulator's one-decimal readings) and the worker reads only each stencil's layout from Opcenter, once`,
        `(b) paced: ${pacedCount} other boards, measurements in the job (the live path) of ${Math.round(paced.pads / paced.boards)} pads, one requestScores per board every ${1000 / PACED_RATE} ms, ${paced.inference?.batches ?? '?'} model runs of ${paced.inference?.rowsPerBatch ?? '?'} pads on average; polled 'seen stored' p50/p99 ${paced.observedLatencyMs.p50.toFixed(0)}/${paced.observedLatencyMs.p99.toFixed(0)} ms (poll every ${paced.pollIntervalMs} ms)`,
        `(c) gateway → subgraphs → queue → 1 worker, the first boards of ${graphql.orders} completed orders (one alias per order), ${graphql.boards} of ${GRAPHQL_BOARDS} asked, fresh insights (unscored); 'wall s' is the query's wall time; statuses ${JSON.stringify(graphql.statuses)}${graphql.errors.length > 0 ? `; errors: ${graphql.errors.slice(0, 3).join(' | ')}` : ''}`,
        cpuBudgetNote(bestQueue, bestRaw.padsPerSecond),
        ...[dedicatedCoresNote(bestQueue, bestRaw.padsPerSecond)].filter((note): note is string => note !== undefined),
        `target (b) ≥ ${TARGET_RATIO * 100} % of (a) in pads/s on boards of ≥ ${LARGE_BOARD_PADS.toLocaleString('en-US')} pads: best queue run ${(ratio(bestQueue) * 100).toFixed(1)} % (${bestQueue.label}) → ${ratioMet ? 'MET' : 'NOT MET'}`,
        `(b) paced prints of ${PANEL_BOARDS} boards: ${panels.boards} boards as ${panels.boards / PANEL_BOARDS} GW-MB-100 panel prints of ${panelPads.toLocaleString('en-US')} pads, both boards' jobs in one requestScores every ${1000 / PACED_RATE} ms (${Math.round((panels.pads * PACED_RATE) / (panels.boards / PANEL_BOARDS)).toLocaleString('en-US')} pads/s offered), ${panels.inference?.batches ?? '?'} model runs of ${panels.inference?.rowsPerBatch ?? '?'} pads on average; p50/p99/max per board ${panels.latencyMs.p50.toFixed(0)}/${panels.latencyMs.p99.toFixed(0)}/${panels.latencyMs.max.toFixed(0)} ms`,
        `target p99 enqueue→stored < ${TARGET_P99_MS} ms at ${PACED_RATE} prints/s of ≥ 2,000 pads: the simulated plant has no board that large (largest ${Math.max(...large.map((b) => b.pads)).toLocaleString('en-US')} pads), so prints of a ${PANEL_BOARDS}-board panel (${panelPads.toLocaleString('en-US')} pads, scored as ${PANEL_BOARDS} jobs) stand in: p99 ${panels.latencyMs.p99.toFixed(1)} ms${panels.stored < panels.boards ? `, ${panels.boards - panels.stored} insights missing` : ''} → ${p99Met ? 'MET' : 'NOT MET'}`,
      ];
      return {
        rows,
        notes,
        settings: {
          modelVersion,
          rawBatches: RAW_BATCHES,
          rawCellMs: RAW_CELL_MS,
          throughputBoards: THROUGHPUT_BOARDS,
          warmupBoards: warmupBoards.length,
          pacedRate: PACED_RATE,
          pacedSeconds: PACED_SECONDS,
          graphqlBoards: GRAPHQL_BOARDS,
          graphqlBudgetMs: GRAPHQL_BUDGET_MS,
          endTime: END_TIME,
        },
        targets: {
          queueVsRaw: { target: TARGET_RATIO, measured: ratio(bestQueue), run: bestQueue.label, met: ratioMet },
          pacedP99Ms: { target: TARGET_P99_MS, measured: panels.latencyMs.p99, printPads: panelPads, boardsPerPrint: PANEL_BOARDS, met: p99Met },
        },
        raw,
        queueRuns,
        paced,
        panels,
        graphql,
      };
    } finally {
      log('stopping every process started…');
      await cleanup.runAll(log);
      await deletePrefixes(prefixes).catch((error: Error) => log(`could not delete the bench's Redis keys: ${error.message}`));
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  },
};

async function measureRaw(source: SimulatorSource, boards: readonly Board[], log: (line: string) => void): Promise<RawCell[]> {
  log('(a) computing pad features…');
  const chunks: Float32Array[] = [];
  let rows = 0;
  for (const board of boards) {
    if (rows >= RAW_MAX_BATCH) break;
    const features = computeSpiFeatures(source.spiBoardInput(board.inspection));
    chunks.push(features.values);
    rows += features.rows;
  }
  const width = SPI_FEATURE_COUNT;
  const values = new Float32Array(RAW_MAX_BATCH * width);
  let offset = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, values.length - offset);
    values.set(chunk.subarray(0, take), offset);
    offset += take;
    if (offset >= values.length) break;
  }
  const model = await OnnxModel.load(modelFiles('spi-defect-risk').onnx, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const cells: RawCell[] = [];
  try {
    for (const batch of RAW_BATCHES) {
      log(`(a) raw ONNX, batch ${batch}…`);
      const timing = await timeOnnxBatches(model, values, width, batch, {
        warmupMs: 200,
        cellMs: RAW_CELL_MS,
        repetitionMs: RAW_REPETITION_MS,
        minRepetitions: RAW_MIN_REPETITIONS,
      });
      cells.push({ batch, padsPerSecond: timing.rowsPerSecond, p50MsPerBatch: timing.p50Ms, calls: timing.calls });
    }
  } finally {
    await model.release();
  }
  return cells;
}

interface RunContext {
  readonly cleanup: Cleanup;
  readonly log: (line: string) => void;
  readonly job: (serial: string) => ScoringJob;
  readonly warmupBoards: readonly Board[];
  readonly padsBySerial: ReadonlyMap<string, number>;
  /** The Redis server's process id when it runs here: metered during each run. */
  readonly redisPid: number | undefined;
}

/** A fresh emulator of the small plant (seed 42, no live production), as a process to start with others. */
function emulatorSpec(port: number): ProcessSpec {
  return {
    label: 'emulator',
    entry: join(DIST, 'opcenter/emulator/main.js'),
    env: { EMULATOR_PORT: String(port), SIM_RATE: '0', SIM_SEED: '42', SIM_SCALE: 'small', SIM_END_TIME: END_TIME },
    healthUrl: `http://127.0.0.1:${port}/emulator/health`,
  };
}

/** Starts `count` worker processes on a fresh prefix, warms them up, runs `body` (adding the workers' model runs), and stops them. */
async function withWorkers(
  context: RunContext,
  prefix: string,
  count: number,
  body: (queues: ScoringQueues, store: InsightStore, exited: string[]) => Promise<QueueRun>,
): Promise<QueueRun> {
  const { log, cleanup, job } = context;
  const [emulatorPort, ...ports] = await freePorts(count + 1);
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  log(`starting an emulator and ${count} worker process${count > 1 ? 'es' : ''} (REDIS_KEY_PREFIX ${prefix})…`);
  const label = `workers ${prefix}`;
  const workers = await startProcesses(
    [emulatorSpec(emulatorPort as number)].concat(ports.map((port, i) => ({
      label: `worker-${i + 1}`,
      entry: join(DIST, 'workers/main.js'),
      env: { OPCENTER_URL: emulatorUrl, REDIS_URL, REDIS_KEY_PREFIX: prefix, WORKER_METRICS_PORT: String(port) },
      healthUrl: `http://127.0.0.1:${port}/healthz`,
    }))),
    cleanup,
    label,
  );
  const redis = createRedis(REDIS_URL);
  const queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix: prefix });
  const resources = `queues ${prefix}`;
  cleanup.add(resources, async () => {
    await queues.close();
    await closeRedis(redis);
  });
  const store = new InsightStore(redis, { keyPrefix: prefix, historySize: 20 });
  try {
    const warm = await queues.requestScores(context.warmupBoards.map((b) => job(b.serial)), { budgetMs: 30_000 });
    const notDone = [...warm.values()].filter((o) => o.status !== 'completed').length;
    if (notDone > 0) throw new Error(`${notDone} warm-up jobs did not complete\n${workers.logs.slice(-20).join('\n')}`);
    const before = await inferenceCounters(ports);
    const meter = new CpuMeter(() => ({ ...workers.supervisor.pids(), ...(context.redisPid !== undefined ? { redis: context.redisPid } : {}) }));
    meter.start();
    const run = await body(queues, store, workers.exited);
    // The outbox writes audit entries behind the insights: the run's work ends when it has caught up.
    const auditLagMs = await waitForAuditTrail(new AuditOutbox(redis, createOpcenterClient({ baseUrl: emulatorUrl, ...DEV_CREDENTIALS }), { keyPrefix: prefix }));
    const { processes: cpu, mainThreads } = meter.stopWithThreads();
    const after = await inferenceCounters(ports);
    const batches = after.batches - before.batches;
    const rows = after.rows - before.rows;
    const perBoard = (seconds: number) => Math.round(((seconds * 1000) / Math.max(1, run.stored)) * 1000) / 1000;
    const ofWorkers = (used: Record<string, number>) => Object.entries(used).filter(([label]) => label.startsWith('worker-')).reduce((sum, [, seconds]) => sum + seconds, 0);
    const hasMain = Object.keys(mainThreads).some((label) => label.startsWith('worker-'));
    const parts = {
      workers: perBoard(ofWorkers(cpu)),
      workersMain: hasMain ? perBoard(ofWorkers(mainThreads)) : null,
      redis: cpu.redis !== undefined ? perBoard(cpu.redis) : null,
      emulator: perBoard(cpu.emulator ?? 0),
      emulatorMain: mainThreads.emulator !== undefined ? perBoard(mainThreads.emulator) : null,
      bench: perBoard(cpu.self ?? 0),
    };
    const total = Math.round((parts.workers + (parts.redis ?? 0) + parts.emulator + parts.bench) * 1000) / 1000;
    return { ...run, inference: { batches, rows, rowsPerBatch: batches > 0 ? Math.round(rows / batches) : 0 }, cpuMsPerBoard: { ...parts, total }, auditLagMs };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${workers.logs.slice(-20).join('\n')}`);
  } finally {
    await cleanup.runNow(resources);
    await cleanup.runNow(label);
  }
}

/** Waits until the outbox holds no entry to write (or RUN_TIMEOUT_MS passes); answers how long that took, ms. */
async function waitForAuditTrail(outbox: AuditOutbox): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { queued, processing } = await outbox.pending();
    if (queued + processing === 0) return Math.round(performance.now() - started);
    if (performance.now() - started > RUN_TIMEOUT_MS) throw new Error(`the audit outbox still holds ${queued + processing} entries after ${RUN_TIMEOUT_MS / 1000} s`);
    await sleep(50);
  }
}

/** The workers' spi-defect-risk model runs and rows so far, summed over their /metrics. */
async function inferenceCounters(ports: readonly number[]): Promise<{ batches: number; rows: number }> {
  const totals = { batches: 0, rows: 0 };
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const read = (metric: string) => Number(new RegExp(`^${metric}\\{model="spi-defect-risk"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    totals.batches += read('oig_worker_inference_batches_total');
    totals.rows += read('oig_worker_inference_rows_total');
  }
  return totals;
}

/** Polls the store until every serial has an insight (or the time is up); answers each insight and when it was first seen. */
async function waitForInsights(
  context: RunContext,
  store: InsightStore,
  exited: string[],
  serials: readonly string[],
  pollMs: number,
  until: () => boolean = () => true,
): Promise<Map<string, { insight: Insight; seenAt: number }>> {
  const found = new Map<string, { insight: Insight; seenAt: number }>();
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const missing = serials.filter((s) => !found.has(s));
    if (missing.length > 0) {
      const latest = await store.getLatest('spi-defect-risk', 'board', missing);
      const now = Date.now();
      for (const [serial, insight] of latest) found.set(serial, { insight, seenAt: now });
    }
    if (found.size === serials.length && until()) return found;
    if (exited.length > 0) throw new Error(`worker exited during the run: ${exited.join(', ')}`);
    if (Date.now() > deadline) {
      context.log(`gave up waiting: ${serials.length - found.size} insights missing after ${RUN_TIMEOUT_MS / 1000} s`);
      return found;
    }
    await sleep(pollMs);
  }
}

async function throughputRun(
  context: RunContext,
  queues: ScoringQueues,
  store: InsightStore,
  exited: string[],
  label: string,
  workers: number,
  boards: readonly Board[],
): Promise<QueueRun> {
  context.log(`(b) ${label}: enqueueing ${boards.length} boards with budget 0…`);
  // Figures come from each insight's computedAt: polling seldom keeps this process's CPU for the workers.
  const pollMs = 200;
  const enqueuedAt = Date.now();
  await queues.requestScores(
    boards.map((b) => context.job(b.serial)),
    { budgetMs: 0 },
  );
  const found = await waitForInsights(
    context,
    store,
    exited,
    boards.map((b) => b.serial),
    pollMs,
  );
  return summarise(label, workers, boards, found, () => enqueuedAt, pollMs);
}

/**
 * Sends `perSend` boards' jobs together (one requestScores, as the boards of one panel print arrive)
 * `PACED_RATE` times a second, and measures each board from its send to its stored insight.
 */
async function pacedRun(context: RunContext, queues: ScoringQueues, store: InsightStore, exited: string[], boards: readonly Board[], perSend: number): Promise<QueueRun> {
  const sends = Math.floor(boards.length / perSend);
  const sent = boards.slice(0, sends * perSend);
  const what = perSend === 1 ? 'boards' : `panels of ${perSend} boards`;
  context.log(`(b) paced: ${PACED_RATE} ${what}/s for ${PACED_SECONDS} s…`);
  const pollMs = 5;
  const enqueuedAt = new Map<string, number>();
  const intervalMs = 1000 / PACED_RATE;
  const start = performance.now();
  let done = 0;
  const sender = (async () => {
    for (let i = 0; i < sends; i++) {
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const group = sent.slice(i * perSend, (i + 1) * perSend);
      const now = Date.now();
      for (const board of group) enqueuedAt.set(board.serial, now);
      done += group.length;
      void queues.requestScores(group.map((b) => context.job(b.serial)), { budgetMs: 0 }).catch((error: Error) => context.log(`enqueue failed: ${error.message}`));
    }
  })();
  // Poll only what was sent so far, while sending.
  const found = await waitForInsights(
    context,
    store,
    exited,
    sent.map((b) => b.serial),
    pollMs,
    () => done === sent.length,
  );
  await sender;
  return {
    ...summarise(`paced ${PACED_RATE} ${what}/s`, 1, sent, found, (serial) => enqueuedAt.get(serial) ?? NaN, pollMs),
    offeredBoardsPerSecond: PACED_RATE * perSend,
    boardsPerSend: perSend,
  };
}

function summarise(
  label: string,
  workers: number,
  boards: readonly Board[],
  found: Map<string, { insight: Insight; seenAt: number }>,
  enqueuedAt: (serial: string) => number,
  pollIntervalMs: number,
): QueueRun {
  const latencies: number[] = [];
  const observed: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  let ready = 0;
  for (const board of boards) {
    const entry = found.get(board.serial);
    if (!entry) continue;
    const computed = Date.parse(entry.insight.computedAt);
    const at = enqueuedAt(board.serial);
    latencies.push(computed - at);
    observed.push(entry.seenAt - at);
    first = Math.min(first, at);
    last = Math.max(last, computed);
    if (entry.insight.status === 'READY') ready++;
  }
  const stored = latencies.length;
  const pads = boards.reduce((s, b) => s + b.pads, 0);
  const storedPads = boards.filter((b) => found.has(b.serial)).reduce((s, b) => s + b.pads, 0);
  const wallMs = stored > 0 ? Math.max(1, last - first) : NaN;
  return {
    label,
    workers,
    boards: boards.length,
    pads,
    stored,
    ready,
    wallMs,
    boardsPerSecond: (stored * 1000) / wallMs,
    padsPerSecond: (storedPads * 1000) / wallMs,
    latencyMs: { p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), p99: quantile(latencies, 0.99), max: Math.max(...latencies) },
    observedLatencyMs: { p50: quantile(observed, 0.5), p99: quantile(observed, 0.99), max: Math.max(...observed) },
    pollIntervalMs,
  };
}

interface GraphqlRun {
  /** Completed orders whose first boards the query asked for. */
  readonly orders: number;
  readonly boards: number;
  readonly pads: number;
  readonly padsPerBoard: number;
  readonly wallMs: number;
  readonly statuses: Record<string, number>;
  readonly repeatWallMs: number;
  readonly repeatStatuses: Record<string, number>;
  readonly errors: string[];
}

/** A fresh emulator, the subgraphs, one worker and the gateway (as test/support/test-stack.ts); one query, twice. */
async function graphqlRun(context: RunContext, prefix: string): Promise<GraphqlRun> {
  const { log, cleanup } = context;
  const [emulatorPort, gatewayPort, workerPort, ...subgraphPorts] = await freePorts(3 + SUBGRAPHS.length);
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const ai = { REDIS_URL, REDIS_KEY_PREFIX: prefix, AI_BUDGET_MS: String(GRAPHQL_BUDGET_MS) };
  const secret = randomBytes(24).toString('base64url');
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const specs: ProcessSpec[] = [emulatorSpec(emulatorPort as number)];
  const gatewayEnv: Record<string, string> = {
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_SIGNING_SECRET: secret,
    LOG_LEVEL: 'warn',
    // The query waits for 200 scores: longer than the default 10 s upstream timeout may allow.
    UPSTREAM_TIMEOUT_MS: String(GRAPHQL_BUDGET_MS + 30_000),
  };
  SUBGRAPHS.forEach((name, i) => {
    const port = subgraphPorts[i] as number;
    specs.push({
      label: name,
      entry: join(DIST, `subgraphs/${name}/main.js`),
      env: { [`${name.toUpperCase()}_PORT`]: String(port), OPCENTER_URL: emulatorUrl, GATEWAY_SIGNING_SECRET: secret, ...ai },
      healthUrl: `http://127.0.0.1:${port}/healthz`,
    });
    gatewayEnv[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
  });
  specs.push({
    label: 'worker',
    entry: join(DIST, 'workers/main.js'),
    env: { OPCENTER_URL: emulatorUrl, WORKER_METRICS_PORT: String(workerPort), ...ai },
    healthUrl: `http://127.0.0.1:${workerPort}/healthz`,
  });
  specs.push({ label: 'gateway', entry: join(DIST, 'gateway/main.js'), env: gatewayEnv, healthUrl: `${gatewayUrl}/readyz` });
  log('(c) starting an emulator, the subgraphs, a worker and the gateway…');
  const label = 'graphql stack';
  const stack = await startProcesses(specs, cleanup, label);
  try {
    const token = await issueDevToken({ user: 'bench-scoring', roles: ['QUALITY_ENGINEER'] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const orders = await completedOrderBoards(`${gatewayUrl}/graphql`, headers);
    // One alias per order, each with the count of its boards that brings the total to GRAPHQL_BOARDS.
    const picks: { id: string; first: number }[] = [];
    let left = GRAPHQL_BOARDS;
    for (const order of orders) {
      if (left === 0) break;
      const first = Math.min(order.boards, left, 100);
      picks.push({ id: order.id, first });
      left -= first;
    }
    const query = `{ ${picks.map((pick, i) => `o${i}: productionOrder(id: ${JSON.stringify(pick.id)}) { boards(first: ${pick.first}) { nodes { serialNumber defectRisk { status score } } } }`).join(' ')} }`;
    const send = async () => {
      const began = performance.now();
      const response = await fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(GRAPHQL_BUDGET_MS + 60_000),
      });
      const body = (await response.json()) as {
        data?: Record<string, { boards: { nodes: { serialNumber: string; defectRisk: { status: string; score: number | null } | null }[] } } | null> | null;
        errors?: { message: string }[];
      };
      const wallMs = performance.now() - began;
      const boards = Object.values(body.data ?? {}).flatMap((order) => order?.boards.nodes ?? []);
      const statuses: Record<string, number> = {};
      for (const board of boards) {
        const status = board.defectRisk?.status ?? 'null';
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      const errors = [`HTTP ${response.status}`, ...(body.errors ?? []).map((e) => e.message)].filter((e) => e !== 'HTTP 200');
      return { wallMs, boards, statuses, errors };
    };
    log(`(c) querying defectRisk of ${GRAPHQL_BOARDS} unscored boards of ${picks.length} completed orders…`);
    const first = await send();
    log(`(c) ${first.boards.length} boards in ${Math.round(first.wallMs)} ms: ${JSON.stringify(first.statuses)}; again…`);
    const repeat = await send();
    if (stack.exited.length > 0) throw new Error(`${stack.exited.join(', ')} exited during the query`);
    // The emulator serves the same plant: its SPI rows tell each board's pads.
    const pads = first.boards.reduce((sum, b) => sum + (context.padsBySerial.get(b.serialNumber) ?? 0), 0);
    return {
      orders: picks.length,
      boards: first.boards.length,
      pads,
      padsPerBoard: first.boards.length > 0 ? Math.round(pads / first.boards.length) : 0,
      wallMs: first.wallMs,
      statuses: first.statuses,
      repeatWallMs: repeat.wallMs,
      repeatStatuses: repeat.statuses,
      errors: [...first.errors, ...repeat.errors],
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stack.logs.slice(-30).join('\n')}`);
  } finally {
    await cleanup.runNow(label);
  }
}

/** Completed orders and how many boards each has (up to 100), read without asking for any score. */
async function completedOrderBoards(url: string, headers: Record<string, string>): Promise<{ id: string; boards: number }[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: '{ productionOrders(first: 20, filter: { status: "Completed" }) { nodes { id boards(first: 100) { nodes { serialNumber } } } } }' }),
  });
  const body = (await response.json()) as { data?: { productionOrders: { nodes: { id: string; boards: { nodes: unknown[] } }[] } } | null; errors?: { message: string }[] };
  if (!body.data) throw new Error(`listing completed orders failed: ${JSON.stringify(body.errors ?? response.status)}`);
  return body.data.productionOrders.nodes.map((order) => ({ id: order.id, boards: order.boards.nodes.length }));
}

async function deletePrefixes(prefixes: readonly string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const redis = createRedis(REDIS_URL);
  try {
    for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
  } finally {
    await closeRedis(redis);
  }
}

/**
 * Where a queue run's CPU went per board, and the most boards per second this machine's cores could
 * give at that cost: the bound a ratio to raw ONNX cannot pass, whatever the pipeline's overlap.
 */
function cpuBudgetNote(run: QueueRun, rawPadsPerSecond: number): string {
  const cpu = run.cpuMsPerBoard;
  if (!cpu) return `CPU per board of ${run.label}: not measured (no /proc)`;
  const padsPerBoard = run.pads / run.boards;
  const onnxMs = (1000 * padsPerBoard) / rawPadsPerSecond;
  const ceiling = (cpus().length * 1000) / cpu.total;
  return (
    `CPU per board of ${run.label} (from /proc, all threads, first enqueue until the audit trail caught up ${((run.auditLagMs ?? 0) / 1000).toFixed(2)} s after the last insight): workers ${cpu.workers.toFixed(2)} ms (of which the model itself about ${onnxMs.toFixed(2)} ms at raw speed), ` +
    `Redis ${cpu.redis === null ? 'not measured (not on this machine)' : `${cpu.redis.toFixed(2)} ms`}, emulator (mostly audit entries) ${cpu.emulator.toFixed(2)} ms, this process (producer, poll) ${cpu.bench.toFixed(2)} ms; ` +
    `total ${cpu.total.toFixed(2)} ms, so ${cpus().length} cores give at most ${Math.round(ceiling)} boards/s = ${percent((ceiling * padsPerBoard) / rawPadsPerSecond)} of (a); ` +
    `per board the queue path also parses its job, unpacks the measurements, computes the features, aggregates and digests them, stores the insight and its history, and writes an audit entry to Opcenter`
  );
}

/**
 * A projection, not a measurement: the boards per second of a queue run's slowest stage if each
 * busy thread had a core of its own (this machine's cores are shared by all of them), from the CPU
 * each used per board here. Each worker process's event loop and its inference threads are stages of
 * their own, as are Redis, the emulator's event loop and the producer.
 */
function dedicatedCoresNote(run: QueueRun, rawPadsPerSecond: number): string | undefined {
  const cpu = run.cpuMsPerBoard;
  if (!cpu || cpu.workersMain === null || cpu.emulatorMain === null) return undefined;
  const workers = run.workers;
  const stages: Array<[string, number]> = [
    [`worker event loops (${cpu.workersMain.toFixed(2)} ms/board over ${workers})`, (workers * 1000) / cpu.workersMain],
    [`worker inference and other threads (${(cpu.workers - cpu.workersMain).toFixed(2)} ms/board over ${workers})`, (workers * 1000) / (cpu.workers - cpu.workersMain)],
    ...(cpu.redis !== null ? [[`Redis (${cpu.redis.toFixed(2)} ms/board)`, 1000 / cpu.redis] as [string, number]] : []),
    [`emulator event loop (${cpu.emulatorMain.toFixed(2)} ms/board)`, 1000 / cpu.emulatorMain],
    [`producer (${cpu.bench.toFixed(2)} ms/board)`, 1000 / cpu.bench],
  ];
  stages.sort((a, b) => a[1] - b[1]);
  const [slowest, bound] = stages[0] as [string, number];
  const padsPerBoard = run.pads / run.boards;
  return (
    `projection (not measured): with a core per busy thread, ${run.label} would be bound by its slowest stage, ${slowest}, at ${Math.round(bound)} boards/s = ${percent((bound * padsPerBoard) / rawPadsPerSecond)} of (a); ` +
    `next: ${stages.slice(1).map(([name, boards]) => `${name} ${Math.round(boards)}`).join(', ')} boards/s; CPU per board measured here, on shared cores, where contention inflates it`
  );
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)} %`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

