/**
 * A worker process's Prometheus metrics: the model and provider it serves, jobs by queue and
 * outcome, model runs (batch size and inference latency), job latency from enqueue to finish, and
 * the depth of every queue it serves (read from Redis when scraped, so any worker reports the
 * queue as a whole).
 */
import type { QueueDepth } from '../insights/scoring-queue';
import { Histogram, renderSamples, type Labels } from '../observability/prometheus';

/** What the process reports besides the histograms this class records. */
export interface WorkerMetricsSnapshot {
  readonly models: readonly { name: string; version: string; provider: string }[];
  /** Jobs finished by queue and outcome. */
  readonly jobs: Readonly<Record<string, { completed: number; failed: number }>>;
  readonly inference: Readonly<Record<string, { batches: number; rows: number; lastBatchRows: number }>>;
  /** Stencil layouts read from Opcenter to score prints from event measurements. */
  readonly spiLayouts?: { cached: number; reads: number };
  /** Depth of each queue this worker serves; absent when Redis could not be read. */
  readonly queues?: Readonly<Record<string, QueueDepth>>;
}

/** Rows per model run: one pad to well past the default batch limit. */
const BATCH_ROWS_BUCKETS = [1, 16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144];
/** Seconds of one model run. */
const INFERENCE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Seconds from a job's enqueue to its finish. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The histograms a worker records as it runs, and the exposition of everything. */
export class WorkerMetrics {
  private readonly batchRows = new Histogram('oig_worker_inference_batch_rows', 'Rows per model run (micro-batch), by model.', BATCH_ROWS_BUCKETS);
  private readonly inferenceSeconds = new Histogram('oig_worker_inference_duration_seconds', 'Time of one model run in the inference thread, by model.', INFERENCE_BUCKETS);
  private readonly jobSeconds = new Histogram(
    'oig_worker_job_duration_seconds',
    'Time from a job being enqueued to this worker finishing it, by queue and outcome.',
    JOB_BUCKETS,
  );

  /** Records one model run. */
  observeInference(model: string, rows: number, seconds: number): void {
    this.batchRows.observe({ model }, rows);
    this.inferenceSeconds.observe({ model }, seconds);
  }

  /** Records one finished job. */
  observeJob(queue: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobSeconds.observe({ queue, outcome }, seconds);
  }

  /** The Prometheus text exposition. */
  render(snapshot: WorkerMetricsSnapshot): string {
    const byModel = <K extends 'batches' | 'rows' | 'lastBatchRows'>(key: K): [Labels, number][] =>
      Object.entries(snapshot.inference).map(([model, s]) => [{ model }, s[key]]);
    const jobs = Object.entries(snapshot.jobs).flatMap(([queue, s]): [Labels, number][] => [
      [{ queue, outcome: 'completed' }, s.completed],
      [{ queue, outcome: 'failed' }, s.failed],
    ]);
    const depths = Object.entries(snapshot.queues ?? {}).flatMap(([queue, d]): [Labels, number][] =>
      (['waiting', 'active', 'delayed', 'failed'] as const).map((state) => [{ queue, state }, d[state]]),
    );
    const lines = [
      ...renderSamples(
        'oig_worker_model_info',
        'gauge',
        'Model served by this worker, with its version and execution provider.',
        snapshot.models.map((m) => [{ model: m.name, version: m.version, provider: m.provider }, 1]),
      ),
      ...renderSamples('oig_worker_jobs_total', 'counter', 'Jobs finished by this worker, by queue and outcome.', jobs),
      ...renderSamples('oig_worker_queue_jobs', 'gauge', 'Jobs in each queue this worker serves, by state (all workers of the queue).', depths),
      ...renderSamples('oig_worker_queue_up', 'gauge', 'Whether the queue depths could be read from Redis at this scrape.', [[{}, snapshot.queues ? 1 : 0]]),
      ...renderSamples('oig_worker_inference_batches_total', 'counter', 'Model runs (micro-batches) by model.', byModel('batches')),
      ...renderSamples('oig_worker_inference_rows_total', 'counter', 'Rows scored by model.', byModel('rows')),
      ...renderSamples('oig_worker_inference_last_batch_rows', 'gauge', 'Rows of the last model run by model.', byModel('lastBatchRows')),
      ...renderSamples('oig_worker_spi_layout_reads_total', 'counter', 'Stencil layouts read from Opcenter to score prints from their SPI event measurements.', [
        [{}, snapshot.spiLayouts?.reads ?? 0],
      ]),
      ...this.batchRows.render(),
      ...this.inferenceSeconds.render(),
      ...this.jobSeconds.render(),
    ];
    return `${lines.join('\n')}\n`;
  }
}
