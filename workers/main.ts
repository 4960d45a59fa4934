/**
 * `npm run worker`: one scoring worker process, with `/healthz` and `/metrics` (Prometheus) on
 * WORKER_METRICS_PORT. SIGTERM or SIGINT finishes the jobs in flight, then exits; a worker killed
 * outright loses nothing: BullMQ hands its jobs to another worker once their lock expires.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWorkerConfig } from './config';
import { ScoringWorker } from './scoring-worker';

function log(message: string): void {
  console.log(`${new Date().toISOString()} worker: ${message}`);
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const worker = await ScoringWorker.start(config, log);
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', ...worker.status() }));
    } else if (req.url === '/metrics') {
      void worker.metricsText().then((text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text));
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
