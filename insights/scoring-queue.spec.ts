import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { InsightStore } from './insight-store';
import {
  bullPrefixFor,
  jobIdFor,
  MODEL_QUEUES,
  parseJobPayload,
  subjectOf,
  type ModelName,
  type PredictOrderYieldJob,
  type ScoreBoardJob,
} from './jobs';
import { closeRedis, createRedis } from './redis';
import { ScoringQueues } from './scoring-queue';

const REDIS_URL = 'redis://127.0.0.1:6379';

const board = (serialNumber: string, modelVersion = '1.0.0'): ScoreBoardJob => ({
  kind: 'score-board',
  serialNumber,
  modelName: 'spi-defect-risk',
  modelVersion,
  reason: 'query',
});

const order = (orderId: string): PredictOrderYieldJob => ({
  kind: 'predict-order-yield',
  orderId,
  modelName: 'yield-predictor',
  modelVersion: '1.0.0',
  reason: 'query',
});

interface TestWorker {
  /** Processor runs per job id. */
  runs: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Everything one test needs under its own key prefix: the producer under test, an insight store, and
 * real BullMQ workers standing in for `workers/`.
 */
class Harness {
  readonly prefix = `test-${randomUUID()}`;
  readonly redis: Redis = createRedis(REDIS_URL);
  readonly store = new InsightStore(this.redis, { keyPrefix: this.prefix, historySize: 5 });
  readonly queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix: this.prefix });
  private readonly workers: TestWorker[] = [];

  /** A worker that waits `delayMs`, then throws what `fail` returns, or stores a READY insight. */
  startWorker(model: ModelName, options: { delayMs?: number; fail?: () => Error | undefined } = {}): TestWorker {
    const runs = new Map<string, number>();
    const connection = createRedis(REDIS_URL, { forBullMq: true });
    const worker = new Worker(
      MODEL_QUEUES[model],
      async (job: Job) => {
        runs.set(job.id!, (runs.get(job.id!) ?? 0) + 1);
        const payload = parseJobPayload(job.data);
        await sleep(options.delayMs ?? 0);
        const failure = options.fail?.();
        if (failure) throw failure;
        await this.store.put({
          modelName: payload.modelName,
          modelVersion: payload.modelVersion,
          ...subjectOf(payload),
          status: 'READY',
          value: { score: 0.2 },
          confidence: 0.8,
          computedAt: new Date().toISOString(),
          featuresDigest: null,
        });
      },
      { connection, prefix: bullPrefixFor(this.prefix), concurrency: 20 },
    );
    worker.on('error', () => undefined);
    const handle: TestWorker = {
      runs,
      close: async () => {
        await worker.close();
        await closeRedis(connection);
      },
    };
    this.workers.push(handle);
    return handle;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.queues.close();
    const keys = await this.redis.keys(`${this.prefix}:*`);
    if (keys.length > 0) await this.redis.del(keys);
    await closeRedis(this.redis);
  }
}

describe('ScoringQueues', () => {
  const harnesses: Harness[] = [];
  const harness = () => {
    const h = new Harness();
    harnesses.push(h);
    return h;
  };

  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });

  it('enqueues the jobs of many subjects in one call per model queue', async () => {
    const h = harness();
    const serials = [...Array.from({ length: 30 }, (_, i) => `GWM2611180${String(i).padStart(5, '0')}`), 'SN:42/ä b~%'];
    const payloads = [...serials.map((serial) => board(serial)), order('100234'), order('ORD-2'), board(serials[0]!)];
    const addBulk = jest.spyOn(Queue.prototype, 'addBulk');

    const before = await h.queues.requestScores(payloads, { budgetMs: 300 });

    expect(addBulk).toHaveBeenCalledTimes(2);
    addBulk.mockRestore();
    expect(before.size).toBe(33);
    expect([...before.values()].every((outcome) => outcome.status === 'pending')).toBe(true);
    const depths = await h.queues.depths();
    expect(depths['spi-defect-risk']).toEqual({ waiting: 31, active: 0, delayed: 0, failed: 0 });
    expect(depths['yield-predictor']).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0 });

    h.startWorker('spi-defect-risk');
    h.startWorker('yield-predictor');
    const after = await h.queues.requestScores(payloads, { budgetMs: 10_000 });

    expect([...after.values()].every((outcome) => outcome.status === 'completed')).toBe(true);
    expect(after.has(jobIdFor(board('SN:42/ä b~%')))).toBe(true);
    const insights = await h.store.getLatest('spi-defect-risk', 'board', serials, '1.0.0');
    expect(insights.size).toBe(31);
  });

  it('creates one job when two requests ask for the same subject at once', async () => {
    const h = harness();
    const worker = h.startWorker('spi-defect-risk', { delayMs: 300 });
    const payload = board('GWM261118000001');

    const [first, second] = await Promise.all([
      h.queues.requestScores([payload], { budgetMs: 5000 }),
      h.queues.requestScores([{ ...payload, reason: 'event', correlationId: 'evt-1' }], { budgetMs: 5000 }),
    ]);

    const jobId = jobIdFor(payload);
    expect(first.get(jobId)).toEqual({ status: 'completed' });
    expect(second.get(jobId)).toEqual({ status: 'completed' });
    expect(worker.runs.get(jobId)).toBe(1);
  });

  it('answers pending when scoring exceeds the budget, and the job still completes afterwards', async () => {
    const h = harness();
    const worker = h.startWorker('spi-defect-risk', { delayMs: 800 });
    const payload = board('GWM261118000002');
    const jobId = jobIdFor(payload);

    const started = Date.now();
    const first = await h.queues.requestScores([payload], { budgetMs: 200 });

    expect(first.get(jobId)).toEqual({ status: 'pending' });
    expect(Date.now() - started).toBeLessThan(700);
    const later = await h.queues.requestScores([payload], { budgetMs: 5000 });
    expect(later.get(jobId)).toEqual({ status: 'completed' });
    expect(worker.runs.get(jobId)).toBe(1);
    expect((await h.store.getLatest('spi-defect-risk', 'board', ['GWM261118000002'])).has('GWM261118000002')).toBe(true);
  });

  it('reports a permanent failure with its reason, without retries, and does not rerun it at once', async () => {
    const h = harness();
    const worker = h.startWorker('spi-defect-risk', { fail: () => new UnrecoverableError('board has no SPI measurements') });
    const payload = board('GWM261118000003');
    const jobId = jobIdFor(payload);

    const outcomes = await h.queues.requestScores([payload], { budgetMs: 5000 });

    expect(outcomes.get(jobId)).toEqual({ status: 'failed', reason: 'board has no SPI measurements' });
    const again = await h.queues.requestScores([payload], { budgetMs: 5000 });
    expect(again.get(jobId)).toEqual({ status: 'failed', reason: 'board has no SPI measurements' });
    expect(worker.runs.get(jobId)).toBe(1);
    expect((await h.queues.depths())['spi-defect-risk'].failed).toBe(1);
  });

  it('retries a transient failure with back-off and answers completed when a retry succeeds', async () => {
    const h = harness();
    let calls = 0;
    const worker = h.startWorker('yield-predictor', {
      fail: () => (++calls === 1 ? new Error('Opcenter timed out') : undefined),
    });
    const payload = order('ORD-7');
    const jobId = jobIdFor(payload);

    const outcomes = await h.queues.requestScores([payload], { budgetMs: 5000 });

    expect(outcomes.get(jobId)).toEqual({ status: 'completed' });
    expect(worker.runs.get(jobId)).toBe(2);
  });

  it('runs again a job that completed before the request when its insight is missing', async () => {
    const h = harness();
    const worker = h.startWorker('spi-defect-risk');
    const payload = board('GWM261118000004');
    const jobId = jobIdFor(payload);
    await h.queues.requestScores([payload], { budgetMs: 5000 });
    await h.redis.del(h.store.latestKey('spi-defect-risk', 'board', 'GWM261118000004'));

    const outcomes = await h.queues.requestScores([payload], { budgetMs: 5000 });

    expect(outcomes.get(jobId)).toEqual({ status: 'completed' });
    expect(worker.runs.get(jobId)).toBe(2);
    expect((await h.store.getLatest('spi-defect-risk', 'board', ['GWM261118000004'])).size).toBe(1);
  });

  it('scores a subject again for a new model version', async () => {
    const h = harness();
    const worker = h.startWorker('spi-defect-risk');

    await h.queues.requestScores([board('GWM261118000005', '1.0.0')], { budgetMs: 5000 });
    const outcomes = await h.queues.requestScores([board('GWM261118000005', '1.1.0')], { budgetMs: 5000 });

    expect(outcomes.get(jobIdFor(board('GWM261118000005', '1.1.0')))).toEqual({ status: 'completed' });
    expect(worker.runs.size).toBe(2);
    const latest = await h.store.getLatest('spi-defect-risk', 'board', ['GWM261118000005'], '1.1.0');
    expect(latest.get('GWM261118000005')?.modelVersion).toBe('1.1.0');
  });

  it('refuses a payload that breaks the contract before touching Redis', async () => {
    const h = harness();

    await expect(h.queues.requestScores([board('')], { budgetMs: 100 })).rejects.toMatchObject({
      code: 'INVALID_JOB_PAYLOAD',
      field: 'serialNumber',
    });
    expect(await h.queues.requestScores([], { budgetMs: 100 })).toEqual(new Map());
  });
});
