import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { issueDevToken } from '../auth';
import { DEV_GATEWAY_SECRET } from '../subgraphs/shared/config';
import { ProcessSupervisor } from '../scripts/process-supervisor';
import type { Benchmark, BenchRow } from './bench.types';
import type { FixtureSubgraphsReady } from './fixture-subgraphs-child';
import { graphqlHeaders, graphqlRequests, hasGraphQLErrors, postGraphQL } from './graphql-load';
import { runLoad, type LoadResult } from './load';
import { freePorts } from '../scripts/free-ports';

const DIST = join(__dirname, '..');
const CONNECTIONS = [20, 100] as const;
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
const TARGET_RPS_RATIO = 1.3;

/** `order` lives in `execution`; `defectCount` comes from `quality` through the `Order` entity. */
const QUERIES = [
  { name: 'single-subgraph', text: 'query ($id: ID!) { order(id: $id) { id product } }' },
  { name: 'cross-subgraph', text: 'query ($id: ID!) { order(id: $id) { id product defectCount } }' },
] as const;
type QueryName = (typeof QUERIES)[number]['name'];
type TargetName = 'gateway' | '@apollo/gateway';

interface Measurement {
  target: TargetName;
  query: QueryName;
  connections: number;
  result: LoadResult;
}

/**
 * Gateway cost alone: this gateway and stock `@apollo/gateway` over the gateway tests' two trivial
 * subgraphs (answers built in memory, one child process), so the subgraphs take little of the CPU.
 */
export const gatewayOverheadBenchmark: Benchmark = {
  name: 'gateway-overhead',
  description: `this gateway vs @apollo/gateway over two trivial in-memory subgraphs, ${CONNECTIONS.join(' and ')} connections, ${MEASURE_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up`,
  async run(log) {
    log('starting the fixture subgraphs, the gateway and @apollo/gateway…');
    const subgraphs = spawn(process.execPath, [join(DIST, 'bench/fixture-subgraphs-child.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const logs: string[] = [];
    const exited: string[] = [];
    let supervisor: ProcessSupervisor | undefined;
    try {
      const [line]: unknown[] = await Promise.race([once(createInterface({ input: subgraphs.stdout }), 'line'), once(subgraphs, 'exit')]);
      if (typeof line !== 'string') throw new Error('the fixture subgraphs exited before listening');
      const ready = JSON.parse(line) as FixtureSubgraphsReady;
      const [gatewayPort, apolloPort] = await freePorts(2);
      const env: Record<string, string> = {
        SUPERGRAPH_PATH: ready.supergraphPath,
        GATEWAY_SIGNING_SECRET: DEV_GATEWAY_SECRET,
        LOG_LEVEL: 'warn',
        EXECUTION_URL: ready.subgraphs.execution ?? '',
        QUALITY_URL: ready.subgraphs.quality ?? '',
      };
      const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
      // `/healthz`, not `/readyz`: readiness also probes the test and genealogy subgraphs, absent here.
      supervisor = new ProcessSupervisor(
        [
          { label: 'gateway', entry: join(DIST, 'gateway/main.js'), env: { ...env, GATEWAY_PORT: String(gatewayPort) }, healthUrl: `${gatewayUrl}/healthz` },
          { label: 'apollo-gateway', entry: join(DIST, 'bench/apollo-gateway-server.js'), env: { ...env, GATEWAY_PORT: String(apolloPort) } },
        ],
        (label, code) => exited.push(`${label} (${code})`),
        (text) => logs.push(text),
      );
      supervisor.start();
      const headers = graphqlHeaders({ authorization: `Bearer ${await issueDevToken({ user: 'bench', roles: ['ADMIN'] })}` });
      const targets: { name: TargetName; url: string }[] = [
        { name: 'gateway', url: `${gatewayUrl}/graphql` },
        { name: '@apollo/gateway', url: `http://127.0.0.1:${apolloPort}/graphql` },
      ];
      try {
        await supervisor.waitUntilHealthy(60_000);
        for (const target of targets) await waitForAnswer(target.url, headers, 60_000);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${logs.slice(-40).join('\n')}`);
      }
      for (const query of QUERIES) {
        const answers = await Promise.all(targets.map(async (t) => JSON.stringify((await postGraphQL(t.url, headers, query.text, { id: '7' })).data)));
        if (answers[0] !== answers[1]) throw new Error(`${query.name}: the gateways answer differently: ${answers.join(' vs ')}`);
      }

      // Both processes start cold; without this the first case measures this gateway's JIT warm-up.
      for (const query of QUERIES) {
        for (const target of targets) {
          await runLoad({ concurrency: CONNECTIONS[0], headers, durationMs: WARMUP_MS, nextRequest: graphqlRequests(target.url, () => query.text, (i) => ({ id: String(i) })) });
        }
      }
      const measurements: Measurement[] = [];
      for (const query of QUERIES) {
        for (const connections of CONNECTIONS) {
          for (const target of targets) {
            // Every request asks for another order id: no response cache or in-flight deduplication helps.
            const load = { concurrency: connections, headers, isFailure: hasGraphQLErrors, nextRequest: graphqlRequests(target.url, () => query.text, (i) => ({ id: String(i) })) };
            await runLoad({ ...load, durationMs: WARMUP_MS });
            const result = await runLoad({ ...load, durationMs: MEASURE_MS });
            log(`${query.name}, ${connections} connections, ${target.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms${result.errors ? `, ${result.errors} errors (${result.firstFailure ?? ''})` : ''}`);
            if (exited.length > 0) throw new Error(`${exited.join(', ')} exited during the run:\n${logs.slice(-40).join('\n')}`);
            measurements.push({ target: target.name, query: query.name, connections, result });
          }
        }
      }
      return summarize(measurements);
    } finally {
      await supervisor?.stop();
      subgraphs.kill('SIGTERM');
    }
  },
};

function summarize(measurements: readonly Measurement[]): { rows: BenchRow[]; notes: string[]; ratios: unknown } {
  const rows: BenchRow[] = measurements.map((m) => ({
    target: m.target,
    connections: m.connections,
    query: m.query,
    'req/s': m.result.rps,
    'p50 ms': m.result.p50Ms,
    'p99 ms': m.result.p99Ms,
    errors: m.result.errors,
  }));
  const cases = QUERIES.flatMap((query) =>
    CONNECTIONS.flatMap((connections) => {
      const of = (target: TargetName) => measurements.find((m) => m.target === target && m.query === query.name && m.connections === connections);
      const gateway = of('gateway');
      const apollo = of('@apollo/gateway');
      if (!gateway || !apollo) return [];
      const ratio = gateway.result.rps / apollo.result.rps;
      return [{ query: query.name, connections, gatewayRps: gateway.result.rps, apolloGatewayRps: apollo.result.rps, ratio, met: ratio >= TARGET_RPS_RATIO }];
    }),
  );
  const errors = measurements.reduce((sum, m) => sum + m.result.errors, 0);
  return {
    rows,
    ratios: { description: '(this gateway req/s) / (@apollo/gateway req/s)', target: `>= ${TARGET_RPS_RATIO}`, valid: errors === 0, cases },
    notes: [
      ...cases.map(
        (c) => `req/s ratio, ${c.query} at ${c.connections} connections: ${c.ratio.toFixed(2)} (gateway ${c.gatewayRps.toFixed(0)} / @apollo/gateway ${c.apolloGatewayRps.toFixed(0)}; target ≥ ${TARGET_RPS_RATIO}: ${c.met ? 'met' : 'NOT met'})`,
      ),
      errors === 0 ? 'valid run: no request failed' : `INVALID run: ${errors} requests failed`,
      'subgraphs: gateway/gateway.fixture.ts (execution: Order.id/product; quality: Order.defectCount), answers built in memory, both in one child process; the order id varies per request',
      'the load generator, both gateways and the subgraphs share this machine\'s cores; the gateways are measured one at a time',
    ],
  };
}

/** Waits until a gateway answers a query with data (Apollo's standalone server has no health path). */
async function waitForAnswer(url: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await postGraphQL(url, headers, '{ qualityStatus }');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
