/**
 * `npm run worker`: one scoring worker process, with `/healthz` and `/metrics` (Prometheus) on
 * WORKER_METRICS_PORT. SIGTERM or SIGINT finishes the jobs in flight, then exits; a worker killed
 * outright loses nothing: BullMQ hands its jobs to another worker once their lock expires.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopOnSignals } from '../scripts/stop-on-signals';
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
  log(`ready: queues spi-defect-risk, yield-predictor, opcenter-events; metrics on http://${config.metrics.host}:${(server.address() as AddressInfo).port}/metrics`);

  stopOnSignals(
    log,
    () => {
      server.close();
      return worker.stop();
    },
    { what: 'finishing jobs in flight' },
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
