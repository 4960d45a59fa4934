import { z } from 'zod';

/** The environment a benchmark's child process runs with: this process's, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Configuration of the stock `@apollo/gateway` server that the gateway benchmark compares against. */
export interface ApolloGatewayServerConfig {
  port: number;
  /** Path of the composed supergraph SDL. */
  supergraphPath: string;
  /** Secret the identity header is signed with (the subgraphs' `GATEWAY_SIGNING_SECRET`). */
  signingSecret: string;
  /** Subgraph URL overrides by subgraph name; a subgraph without one keeps the supergraph's URL. */
  subgraphUrls: Record<string, string>;
}

const apolloSchema = z.object({
  /** Port of `/` (Apollo's standalone server answers GraphQL on every path). Required. */
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535),
  /** Required: the benchmark passes the supergraph the gateway under test uses. */
  SUPERGRAPH_PATH: z.string().min(1),
  /** Required: the secret the benchmark's subgraphs verify. */
  GATEWAY_SIGNING_SECRET: z.string().min(16),
  /** Per-subgraph URLs, the same variables the gateway reads; default: the supergraph's URLs. */
  EXECUTION_URL: z.url().optional(),
  QUALITY_URL: z.url().optional(),
  TEST_URL: z.url().optional(),
  GENEALOGY_URL: z.url().optional(),
});

/** Reads the `@apollo/gateway` benchmark server's environment (the gateway's own variable names). */
export function loadApolloGatewayServerConfig(env: NodeJS.ProcessEnv = process.env): ApolloGatewayServerConfig {
  const parsed = apolloSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid @apollo/gateway benchmark server configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const urls: Record<string, string | undefined> = { execution: e.EXECUTION_URL, quality: e.QUALITY_URL, test: e.TEST_URL, genealogy: e.GENEALOGY_URL };
  return {
    port: e.GATEWAY_PORT,
    supergraphPath: e.SUPERGRAPH_PATH,
    signingSecret: e.GATEWAY_SIGNING_SECRET,
    subgraphUrls: Object.fromEntries(Object.entries(urls).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  };
}
