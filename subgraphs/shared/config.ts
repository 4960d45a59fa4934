import { z } from 'zod';
import { opcenterConnectionVariables, toOpcenterConnection, type OpcenterConnection } from '../../opcenter/client/connection-config';

/** The subgraphs and their default ports (DESIGN.md's contracts table). */
export const SUBGRAPH_PORTS = { execution: 4001, quality: 4002, test: 4003, genealogy: 4004 } as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

/** The development secret gateway and subgraphs sign identities with when none is configured. */
export const DEV_GATEWAY_SECRET = 'insight-graph-gateway-development-secret';

const schema = z.object({
  /** Interface subgraphs bind. Default 127.0.0.1. */
  SUBGRAPH_HOST: z.string().default('127.0.0.1'),
  ...opcenterConnectionVariables,
  /** Secret shared with the gateway to verify the caller's identity header. Default: the development secret. */
  GATEWAY_SIGNING_SECRET: z.string().min(16).default(DEV_GATEWAY_SECRET),
  NODE_ENV: z.string().default('development'),
});

/** One subgraph process's configuration. */
export interface SubgraphConfig {
  name: SubgraphName;
  host: string;
  port: number;
  opcenter: OpcenterConnection;
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
    opcenter: toOpcenterConnection(e),
    signingSecret: e.GATEWAY_SIGNING_SECRET,
  };
}
