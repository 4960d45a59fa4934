/**
 * The AI fields' serving path end to end: the producer enqueues scoring jobs (as a resolver will),
 * a worker scores them with the shipped ONNX models from Opcenter's data (the emulator over HTTP),
 * stores the insights in Redis and writes one audit trail entry per inference to Opcenter.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { InsightStore } from '../../../insights/insight-store';
import { bullPrefixFor, jobIdFor, MODEL_QUEUES, type ScoringJob } from '../../../insights/jobs';
import { closeRedis, createRedis, deleteKeysUnder } from '../../../insights/redis';
import { ScoringQueues } from '../../../insights/scoring-queue';
import { createOpcenterClient, type OpcenterClient } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import type { Emulator } from '../../../opcenter/emulator/emulator';
import { loadWorkerConfig } from '../../../workers/config';
import { ScoringWorker } from '../../../workers/scoring-worker';
import { smallPlant, startTestEmulator } from '../../support/test-emulator';
import { waitFor } from '../../support/async';

const REDIS_URL = 'redis://127.0.0.1:6379';


describe('scoring workers', () => {
  const plant = smallPlant();
  const keyPrefix = `test-${randomUUID()}`;
  let emulator: Emulator;
  let opcenter: OpcenterClient;
  let worker: ScoringWorker;
  let queues: ScoringQueues;
  const redis = createRedis(REDIS_URL);
  const store = new InsightStore(redis, { keyPrefix, historySize: 5 });

  beforeAll(async () => {
    emulator = await startTestEmulator({ plant });
    opcenter = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
    const config = loadWorkerConfig({ OPCENTER_URL: emulator.url, REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, ORT_EXECUTION_PROVIDERS: 'cuda,cpu', WORKER_METRICS_PORT: '0' });
    worker = await ScoringWorker.start(config, () => undefined);
    queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix });
  }, 60_000);
  afterAll(async () => {
    await queues.close();
    await worker.stop();
    await deleteKeysUnder(redis, keyPrefix);
    await closeRedis(redis);
    await emulator.close();
  });

  const boardJob = (serialNumber: string): ScoringJob => ({ kind: 'score-board', serialNumber, modelName: 'spi-defect-risk', modelVersion: '1.0.0', reason: 'query' });

  it('scores forty boards requested at once in few model runs, stores each insight and audits each inference once', async () => {
    const serials = plant
      .rows('SpiInspection')
      .slice(100, 140)
      .map((r) => String(r.SerialNumber));
    const before = worker.status().inference['spi-defect-risk']?.batches ?? 0;
    const outcomes = await queues.requestScores(serials.map(boardJob), { budgetMs: 30_000 });
    expect([...outcomes.values()].every((o) => o.status === 'completed')).toBe(true);
    const batches = (worker.status().inference['spi-defect-risk']?.batches ?? 0) - before;
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(serials.length / 4);
    // The same runs and jobs show in the worker's Prometheus metrics, with the queue's depth.
    const metrics = await worker.metricsText();
    expect(metrics).toMatch(/^oig_worker_inference_duration_seconds_count\{model="spi-defect-risk"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^oig_worker_job_duration_seconds_count\{queue="spi-defect-risk",outcome="completed"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^oig_worker_queue_jobs\{queue="spi-defect-risk",state="waiting"\} \d+$/m);
    expect(metrics).toContain('oig_worker_queue_up 1');

    const insights = await store.getLatest('spi-defect-risk', 'board', serials);
    for (const serial of serials) {
      const insight = insights.get(serial);
      expect(insight).toMatchObject({ status: 'READY', modelVersion: '1.0.0', subjectId: serial });
      expect((insight?.value as { score: number }).score).toBeGreaterThanOrEqual(0);
    }

    const entries = await waitFor(
      () => opcenter.listAll('auditTrailEntry', { filter: { subjectId: { in: serials }, modelName: 'spi-defect-risk' } }),
      (rows) => rows.length >= serials.length,
    );
    expect(entries).toHaveLength(serials.length);
    expect(new Set(entries.map((e) => e.subjectId))).toEqual(new Set(serials));
  });

  it('answers a second request for the same boards from the same jobs, without scoring them again', async () => {
    const serials = plant
      .rows('SpiInspection')
      .slice(200, 210)
      .map((r) => String(r.SerialNumber));
    const [first, second] = await Promise.all([
      queues.requestScores(serials.map(boardJob), { budgetMs: 30_000 }),
      queues.requestScores(serials.map(boardJob), { budgetMs: 30_000 }),
    ]);
    expect([...first.values(), ...second.values()].every((o) => o.status === 'completed')).toBe(true);
    const history = await store.history('spi-defect-risk', 'board', serials[0] as string, 5);
    expect(history).toHaveLength(1);
  });

  it('predicts an order’s yield', async () => {
    const order = plant.rows('WorkOrder').find((o) => o.Status === 'Completed');
    const job: ScoringJob = { kind: 'predict-order-yield', orderId: String(order?.NId), modelName: 'yield-predictor', modelVersion: '1.0.0', reason: 'query' };
    const outcomes = await queues.requestScores([job], { budgetMs: 30_000 });
    expect(outcomes.get(jobIdFor(job))).toEqual({ status: 'completed' });
    const insight = (await store.getLatest('yield-predictor', 'order', [String(order?.NId)])).get(String(order?.NId));
    const value = insight?.value as { value: number; lower: number; upper: number; target: number };
    expect(value.lower).toBeLessThanOrEqual(value.value);
    expect(value.value).toBeLessThanOrEqual(value.upper);
    expect(value.target).toBe(order?.TargetYield);
  });

  it('fails a job with a malformed payload at once, without retries, and keeps it inspectable', async () => {
    const connection = createRedis(REDIS_URL, { forBullMq: true });
    const queue = new Queue(MODEL_QUEUES['spi-defect-risk'], { connection, prefix: bullPrefixFor(keyPrefix) });
    try {
      const job = await queue.add('score-board', { kind: 'score-board', serialNumber: '', modelName: 'spi-defect-risk' } as never, { attempts: 3, jobId: `bad-${randomUUID()}` });
      const failed = await waitFor(
        async () => (await queue.getJob(job.id as string))?.failedReason,
        (reason) => reason !== undefined,
      );
      const stored = await queue.getJob(job.id as string);
      expect(failed).toMatch(/serialNumber|modelVersion/);
      expect(stored?.attemptsMade).toBe(1);
      expect(await stored?.getState()).toBe('failed');
    } finally {
      await queue.close();
      await closeRedis(connection);
    }
  });
});
