/**
 * `npm run worker`: one scoring worker process, with `/healthz` and `/metrics` (Prometheus) on
 * WORKER_METRICS_PORT. SIGTERM or SIGINT finishes the jobs in flight, then exits; a worker killed
 * outright loses nothing: BullMQ hands its jobs to another worker once their lock expires.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWorkerConfig } from './config';
import { ScoringWorker, type WorkerStatus } from './scoring-worker';

function log(message: string): void {
  console.log(`${new Date().toISOString()} worker: ${message}`);
}

/** Prometheus text of a worker's status. */
export function workerMetrics(status: WorkerStatus): string {
  const lines = [
    '# HELP oig_worker_model_info Model served by this worker, with its version and execution provider.',
    '# TYPE oig_worker_model_info gauge',
    ...status.models.map((m) => `oig_worker_model_info{model="${m.name}",version="${m.version}",provider="${m.provider}"} 1`),
    '# HELP oig_worker_jobs_total Scoring jobs finished by this worker, by outcome.',
    '# TYPE oig_worker_jobs_total counter',
    `oig_worker_jobs_total{outcome="completed"} ${status.completed}`,
    `oig_worker_jobs_total{outcome="failed"} ${status.failed}`,
    '# HELP oig_worker_inference_batches_total Model runs (micro-batches) by model.',
    '# TYPE oig_worker_inference_batches_total counter',
    ...Object.entries(status.inference).map(([model, s]) => `oig_worker_inference_batches_total{model="${model}"} ${s.batches}`),
    '# HELP oig_worker_inference_rows_total Rows scored by model.',
    '# TYPE oig_worker_inference_rows_total counter',
    ...Object.entries(status.inference).map(([model, s]) => `oig_worker_inference_rows_total{model="${model}"} ${s.rows}`),
    '# HELP oig_worker_inference_last_batch_rows Rows of the last model run by model.',
    '# TYPE oig_worker_inference_last_batch_rows gauge',
    ...Object.entries(status.inference).map(([model, s]) => `oig_worker_inference_last_batch_rows{model="${model}"} ${s.lastBatchRows}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const worker = await ScoringWorker.start(config, log);
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', ...worker.status() }));
    } else if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(workerMetrics(worker.status()));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(config.metrics.port, config.metrics.host, resolve));
  log(`ready: queues spi-defect-risk, yield-predictor; metrics on http://${config.metrics.host}:${(server.address() as AddressInfo).port}/metrics`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing jobs in flight`);
    server.close();
    worker.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
