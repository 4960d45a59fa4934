/**
 * `npm run ingest`: the ingest process. Receives Opcenter events on `POST /events`, puts each on the
 * `opcenter-events` queue once, and answers 202 when it is durable. SIGTERM or SIGINT stops taking
 * requests, answers those in flight, closes Redis and exits.
 */
import { EVENT_QUEUE, EventQueue } from '../insights/event-queue';
import { stopOnSignals } from '../scripts/stop-on-signals';
import { loadIngestConfig } from './config';
import { startIngestServer } from './ingest-server';

/** Longest a stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

function log(message: string): void {
  console.log(`${new Date().toISOString()} ingest: ${message}`);
}

async function main(): Promise<void> {
  const config = loadIngestConfig();
  const { redisUrl, keyPrefix, eventDedupTtlSeconds } = config.insights;
  const events = new EventQueue({ redisUrl, keyPrefix, dedupTtlSeconds: eventDedupTtlSeconds });
  const server = await startIngestServer({ ...config, events, log }).catch(async (error: unknown) => {
    await events.close();
    throw error;
  });
  const auth = config.secret ? 'signed or bearer events' : 'UNSIGNED events (INGEST_ALLOW_UNSIGNED=true; development only)';
  log(`ready: POST ${server.url}/events accepts ${auth} into queue ${EVENT_QUEUE} (Redis prefix ${keyPrefix})`);

  stopOnSignals(log, () => server.close().finally(() => events.close()), { timeoutMs: STOP_TIMEOUT_MS });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`ingest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
