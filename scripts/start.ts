import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { issueDevToken } from '../auth';
import { DEV_CREDENTIALS } from '../opcenter/emulator/config';
import { SUBGRAPH_PORTS } from '../subgraphs/shared/config';
import { closeRedis, createRedis, deleteKeysUnder } from '../insights/redis';
import { loadStartConfig } from './config';
import { ProcessSupervisor, type ProcessSpec } from './process-supervisor';

const SAMPLE_QUERY =
  '{ productionOrders(first: 1, filter: { status: "Completed" }) { nodes { id status productId predictedYield { status value lower upper } spiSummary { failRate } boards(first: 3) { nodes { serialNumber status defectRisk { status score level } spiInspections { result failedPadCount } testRuns { testType result } } } } } }';

/** `npm start`: the whole stack with one labelled log; Ctrl-C stops every process. */
async function main(): Promise<void> {
  const config = loadStartConfig();
  const dist = join(__dirname, '..');
  const emulatorUrl = `http://127.0.0.1:${config.emulatorPort}`;
  const opcenterUrl = config.opcenterUrl ?? emulatorUrl;
  const gatewayUrl = `http://127.0.0.1:${config.gatewayPort}`;
  // A fresh secret per run: only the processes started here can sign or verify identities.
  const signingSecret = randomBytes(32).toString('base64url');
  const ingestUrl = `http://127.0.0.1:${config.ingestPort}`;
  const ingestSecret = config.ingestSecret ?? randomBytes(32).toString('base64url');
  // The emulator builds a fresh plant at every start, reusing serial numbers, inspection and test run
  // ids: insights, alerts and event ids kept in Redis from an earlier run would be taken for this one's.
  // So an emulator run gets its own key prefix (unless one is set) and removes its keys when it stops.
  const keyPrefix = config.redisKeyPrefix ?? (config.opcenterUrl ? undefined : `oig-emulator-${Date.now().toString(36)}`);
  const ownsPrefix = keyPrefix !== undefined && config.redisKeyPrefix === undefined;
  const prefixEnv: Record<string, string> = keyPrefix ? { REDIS_KEY_PREFIX: keyPrefix } : {};
  const specs: ProcessSpec[] = [];
  if (!config.opcenterUrl) {
    specs.push({
      label: 'emulator',
      entry: join(dist, 'opcenter/emulator/main.js'),
      // The live simulator's events go to ingest, signed with the secret ingest checks.
      env: { EMULATOR_PORT: String(config.emulatorPort), EMULATOR_EVENT_SUBSCRIBERS: `${ingestUrl}/events`, EMULATOR_EVENT_SECRET: ingestSecret },
      healthUrl: `${emulatorUrl}/emulator/health`,
    });
  }
  specs.push({
    label: 'ingest',
    entry: join(dist, 'ingest/main.js'),
    env: { INGEST_PORT: String(config.ingestPort), INGEST_SECRET: ingestSecret, ...prefixEnv },
    healthUrl: `${ingestUrl}/healthz`,
  });
  for (const [name, port] of Object.entries(SUBGRAPH_PORTS)) {
    specs.push({
      label: name,
      entry: join(dist, `subgraphs/${name}/main.js`),
      env: { OPCENTER_URL: opcenterUrl, GATEWAY_SIGNING_SECRET: signingSecret, ...prefixEnv },
      healthUrl: `http://127.0.0.1:${port}/healthz`,
    });
  }
  specs.push({
    label: 'worker',
    entry: join(dist, 'workers/main.js'),
    env: { OPCENTER_URL: opcenterUrl, WORKER_METRICS_PORT: String(config.workerPort), ...prefixEnv },
    healthUrl: `http://127.0.0.1:${config.workerPort}/healthz`,
  });
  specs.push({
    label: 'gateway',
    entry: join(dist, 'gateway/main.js'),
    env: { GATEWAY_PORT: String(config.gatewayPort), GATEWAY_SIGNING_SECRET: signingSecret },
    healthUrl: `${gatewayUrl}/readyz`,
  });

  const stopAll = async (): Promise<void> => {
    await supervisor.stop();
    if (ownsPrefix && keyPrefix) {
      const removed = await deleteKeys(config.redisUrl, keyPrefix).catch((error: Error) => {
        supervisor.log(`could not remove the Redis keys under ${keyPrefix}: ${error.message}`);
        return 0;
      });
      supervisor.log(`removed ${removed} Redis keys under ${keyPrefix}`);
    }
  };
  const supervisor = new ProcessSupervisor(specs, (label, code) => {
    supervisor.log(`${label} exited (code ${code}); stopping everything`);
    void stopAll().then(() => process.exit(1));
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    supervisor.log('stopping…');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  supervisor.start();
  try {
    await supervisor.waitUntilHealthy(config.startTimeoutMs);
  } catch (error) {
    supervisor.log(`${(error as Error).message}; stopping everything`);
    await stopAll();
    process.exit(1);
  }
  if (stopping) return;
  const token = await issueDevToken({ user: 'dashboard-dev', roles: ['QUALITY_ENGINEER'] });
  supervisor.log('ready');
  supervisor.log(`GraphQL gateway: ${gatewayUrl}/graphql (GraphiQL in a browser; graphql-ws on the same path)`);
  supervisor.log(`development token (QUALITY_ENGINEER; others: npm run --silent token -- --role AGENT):`);
  supervisor.log(`  ${token}`);
  supervisor.log('sample query:');
  supervisor.log(
    `  curl -s ${gatewayUrl}/graphql -H 'content-type: application/json' -H "Authorization: Bearer ${token}" -d '${JSON.stringify({ query: SAMPLE_QUERY })}'`,
  );
  supervisor.log(`live alerts: npm run alerts  (events in at ${ingestUrl}/events)`);
  if (keyPrefix) supervisor.log(`Redis keys under ${keyPrefix} (more workers: REDIS_KEY_PREFIX=${keyPrefix} npm run worker)`);
  supervisor.log(`Opcenter ${config.opcenterUrl ? '' : '(emulator) '}at ${opcenterUrl}`);
  if (!config.opcenterUrl) {
    supervisor.log(
      `  credentials: client ${DEV_CREDENTIALS.clientId} / ${DEV_CREDENTIALS.clientSecret}, user ${DEV_CREDENTIALS.username} / ${DEV_CREDENTIALS.password}`,
    );
  }
  supervisor.log('Ctrl-C stops everything');
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});

/** Removes the run's keys; answers how many. */
async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = createRedis(redisUrl);
  try {
    return await deleteKeysUnder(redis, prefix);
  } finally {
    await closeRedis(redis);
  }
}
