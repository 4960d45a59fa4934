import { z } from 'zod';
import { DEV_CREDENTIALS } from '../../opcenter/emulator/config';

/** The subgraphs and their default ports (DESIGN.md's contracts table). */
export const SUBGRAPH_PORTS = { execution: 4001, quality: 4002, test: 4003, genealogy: 4004 } as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

/** The development secret gateway and subgraphs sign identities with when none is configured. */
export const DEV_GATEWAY_SECRET = 'insight-graph-gateway-development-secret';

const schema = z.object({
  /** Interface subgraphs bind. Default 127.0.0.1. */
  SUBGRAPH_HOST: z.string().default('127.0.0.1'),
  /** Opcenter base URL. Default: the emulator on 127.0.0.1:4100. */
  OPCENTER_URL: z.url().default('http://127.0.0.1:4100'),
  OPCENTER_CLIENT_ID: z.string().default(DEV_CREDENTIALS.clientId),
  OPCENTER_CLIENT_SECRET: z.string().default(DEV_CREDENTIALS.clientSecret),
  OPCENTER_USERNAME: z.string().default(DEV_CREDENTIALS.username),
  OPCENTER_PASSWORD: z.string().default(DEV_CREDENTIALS.password),
  /** Timeout of one Opcenter request in ms. Default 5,000. */
  OPCENTER_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Secret shared with the gateway to verify the caller's identity header. Default: the development secret. */
  GATEWAY_SIGNING_SECRET: z.string().min(16).default(DEV_GATEWAY_SECRET),
  NODE_ENV: z.string().default('development'),
});

/** One subgraph process's configuration. */
export interface SubgraphConfig {
  name: SubgraphName;
  host: string;
  port: number;
  opcenter: { baseUrl: string; clientId: string; clientSecret: string; username: string; password: string; timeoutMs: number };
  signingSecret: string;
}

/** Reads and validates a subgraph's environment once; `<NAME>_PORT` overrides its port. */
export function loadSubgraphConfig(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const parsed = schema.safeParse(env);
  const portVariable = `${name.toUpperCase()}_PORT`;
  const port = z.coerce.number().int().min(0).max(65535).default(SUBGRAPH_PORTS[name]).safeParse(env[portVariable]);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...(port.success ? [] : [`${portVariable}: must be a port number`]),
  ];
  if (!parsed.success || !port.success) throw new Error(`Invalid ${name} subgraph configuration:\n  ${problems.join('\n  ')}`);
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.GATEWAY_SIGNING_SECRET === DEV_GATEWAY_SECRET) {
    throw new Error('GATEWAY_SIGNING_SECRET must be set in production (the development secret is public).');
  }
  return {
    name,
    host: e.SUBGRAPH_HOST,
    port: port.data,
    opcenter: {
      baseUrl: e.OPCENTER_URL.replace(/\/+$/, ''),
      clientId: e.OPCENTER_CLIENT_ID,
      clientSecret: e.OPCENTER_CLIENT_SECRET,
      username: e.OPCENTER_USERNAME,
      password: e.OPCENTER_PASSWORD,
      timeoutMs: e.OPCENTER_TIMEOUT_MS,
    },
    signingSecret: e.GATEWAY_SIGNING_SECRET,
  };
}
