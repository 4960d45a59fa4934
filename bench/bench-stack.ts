import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ProcessSupervisor, type ProcessSpec } from '../scripts/process-supervisor';
import { freePorts } from '../scripts/free-ports';

const DIST = join(__dirname, '..');
const SUPERGRAPH_PATH = join(DIST, '..', 'schema', 'supergraph.graphql');
const SUBGRAPHS = ['execution', 'quality', 'test', 'genealogy'] as const;
/** The fixed end of the plant's history, so every run serves the same data. */
const END_TIME = '2026-11-20T06:00:00Z';

/** The processes the gateway benchmark measures, run from the built `dist/` on free ports. */
export interface BenchStack {
  /** `/graphql` of the gateway under test (Hive Gateway runtime, Rust planner). */
  gatewayUrl: string;
  /** `/graphql` of stock `@apollo/gateway` over the same supergraph and subgraphs. */
  apolloGatewayUrl: string;
  /** `/graphql` of each subgraph. */
  subgraphUrls: Record<(typeof SUBGRAPHS)[number], string>;
  /** The secret the subgraphs verify the identity header with. */
  signingSecret: string;
  /** Lines the processes printed, for diagnosing a failure. */
  logs: string[];
  /** Processes that exited on their own, as `label (code)`. */
  exited: string[];
  /** The process id of each running process, by label (`emulator`, `execution`, …, `gateway`, `apollo-gateway`). */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts the emulator (small plant, seed 42, no live production), the four subgraphs, the gateway
 * (LOG_LEVEL=warn, default limits) and `@apollo/gateway` (bench/apollo-gateway-server.ts).
 */
export async function startBenchStack(): Promise<BenchStack> {
  const [emulatorPort, gatewayPort, apolloPort, ...subgraphPorts] = await freePorts(3 + SUBGRAPHS.length);
  const signingSecret = randomBytes(24).toString('base64url');
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const specs: ProcessSpec[] = [
    {
      label: 'emulator',
      entry: join(DIST, 'opcenter/emulator/main.js'),
      env: { EMULATOR_PORT: String(emulatorPort), SIM_RATE: '0', SIM_SEED: '42', SIM_SCALE: 'small', SIM_END_TIME: END_TIME },
      healthUrl: `${emulatorUrl}/emulator/health`,
    },
  ];
  const gatewayEnv: Record<string, string> = { GATEWAY_SIGNING_SECRET: signingSecret, SUPERGRAPH_PATH, LOG_LEVEL: 'warn' };
  const subgraphUrls = {} as BenchStack['subgraphUrls'];
  SUBGRAPHS.forEach((name, i) => {
    const port = subgraphPorts[i] as number;
    specs.push({
      label: name,
      entry: join(DIST, `subgraphs/${name}/main.js`),
      env: { [`${name.toUpperCase()}_PORT`]: String(port), OPCENTER_URL: emulatorUrl, GATEWAY_SIGNING_SECRET: signingSecret },
      healthUrl: `http://127.0.0.1:${port}/healthz`,
    });
    subgraphUrls[name] = `http://127.0.0.1:${port}/graphql`;
    gatewayEnv[`${name.toUpperCase()}_URL`] = subgraphUrls[name];
  });
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  specs.push(
    { label: 'gateway', entry: join(DIST, 'gateway/main.js'), env: { ...gatewayEnv, GATEWAY_PORT: String(gatewayPort) }, healthUrl: `${gatewayUrl}/readyz` },
    { label: 'apollo-gateway', entry: join(DIST, 'bench/apollo-gateway-server.js'), env: { ...gatewayEnv, GATEWAY_PORT: String(apolloPort) } },
  );

  const logs: string[] = [];
  const exited: string[] = [];
  const supervisor = new ProcessSupervisor(specs, (label, code) => exited.push(`${label} (${code})`), (line) => logs.push(line));
  supervisor.start();
  const apolloGatewayUrl = `http://127.0.0.1:${apolloPort}/graphql`;
  try {
    await supervisor.waitUntilHealthy(90_000);
    await waitForGraphQL(apolloGatewayUrl, 60_000);
  } catch (error) {
    await supervisor.stop();
    throw new Error(`${(error as Error).message}\n${logs.slice(-40).join('\n')}`);
  }
  return { gatewayUrl: `${gatewayUrl}/graphql`, apolloGatewayUrl, subgraphUrls, signingSecret, logs, exited, pids: () => supervisor.pids(), stop: () => supervisor.stop() };
}

/** Waits until a GraphQL server answers `{ __typename }` (Apollo's standalone server has no health path). */
async function waitForGraphQL(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer { __typename } within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
