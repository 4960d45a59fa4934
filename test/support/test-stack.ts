import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { issueDevToken, type Role } from '../../auth';
import { ProcessSupervisor, type ProcessSpec } from '../../scripts/process-supervisor';
import { TEST_END_TIME } from './test-emulator';
import { freePorts } from '../../scripts/free-ports';

const DIST = join(__dirname, '..', '..', 'dist');
const SUBGRAPHS = ['execution', 'quality', 'test', 'genealogy'] as const;

/** The whole stack run from the built `dist/` (as `npm start` runs it), on free ports. */
export interface TestStack {
  gatewayUrl: string;
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
}

/** A GraphQL response body. */
export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Starts the emulator (small plant, seed 42, no live production), the four subgraphs, a scoring worker and the gateway. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  if (!existsSync(join(DIST, 'gateway/main.js'))) {
    throw new Error('The end-to-end stack runs the built processes: run `npm run build` first (npm test does).');
  }
  const [emulatorPort, gatewayPort, workerPort, ...subgraphPorts] = await freePorts(3 + SUBGRAPHS.length);
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
  specs.push({
    label: 'worker',
    entry: join(DIST, 'workers/main.js'),
    env: { OPCENTER_URL: emulatorUrl, WORKER_METRICS_PORT: String(workerPort), ...ai },
    healthUrl: `http://127.0.0.1:${workerPort}/healthz`,
  });
  specs.push({ label: 'gateway', entry: join(DIST, 'gateway/main.js'), env: gatewayEnv, healthUrl: `${gatewayUrl}/readyz` });

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
    },
  };
}
