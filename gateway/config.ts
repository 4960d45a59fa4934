import { z } from 'zod';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '../auth';
import { DEV_GATEWAY_SECRET, SUBGRAPH_PORTS, type SubgraphName } from '../subgraphs/shared/config';

/** How the gateway verifies callers' bearer tokens. */
export type GatewayAuthConfig =
  /** Development only: HS256 tokens from `npm run token` (auth/dev-issuer.ts). */
  | { kind: 'dev-secret'; secret: string; issuer: string; audience: string }
  /** A real issuer's JSON Web Key Set. */
  | { kind: 'jwks'; url: string; issuer?: string; audience?: string }
  /** A real issuer's public key (PEM, SPKI) and its algorithm. */
  | { kind: 'public-key'; pem: string; algorithm: string; issuer?: string; audience?: string };

/** Limits every operation must respect. */
export interface GatewayLimits {
  /** Deepest field nesting an operation may have (introspection fields not counted). Default 12. */
  maxDepth: number;
  /** Highest static cost an operation may have (see operation-limits.ts). Default 50,000: 100 boards with their order, lots and test runs fit; a runaway nested list does not. */
  maxCost: number;
  /** Largest `first` any field may ask for. Default 100. */
  maxPageSize: number;
  /** `first` assumed for a list or connection that does not say. Default 20. */
  defaultPageSize: number;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes: number;
  /** Time one subgraph request may take, in ms. Default 10,000. */
  upstreamTimeoutMs: number;
  /**
   * Subscription events (alerts) one graphql-ws client connection may have waiting to be sent; past it
   * the gateway closes the connection with 4429 and a reason saying which `after` to resume from. Default 1000.
   */
  maxBufferedAlerts: number;
}

/** The gateway process's configuration. */
export interface GatewayConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** GraphQL URL of each subgraph, by the name it has in the supergraph. */
  subgraphs: Record<string, string>;
  /** Secret the gateway signs the identity header with; subgraphs verify it. */
  signingSecret: string;
  auth: GatewayAuthConfig;
  limits: GatewayLimits;
  /** Serve GraphiQL on GET /graphql. */
  graphiql: boolean;
  /** Path of the composed supergraph SDL. */
  supergraphPath: string;
  /**
   * `rust`: Hive's Rust query planner (`@graphql-hive/router-runtime`); `javascript`: the runtime's
   * own planner. The Rust planner loads with a dynamic `import()`, which jest cannot run without
   * `--experimental-vm-modules`, so the unit tests use `javascript`.
   */
  queryPlanner: 'rust' | 'javascript';
  /** Runtime log level, or false for none. */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | false;
}

const int = (min: number) => z.coerce.number().int().min(min);

const schema = z.object({
  /** Interface the gateway binds. Default 127.0.0.1. */
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  /** Port of `/graphql`, `/healthz`, `/readyz` and `/metrics`. Default 4000. */
  GATEWAY_PORT: int(0).max(65535).default(4000),
  /** Per-subgraph URL overrides; defaults http://127.0.0.1:<port>/graphql with ports 4001-4004. */
  EXECUTION_URL: z.url().optional(),
  QUALITY_URL: z.url().optional(),
  TEST_URL: z.url().optional(),
  GENEALOGY_URL: z.url().optional(),
  /** Secret shared with the subgraphs for the identity header. Default: the development secret; required in production. */
  GATEWAY_SIGNING_SECRET: z.string().min(16).optional(),
  /** JWKS of the production token issuer. */
  JWT_JWKS_URL: z.url().optional(),
  /** PEM public key of the production token issuer (alternative to JWT_JWKS_URL). */
  JWT_PUBLIC_KEY: z.string().optional(),
  /** Algorithm of JWT_PUBLIC_KEY. Default RS256. */
  JWT_ALGORITHM: z.string().default('RS256'),
  /** Expected `iss`. Default: the development issuer when no production key is set, else not checked. */
  JWT_ISSUER: z.string().optional(),
  /** Expected `aud`. Default: the development audience when no production key is set, else not checked. */
  JWT_AUDIENCE: z.string().optional(),
  MAX_DEPTH: int(1).default(12),
  MAX_COST: int(1).default(50_000),
  MAX_PAGE_SIZE: int(1).default(100),
  MAX_BODY_BYTES: int(1024).default(1024 * 1024),
  UPSTREAM_TIMEOUT_MS: int(1).default(10_000),
  /** Events one graphql-ws connection may have waiting before it is closed as a slow consumer. Default 1000. */
  GATEWAY_WS_MAX_BUFFERED_ALERTS: int(1).default(1000),
  /** `true`/`false`; default on unless NODE_ENV=production. */
  GRAPHIQL: z.enum(['true', 'false']).optional(),
  /** Default schema/supergraph.graphql (relative to the working directory). */
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  /** rust or javascript. Default rust. */
  QUERY_PLANNER: z.enum(['rust', 'javascript']).default('rust'),
  /** debug, info, warn, error or silent. Default info. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

/** Reads and validates the gateway's environment once. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid gateway configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.GATEWAY_SIGNING_SECRET) {
    throw new Error('GATEWAY_SIGNING_SECRET must be set in production (the development secret is public).');
  }
  if (production && !e.JWT_JWKS_URL && !e.JWT_PUBLIC_KEY) {
    throw new Error('JWT_JWKS_URL or JWT_PUBLIC_KEY must be set in production (development tokens are forgeable).');
  }
  const overrides: Record<SubgraphName, string | undefined> = {
    execution: e.EXECUTION_URL,
    quality: e.QUALITY_URL,
    test: e.TEST_URL,
    genealogy: e.GENEALOGY_URL,
  };
  const subgraphs = Object.fromEntries(
    (Object.keys(SUBGRAPH_PORTS) as SubgraphName[]).map((name) => [
      name,
      overrides[name] ?? `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`,
    ]),
  );
  return {
    host: e.GATEWAY_HOST,
    port: e.GATEWAY_PORT,
    subgraphs,
    signingSecret: e.GATEWAY_SIGNING_SECRET ?? DEV_GATEWAY_SECRET,
    auth: toAuthConfig(e),
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxCost: e.MAX_COST,
      maxPageSize: e.MAX_PAGE_SIZE,
      defaultPageSize: 20,
      maxBodyBytes: e.MAX_BODY_BYTES,
      upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxBufferedAlerts: e.GATEWAY_WS_MAX_BUFFERED_ALERTS,
    },
    graphiql: e.GRAPHIQL ? e.GRAPHIQL === 'true' : !production,
    supergraphPath: e.SUPERGRAPH_PATH,
    queryPlanner: e.QUERY_PLANNER,
    logLevel: e.LOG_LEVEL === 'silent' ? false : e.LOG_LEVEL,
  };
}

function toAuthConfig(e: z.infer<typeof schema>): GatewayAuthConfig {
  if (e.JWT_JWKS_URL) return { kind: 'jwks', url: e.JWT_JWKS_URL, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE };
  if (e.JWT_PUBLIC_KEY) {
    return { kind: 'public-key', pem: e.JWT_PUBLIC_KEY, algorithm: e.JWT_ALGORITHM, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE };
  }
  return { kind: 'dev-secret', secret: DEV_JWT_SECRET, issuer: e.JWT_ISSUER ?? DEV_ISSUER, audience: e.JWT_AUDIENCE ?? DEV_AUDIENCE };
}
