import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { issueDevToken, type Role } from '../../auth';
import { loadInsightsConfig } from '../../insights/config';
import { closeRedis, createRedis, deleteKeysUnder } from '../../insights/redis';
import { ProcessSupervisor, type ProcessSpec } from '../../scripts/process-supervisor';
import { TEST_END_TIME } from './test-emulator';
import { freePorts } from '../../scripts/free-ports';

const DIST = join(__dirname, '..', '..', 'dist');
const SUBGRAPHS = ['execution', 'quality', 'test', 'genealogy'] as const;

/** The whole stack run from the built `dist/` (as `npm start` runs it), on free ports. */
export interface TestStack {
  gatewayUrl: string;
  /** Every gateway's base URL, `gatewayUrl` first (see {@link TestStackOptions.gateways}). */
  gatewayUrls: string[];
  /** Base URL of the worker's `/healthz` and `/metrics`. */
  workerUrl: string;
  /** Base URL of the ingest process (`POST /events`), when started with `ingest: true`. */
  ingestUrl?: string;
  /** `INGEST_SECRET` of the ingest process (HMAC key and bearer token), when started with `ingest: true`. */
  ingestSecret?: string;
  emulatorUrl: string;
  /** Lines the processes printed, for diagnosing a failure. */
  logs: string[];
  /** `REDIS_KEY_PREFIX` of this stack's queues, insights and alert stream in the shared Redis. */
  keyPrefix: string;
  /** Sends a GraphQL request through the gateway as a user with this role. */
  query(query: string, variables?: Record<string, unknown>, role?: Role): Promise<{ status: number; body: GraphQLBody }>;
  stopProcess(label: string): Promise<void>;
  /** Starts a process stopped with `stopProcess` again, with the same environment and port, and waits until it is healthy. */
  restartProcess(label: string): Promise<void>;
  stop(): Promise<void>;
}

/** Options of {@link startTestStack}. */
export interface TestStackOptions {
  /** `AI_BUDGET_MS` of the subgraphs. Default: the subgraphs' default. */
  aiBudgetMs?: number;
  /** Extra environment variables of the gateway (e.g. `GATEWAY_WS_MAX_BUFFERED_ALERTS`). */
  gatewayEnv?: Record<string, string>;
  /** Extra environment variables of the worker (e.g. `NC_RISK_THRESHOLD`). */
  workerEnv?: Record<string, string>;
  /** Also start the ingest process (`dist/ingest/main.js`, label `ingest`) with a generated `INGEST_SECRET`. Default false. */
  ingest?: boolean;
  /**
   * Gateway processes to start. Each one beyond the first routes to its own quality subgraph process
   * (labels `gateway-2` and `quality-2`, and so on), so its subscriptions take a path of their own;
   * the other subgraphs are shared. Default 1.
   */
  gateways?: number;
}

/** A GraphQL response body. */
export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * Starts the emulator (small plant, seed 42, no live production), the four subgraphs, a scoring worker
 * and the gateway; with options, also ingest and more gateways (each with its own quality subgraph).
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  if (!existsSync(join(DIST, 'gateway/main.js'))) {
    throw new Error('The end-to-end stack runs the built processes: run `npm run build` first (npm test does).');
  }
  const replicas = options.gateways ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`gateways must be a positive integer; got ${replicas}.`);
  const [emulatorPort, gatewayPort, workerPort, ...otherPorts] = await freePorts(3 + SUBGRAPHS.length + 2 * (replicas - 1) + (options.ingest ? 1 : 0));
  const subgraphPorts = otherPorts.slice(0, SUBGRAPHS.length);
  const replicaPorts = otherPorts.slice(SUBGRAPHS.length, SUBGRAPHS.length + 2 * (replicas - 1));
  const ingestPort = otherPorts[SUBGRAPHS.length + 2 * (replicas - 1)];
  // Each stack has its own queues and insights in the shared Redis.
  const ai = { REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}`, ...(options.aiBudgetMs !== undefined ? { AI_BUDGET_MS: String(options.aiBudgetMs) } : {}) };
  const secret = randomBytes(24).toString('base64url');
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const specs: ProcessSpec[] = [
    {
      label: 'emulator',
      entry: join(DIST, 'opcenter/emulator/main.js'),
      env: { EMULATOR_PORT: String(emulatorPort), SIM_RATE: '0', SIM_SEED: '42', SIM_SCALE: 'small', SIM_END_TIME: TEST_END_TIME },
      healthUrl: `${emulatorUrl}/emulator/health`,
    },
  ];
  const gatewayEnv: Record<string, string> = { GATEWAY_PORT: String(gatewayPort), GATEWAY_SIGNING_SECRET: secret, LOG_LEVEL: 'warn', ...options.gatewayEnv };
  SUBGRAPHS.forEach((name, i) => {
    const port = subgraphPorts[i] as number;
    specs.push({
      label: name,
      entry: join(DIST, `subgraphs/${name}/main.js`),
      env: { [`${name.toUpperCase()}_PORT`]: String(port), OPCENTER_URL: emulatorUrl, GATEWAY_SIGNING_SECRET: secret, ...ai },
      healthUrl: `http://127.0.0.1:${port}/healthz`,
    });
    gatewayEnv[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
  });
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  specs.push({
    label: 'worker',
    entry: join(DIST, 'workers/main.js'),
    env: { OPCENTER_URL: emulatorUrl, WORKER_METRICS_PORT: String(workerPort), ...ai, ...options.workerEnv },
    healthUrl: `${workerUrl}/healthz`,
  });
  const ingestSecret = options.ingest ? randomBytes(32).toString('hex') : undefined;
  const ingestUrl = ingestPort !== undefined ? `http://127.0.0.1:${ingestPort}` : undefined;
  if (ingestSecret && ingestUrl) {
    specs.push({
      label: 'ingest',
      entry: join(DIST, 'ingest/main.js'),
      env: { INGEST_PORT: String(ingestPort), INGEST_SECRET: ingestSecret, REDIS_KEY_PREFIX: ai.REDIS_KEY_PREFIX },
      healthUrl: `${ingestUrl}/readyz`,
    });
  }
  specs.push({ label: 'gateway', entry: join(DIST, 'gateway/main.js'), env: gatewayEnv, healthUrl: `${gatewayUrl}/readyz` });
  const gatewayUrls = [gatewayUrl];
  for (let replica = 2; replica <= replicas; replica += 1) {
    const [qualityPort, replicaGatewayPort] = replicaPorts.slice(2 * (replica - 2), 2 * (replica - 1)) as [number, number];
    const replicaGatewayUrl = `http://127.0.0.1:${replicaGatewayPort}`;
    specs.push({
      label: `quality-${replica}`,
      entry: join(DIST, 'subgraphs/quality/main.js'),
      env: { QUALITY_PORT: String(qualityPort), OPCENTER_URL: emulatorUrl, GATEWAY_SIGNING_SECRET: secret, ...ai },
      healthUrl: `http://127.0.0.1:${qualityPort}/healthz`,
    });
    specs.push({
      label: `gateway-${replica}`,
      entry: join(DIST, 'gateway/main.js'),
      env: { ...gatewayEnv, GATEWAY_PORT: String(replicaGatewayPort), QUALITY_URL: `http://127.0.0.1:${qualityPort}/graphql` },
      healthUrl: `${replicaGatewayUrl}/readyz`,
    });
    gatewayUrls.push(replicaGatewayUrl);
  }

  const logs: string[] = [];
  const supervisor = new ProcessSupervisor(specs, (label, code) => logs.push(`${label} exited unexpectedly (${code})`), (line) => logs.push(line));
  supervisor.start();
  try {
    await supervisor.waitUntilHealthy(60_000);
  } catch (error) {
    await supervisor.stop();
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
  }
  const tokens = new Map<Role, string>();
  const restarted: ProcessSupervisor[] = [];
  return {
    gatewayUrl,
    gatewayUrls,
    workerUrl,
    ...(ingestUrl && ingestSecret ? { ingestUrl, ingestSecret } : {}),
    emulatorUrl,
    logs,
    keyPrefix: ai.REDIS_KEY_PREFIX,
    async query(query, variables, role = 'QUALITY_ENGINEER') {
      let token = tokens.get(role);
      if (!token) {
        token = await issueDevToken({ user: `e2e-${role.toLowerCase()}`, roles: [role] });
        tokens.set(role, token);
      }
      const response = await fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody };
    },
    async stopProcess(label) {
      await supervisor.stopOne(label);
      for (const again of restarted) await again.stopOne(label);
    },
    async restartProcess(label) {
      const spec = specs.find((candidate) => candidate.label === label);
      if (!spec) throw new Error(`No process labelled ${label} in the test stack.`);
      const again = new ProcessSupervisor([spec], (name, code) => logs.push(`${name} exited unexpectedly (${code})`), (line) => logs.push(line));
      restarted.push(again);
      again.start();
      await again.waitUntilHealthy(60_000);
    },
    stop: async () => {
      await Promise.all(restarted.map((again) => again.stop()));
      await supervisor.stop();
      // The stack's insights, queues and alerts: nothing of a test run stays in Redis.
      const redis = createRedis(loadInsightsConfig().redisUrl);
      try {
        await deleteKeysUnder(redis, ai.REDIS_KEY_PREFIX);
      } finally {
        await closeRedis(redis);
      }
    },
  };
}
