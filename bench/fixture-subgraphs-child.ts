import { startFixtureSubgraphs } from '../gateway/gateway.fixture';

/** What the child prints as its first stdout line once both fixture subgraphs listen. */
export interface FixtureSubgraphsReady {
  supergraphPath: string;
  /** `/graphql` URL by subgraph name (`execution`, `quality`). */
  subgraphs: Record<string, string>;
}

/**
 * Runs the gateway tests' two in-memory subgraphs (gateway/gateway.fixture.ts) in their own process for
 * `npm run bench -- gateway-overhead`, so they do not share the load generator's event loop.
 */
async function main(): Promise<void> {
  const fixture = await startFixtureSubgraphs();
  const ready: FixtureSubgraphsReady = { supergraphPath: fixture.config.supergraphPath, subgraphs: fixture.config.subgraphs };
  console.log(JSON.stringify(ready));
  const stop = () => process.exit(0);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
