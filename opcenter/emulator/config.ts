import { z } from 'zod';

/** Development credentials of the emulator (DESIGN.md's contracts table). Never used for a real Opcenter. */
export const DEV_CREDENTIALS = {
  clientId: 'insight-graph',
  clientSecret: 'insight-graph-secret',
  username: 'ai-service',
  password: 'ai-service',
} as const;

const schema = z.object({
  /** Interface the emulator binds. Default 127.0.0.1. */
  EMULATOR_HOST: z.string().default('127.0.0.1'),
  /** Port of the emulator. Default 4100. */
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  /** Simulator seed: the same seed gives the same plant. Default 42. */
  SIM_SEED: z.coerce.number().int().default(42),
  /** Plant size: small (tests), medium, large (100,000+ boards). Default small. */
  SIM_SCALE: z.enum(['small', 'medium', 'large']).default('small'),
  /** Live production rate in boards per second; 0 turns live mode off. Default 1. */
  SIM_RATE: z.coerce.number().min(0).max(1000).default(1),
  /** When the simulated history ends and live production starts (ISO 8601). Default: now, to the minute. */
  SIM_END_TIME: z.iso.datetime().optional(),
  /** Comma-separated URLs that receive the emulator's events as JSON POSTs. Default none. */
  EMULATOR_EVENT_SUBSCRIBERS: z.string().default(''),
  /** Shared secret for the `X-Opcenter-Signature` HMAC on posted events. Default none (unsigned). */
  EMULATOR_EVENT_SECRET: z.string().optional(),
  /** Largest page the emulator serves before it pages with @odata.nextLink. Default 1000. */
  EMULATOR_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(100000).default(1000),
  /** Lifetime of issued access tokens in seconds. Default 3600. */
  EMULATOR_TOKEN_TTL_S: z.coerce.number().int().min(1).default(3600),
  /** OAuth client accepted by the token endpoint. Defaults: the development credentials. */
  OPCENTER_CLIENT_ID: z.string().default(DEV_CREDENTIALS.clientId),
  OPCENTER_CLIENT_SECRET: z.string().default(DEV_CREDENTIALS.clientSecret),
  /** The service user accepted by the token endpoint. Defaults: the development credentials. */
  OPCENTER_USERNAME: z.string().default(DEV_CREDENTIALS.username),
  OPCENTER_PASSWORD: z.string().default(DEV_CREDENTIALS.password),
});

/** The emulator process's configuration, validated once at start. */
export interface EmulatorConfig {
  host: string;
  port: number;
  seed: number;
  scale: 'small' | 'medium' | 'large';
  rate: number;
  endTime: string;
  subscribers: string[];
  eventSecret?: string;
  maxPageSize: number;
  tokenTtlSeconds: number;
  clients: Array<{ id: string; secret: string }>;
  users: Array<{ username: string; password: string }>;
}

/** Reads and validates the emulator's environment; throws a message naming each bad variable. */
export function loadEmulatorConfig(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid emulator configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const minuteStart = new Date();
  minuteStart.setUTCSeconds(0, 0);
  return {
    host: e.EMULATOR_HOST,
    port: e.EMULATOR_PORT,
    seed: e.SIM_SEED,
    scale: e.SIM_SCALE,
    rate: e.SIM_RATE,
    endTime: e.SIM_END_TIME ?? minuteStart.toISOString(),
    subscribers: e.EMULATOR_EVENT_SUBSCRIBERS.split(',').map((url) => url.trim()).filter(Boolean),
    eventSecret: e.EMULATOR_EVENT_SECRET,
    maxPageSize: e.EMULATOR_MAX_PAGE_SIZE,
    tokenTtlSeconds: e.EMULATOR_TOKEN_TTL_S,
    clients: [{ id: e.OPCENTER_CLIENT_ID, secret: e.OPCENTER_CLIENT_SECRET }],
    users: [{ username: e.OPCENTER_USERNAME, password: e.OPCENTER_PASSWORD }],
  };
}
