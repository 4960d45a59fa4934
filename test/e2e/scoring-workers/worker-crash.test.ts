/**
 * Worker processes as they run in production (`node dist/workers/main.js`), killed and stopped on
 * purpose: a SIGKILL in the middle of a batch loses no job and duplicates no audit entry, SIGTERM
 * finishes the jobs in flight, and each worker announces itself with a heartbeat while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { AuditOutbox } from '../../../insights/audit-outbox';
import { InsightStore } from '../../../insights/insight-store';
import { bullPrefixFor, MODEL_QUEUES, type ScoringJob } from '../../../insights/jobs';
import { closeRedis, createRedis, deleteKeysUnder } from '../../../insights/redis';
import { ScoringQueues } from '../../../insights/scoring-queue';
import { readWorkerHeartbeats } from '../../../insights/worker-registry';
import { readModelCard } from '../../../models/model-card';
import { createOpcenterClient, type OpcenterClient } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import type { Emulator } from '../../../opcenter/emulator/emulator';
import { smallPlant, startTestEmulator } from '../../support/test-emulator';

const REDIS_URL = 'redis://127.0.0.1:6379';
const WORKER_MAIN = join(__dirname, '..', '..', '..', 'dist', 'workers', 'main.js');
const SPI_VERSION = readModelCard('spi-defect-risk').version;

/** One spawned worker process and what it printed. */
interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Polls `read` until `done` holds or `timeoutMs` passes; answers the last value either way. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

describe('scoring worker processes', () => {
  const plant = smallPlant();
  const serials = plant.rows('SpiInspection').map((r) => String(r.SerialNumber));
  const running = new Set<WorkerProcess>();
  const redis = createRedis(REDIS_URL);
  let emulator: Emulator;
  let opcenter: OpcenterClient;

  /** Starts `node dist/workers/main.js` on its own key prefix and waits until it takes jobs. */
  /** Key prefixes of the tests, removed after them. */
  const prefixes: string[] = [];
  const newPrefix = (): string => prefixes[prefixes.push(`test-${randomUUID()}`) - 1] as string;

  async function startWorker(keyPrefix: string): Promise<WorkerProcess> {
    // Only what the worker needs: the test's own environment is not passed on.
    const env = {
      OPCENTER_URL: emulator.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      WORKER_METRICS_PORT: '0',
      WORKER_LOCK_MS: '2000',
      ORT_EXECUTION_PROVIDERS: 'cpu',
    };
    const child = spawn(process.execPath, [WORKER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => logs.push(line));
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const worker: WorkerProcess = { child, logs, exited };
    running.add(worker);
    void exited.then(() => running.delete(worker));
    const ready = await waitFor(
      async () => logs.some((line) => line.includes('worker: ready')) || child.exitCode !== null || child.signalCode !== null,
      (done) => done,
      60_000,
    );
    if (!ready || !logs.some((line) => line.includes('worker: ready'))) {
      throw new Error(`The worker did not start:\n${logs.join('\n')}`);
    }
    return worker;
  }

  const boardJob = (serialNumber: string): ScoringJob => ({
    kind: 'score-board',
    serialNumber,
    modelName: 'spi-defect-risk',
    modelVersion: SPI_VERSION,
    reason: 'query',
  });

  beforeAll(async () => {
    if (!existsSync(WORKER_MAIN)) throw new Error('These tests run the built worker: run `npm run build` first (npm test does).');
    emulator = await startTestEmulator({ plant });
    opcenter = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
  }, 60_000);

  // Each test's workers end with it, so the next one has the machine to itself.
  afterEach(async () => {
    const left = [...running];
    for (const worker of left) worker.child.kill('SIGKILL');
    await Promise.all(left.map((worker) => worker.exited));
  });

  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
    await closeRedis(redis);
    await emulator?.close();
  });

  it('loses no job and writes each audit entry once when a worker is killed in the middle of a batch', async () => {
    const keyPrefix = newPrefix();
    const store = new InsightStore(redis, { keyPrefix, historySize: 5 });
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix });
    const queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix });
    const boards = serials.slice(0, 300);
    const readyCount = async () =>
      [...(await store.getLatest('spi-defect-risk', 'board', boards)).values()].filter((i) => i.status === 'READY').length;
    try {
      const first = await startWorker(keyPrefix);
      // Budget 0: enqueue (one addBulk, so all or none) and answer at once.
      await queues.requestScores(boards.map(boardJob), { budgetMs: 0 });
      const scored = await waitFor(readyCount, (n) => n > 0, 60_000, 20);
      expect(scored).toBeGreaterThan(0);
      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const depth = (await queues.depths())['spi-defect-risk'];
      // The kill interrupted work: jobs were still waiting, or active with a lock of a dead worker.
      expect(depth.waiting + depth.active).toBeGreaterThan(0);

      await startWorker(keyPrefix);
      expect(await waitFor(readyCount, (n) => n === boards.length, 90_000, 250)).toBe(boards.length);
      const settled = await waitFor(
        async () => ({ depth: (await queues.depths())['spi-defect-risk'], outbox: await outbox.pending() }),
        ({ depth, outbox }) => depth.waiting + depth.active + depth.delayed === 0 && outbox.queued + outbox.processing === 0,
        90_000,
        250,
      );
      expect(settled).toEqual({ depth: { waiting: 0, active: 0, delayed: 0, failed: 0 }, outbox: { queued: 0, processing: 0, dead: 0 } });

      const entries = await opcenter.getMany<{ subjectId: string }>('auditTrailEntry', 'subjectId', boards, {
        filter: { modelName: 'spi-defect-risk' },
      });
      const perBoard = new Map<string, number>();
      for (const entry of entries) perBoard.set(entry.subjectId, (perBoard.get(entry.subjectId) ?? 0) + 1);
      expect([...perBoard.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(new Set(perBoard.keys())).toEqual(new Set(boards));
      expect(entries).toHaveLength(boards.length);
    } finally {
      await queues.close();
    }
  }, 240_000);

  it('finishes the jobs in flight on SIGTERM, then exits with code 0', async () => {
    const keyPrefix = newPrefix();
    const store = new InsightStore(redis, { keyPrefix, historySize: 5 });
    const connection = createRedis(REDIS_URL, { forBullMq: true });
    const queue = new Queue(MODEL_QUEUES['spi-defect-risk'], { connection, prefix: bullPrefixFor(keyPrefix) });
    const queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix });
    const boards = serials.slice(300, 600);
    try {
      const worker = await startWorker(keyPrefix);
      await queues.requestScores(boards.map(boardJob), { budgetMs: 0 });
      const active = await waitFor(() => queue.getActive(), (jobs) => jobs.length > 0, 60_000, 20);
      expect(active.length).toBeGreaterThan(0);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.logs.some((line) => line.endsWith('worker: stopped'))).toBe(true);

      const activeIds = active.map((job) => job.id as string);
      const states = await Promise.all(activeIds.map((id) => queue.getJobState(id)));
      expect(states.filter((state) => state !== 'completed')).toEqual([]);
      expect(await queue.getActiveCount()).toBe(0);
      const insights = await store.getLatest(
        'spi-defect-risk',
        'board',
        active.map((job) => (job.data as ScoringJob & { kind: 'score-board' }).serialNumber),
      );
      expect(insights.size).toBe(activeIds.length);
      // Nothing was left for the stalled-job check of another worker to take back.
      expect(await connection.scard(`${bullPrefixFor(keyPrefix)}:${MODEL_QUEUES['spi-defect-risk']}:stalled`)).toBe(0);
    } finally {
      await queues.close();
      await queue.close();
      await closeRedis(connection);
    }
  }, 180_000);

  it('lists a running worker with its models in the heartbeats, and forgets it once stopped', async () => {
    const keyPrefix = newPrefix();
    const worker = await startWorker(keyPrefix);
    const [heartbeat, ...others] = await readWorkerHeartbeats(redis, keyPrefix);
    expect(others).toEqual([]);
    expect(heartbeat).toMatchObject({
      pid: worker.child.pid,
      models: expect.arrayContaining([
        expect.objectContaining({ name: 'spi-defect-risk', version: SPI_VERSION, provider: 'cpu' }),
        expect.objectContaining({ name: 'yield-predictor', version: readModelCard('yield-predictor').version, provider: 'cpu' }),
      ]),
    });
    expect(heartbeat?.models).toHaveLength(2);
    expect(Date.parse(heartbeat?.startedAt ?? '')).not.toBeNaN();

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await readWorkerHeartbeats(redis, keyPrefix)).toEqual([]);
  }, 120_000);
});
