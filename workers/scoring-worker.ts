/**
 * One worker process: a BullMQ worker per model queue, each model's ONNX session in its own
 * inference thread, micro-batched scoring, the insight store and the audit outbox. Any number of
 * these run against one Redis and one Opcenter.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AlertStream } from '../insights/alert-stream';
import { AuditOutbox } from '../insights/audit-outbox';
import { EVENT_QUEUE } from '../insights/event-queue';
import { parseOpcenterEvent } from '../insights/events';
import { InsightStore } from '../insights/insight-store';
import { bullPrefixFor, MODEL_QUEUES } from '../insights/jobs';
import { closeRedis, createRedis } from '../insights/redis';
import { publishWorkerHeartbeat, removeWorkerHeartbeat } from '../insights/worker-registry';
import { readModelCard } from '../models/model-card';
import type { SpiEvaluation } from '../models/eval/spi-evaluation';
import type { YieldEvaluation } from '../models/eval/yield-evaluation';
import { createOpcenterClient } from '../opcenter/client';
import type { WorkerConfig } from './config';
import { InferenceThread } from './inference/inference-thread-client';
import { createEventActions } from './events/event-actions';
import { createScoringProcessor } from './scoring-processor';
import { SpiBoardScorer } from './scoring/spi-board-scorer';
import { YieldIntervalStateStore } from './scoring/yield-interval-state';
import { YieldOrderScorer } from './scoring/yield-order-scorer';
import { WorkerMetrics } from './worker-metrics';
import type { QueueDepth } from '../insights/scoring-queue';

/** What a running worker reports (for /metrics and logs). */
export interface WorkerStatus {
  readonly models: readonly { name: string; version: string; provider: string }[];
  readonly completed: number;
  readonly failed: number;
  /** Jobs finished by queue and outcome. */
  readonly jobs: Readonly<Record<string, { completed: number; failed: number }>>;
  readonly inference: Readonly<Record<string, { batches: number; requests: number; rows: number; lastBatchRows: number }>>;
  /** Stencil layouts of spi-defect-risk: cached now, and read from Opcenter so far (for prints scored from event measurements). */
  readonly spiLayouts: { cached: number; reads: number };
}

/** How often a worker refreshes its heartbeat (which lives 15 s), ms. */
const HEARTBEAT_INTERVAL_MS = 5000;

/** A running worker process's parts; `stop()` finishes in-flight jobs first. */
export class ScoringWorker {
  private readonly jobs: Record<string, { completed: number; failed: number }> = {};
  private readonly workerId = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastBeat: Promise<void> = Promise.resolve();

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly threads: readonly InferenceThread[],
    private readonly outbox: AuditOutbox,
    /** Every Redis client this worker opened (BullMQ leaves clients it was given open). */
    private readonly connections: readonly Redis[],
    private readonly scorers: { spi: SpiBoardScorer; yield: YieldOrderScorer },
    /** The insight store's client and key prefix, where the heartbeat goes. */
    private readonly registry: { redis: Redis; keyPrefix: string; log: (message: string) => void },
    private readonly metrics: WorkerMetrics,
    /** The queues served, read for their depth when metrics are scraped. */
    private readonly queues: readonly Queue[],
  ) {
    for (const worker of workers) {
      const counts = (this.jobs[worker.name] = { completed: 0, failed: 0 });
      const finished = (outcome: 'completed' | 'failed', job: { timestamp: number; finishedOn?: number } | undefined) => {
        counts[outcome]++;
        if (job) this.metrics.observeJob(worker.name, outcome, Math.max(0, (job.finishedOn ?? Date.now()) - job.timestamp) / 1000);
      };
      worker.on('completed', (job) => finished('completed', job));
      worker.on('failed', (job) => finished('failed', job));
    }
  }

  /** Loads both models, connects, and starts taking jobs. */
  static async start(config: WorkerConfig, log: (message: string) => void = console.log): Promise<ScoringWorker> {
    const started = await Promise.all(
      (['spi-defect-risk', 'yield-predictor'] as const).map((name) => InferenceThread.start(name, { providers: config.providers, chunkRows: config.inferenceChunkRows })),
    );
    for (const { thread, warnings } of started) {
      for (const warning of warnings) log(warning);
      log(`${thread.modelName} ${thread.version} loaded on ${thread.provider}`);
    }
    const [spiThread, yieldThread] = started.map((s) => s.thread) as [InferenceThread, InferenceThread];
    const opcenter = createOpcenterClient(config.opcenter);
    const spiCard = readModelCard('spi-defect-risk');
    const metrics = new WorkerMetrics();
    const timed =
      (thread: InferenceThread) =>
      async (values: Float32Array, width: number): Promise<Record<string, Float32Array>> => {
        const started = performance.now();
        const outputs = await thread.run(values, width);
        metrics.observeInference(thread.modelName, values.length / width, (performance.now() - started) / 1000);
        return outputs;
      };
    const batch = { maxRows: config.batch.maxRows, maxWaitMs: config.batch.maxWaitMs };
    const redis = createRedis(config.insights.redisUrl);
    // The served interval adapts as the card measured it: its step size, scope and starting states.
    const adaptive = (readModelCard('yield-predictor').metrics as YieldEvaluation).adaptiveInterval;
    const intervalStates = new YieldIntervalStateStore(redis, {
      keyPrefix: config.insights.keyPrefix,
      modelVersion: yieldThread.version,
      settings: { gamma: adaptive.gamma, alpha: adaptive.alpha },
      initialStates: adaptive.initialStates,
    });
    const scorers = {
      spi: new SpiBoardScorer(opcenter, timed(spiThread), {
        highThreshold: (spiCard.metrics as SpiEvaluation).thresholds.board,
        infer: batch,
      }),
      yield: new YieldOrderScorer(opcenter, timed(yieldThread), { infer: batch, interval: { scope: adaptive.scope, states: intervalStates } }),
    };
    const store = new InsightStore(redis, { keyPrefix: config.insights.keyPrefix, historySize: config.insights.historySize });
    const outbox = new AuditOutbox(redis, opcenter, { keyPrefix: config.insights.keyPrefix, leaseMs: config.outboxLeaseMs });
    outbox.start();
    const versions = { 'spi-defect-risk': spiThread.version, 'yield-predictor': yieldThread.version };
    const process = createScoringProcessor({ spi: scorers.spi, yield: scorers.yield, versions, store, outbox });
    const actOn = createEventActions({
      score: (job) =>
        process(job).catch((error: unknown) => {
          // Bad input: the processor stored a FAILED insight, which the action reads; nothing to retry.
          if (!(error instanceof UnrecoverableError)) throw error;
        }),
      store,
      yieldInterval: intervalStates,
      versions,
      opcenter,
      redis,
      keyPrefix: config.insights.keyPrefix,
      alerts: new AlertStream({
        redis,
        keyPrefix: config.insights.keyPrefix,
        maxLength: config.insights.alertStreamMaxLength,
        maxAgeMs: config.insights.alertStreamMaxAgeMs,
      }),
      outbox,
      ncThreshold: config.ncRiskThreshold ?? (spiCard.metrics as SpiEvaluation).thresholds.board,
      yieldRefreshIntervalMs: config.yieldRefreshIntervalMs,
    });
    const processors: Record<string, (data: unknown, jobId?: string) => Promise<unknown>> = {
      ...Object.fromEntries(Object.values(MODEL_QUEUES).map((queue) => [queue, process])),
      [EVENT_QUEUE]: async (data) => {
        let event;
        try {
          event = parseOpcenterEvent(data);
        } catch (error) {
          throw new UnrecoverableError((error as Error).message);
        }
        return actOn(event);
      },
    };
    const connections: Redis[] = [];
    const workers = Object.entries(processors).map(
      ([queue, processor]) =>
        new Worker(queue, (job) => processor(job.data, job.id), {
          connection: connections[connections.push(createRedis(config.insights.redisUrl, { forBullMq: true })) - 1] as Redis,
          prefix: bullPrefixFor(config.insights.keyPrefix),
          concurrency: config.concurrency,
          lockDuration: config.lockMs,
          // Look for jobs whose worker died at the lock's pace, so they are taken up about lockMs later.
          stalledInterval: config.lockMs,
        }),
    );
    for (const worker of workers) worker.on('error', (error) => log(`queue ${worker.name}: ${error.message}`));
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    const queues = Object.keys(processors).map((queue) => new Queue(queue, { connection: redis, prefix: bullPrefixFor(config.insights.keyPrefix) }));
    const worker = new ScoringWorker(
      workers,
      [spiThread, yieldThread],
      outbox,
      [redis, ...connections],
      scorers,
      { redis, keyPrefix: config.insights.keyPrefix, log },
      metrics,
      queues,
    );
    await worker.beat();
    worker.heartbeatTimer = setInterval(() => void worker.beat(), HEARTBEAT_INTERVAL_MS).unref();
    return worker;
  }

  status(): WorkerStatus {
    return {
      models: this.threads.map((t) => ({ name: t.modelName, version: t.version, provider: t.provider })),
      completed: Object.values(this.jobs).reduce((n, j) => n + j.completed, 0),
      failed: Object.values(this.jobs).reduce((n, j) => n + j.failed, 0),
      jobs: structuredClone(this.jobs),
      inference: { 'spi-defect-risk': this.scorers.spi.inferenceStats, 'yield-predictor': this.scorers.yield.inferenceStats },
      spiLayouts: this.scorers.spi.layoutStats,
    };
  }

  /** The Prometheus exposition: status, histograms, and queue depths read from Redis now. */
  async metricsText(): Promise<string> {
    let queues: Record<string, QueueDepth> | undefined;
    try {
      const counts = await Promise.all(this.queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'failed')));
      queues = Object.fromEntries(
        this.queues.map((q, i) => {
          const c = counts[i] ?? {};
          return [q.name, { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 }];
        }),
      );
    } catch (error) {
      this.registry.log(`metrics: queue depths unreadable: ${(error as Error).message}`);
    }
    return this.metrics.render({ ...this.status(), ...(queues ? { queues } : {}) });
  }

  /** Publishes this worker's heartbeat for `Query.aiStatus`; a failure is logged, the next beat retries. */
  private beat(): Promise<void> {
    const { redis, keyPrefix, log } = this.registry;
    const heartbeat = { workerId: this.workerId, host: hostname(), pid: process.pid, models: [...this.status().models], startedAt: this.startedAt };
    this.lastBeat = publishWorkerHeartbeat(redis, keyPrefix, heartbeat).catch((error: Error) => log(`heartbeat: ${error.message}`));
    return this.lastBeat;
  }

  /** Stops taking jobs, finishes the ones in flight, drains nothing more, and closes everything. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.queues.map((q) => q.close()));
    await this.lastBeat;
    const { redis, keyPrefix, log } = this.registry;
    await removeWorkerHeartbeat(redis, keyPrefix, this.workerId).catch((error: Error) => log(`heartbeat: ${error.message}`));
    await this.outbox.stop();
    await Promise.all(this.threads.map((t) => t.close()));
    await Promise.all(this.connections.map((c) => closeRedis(c)));
  }
}
