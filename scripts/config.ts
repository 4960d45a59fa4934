import { z } from 'zod';

const schema = z.object({
  /** A real Opcenter's base URL; when set, `npm start` runs no emulator. Default unset. */
  OPCENTER_URL: z.url().optional(),
  /** Port of the emulator that `npm start` runs. Default 4100. */
  EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4100),
  /** Port of the gateway. Default 4000. */
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  /** Port of the worker's /healthz and /metrics. Default 4020. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).default(4020),
  /** Port of ingest (`POST /events`), where the emulator posts its events. Default 4010. */
  INGEST_PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  /**
   * Shared secret that signs the events the emulator posts to ingest. Default: a fresh random one per
   * run (set it when a real Opcenter, configured with the same secret, posts to ingest).
   */
  INGEST_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Key prefix of the stack's Redis keys. Default: `oig` with a real Opcenter; with the emulator, a fresh
   * `oig-emulator-<time>` per run, removed on stop (the emulator's new plant reuses ids of the last one).
   */
  REDIS_KEY_PREFIX: z.string().optional(),
  /** Redis of the stack (see insights/config.ts). Default `redis://127.0.0.1:6379`. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Seconds to wait for each process to answer its health check. Default 120. */
  START_TIMEOUT_S: z.coerce.number().int().min(1).default(120),
});

/** Configuration of the `npm start` supervisor. */
export interface StartConfig {
  opcenterUrl?: string;
  emulatorPort: number;
  gatewayPort: number;
  workerPort: number;
  ingestPort: number;
  ingestSecret?: string;
  /** Set only when the environment sets it. */
  redisKeyPrefix?: string;
  redisUrl: string;
  startTimeoutMs: number;
}

/** Reads and validates the supervisor's environment once. */
export function loadStartConfig(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return {
    opcenterUrl: parsed.data.OPCENTER_URL,
    emulatorPort: parsed.data.EMULATOR_PORT,
    gatewayPort: parsed.data.GATEWAY_PORT,
    workerPort: parsed.data.WORKER_METRICS_PORT,
    ingestPort: parsed.data.INGEST_PORT,
    ...(parsed.data.INGEST_SECRET ? { ingestSecret: parsed.data.INGEST_SECRET } : {}),
    ...(parsed.data.REDIS_KEY_PREFIX ? { redisKeyPrefix: parsed.data.REDIS_KEY_PREFIX } : {}),
    redisUrl: parsed.data.REDIS_URL,
    startTimeoutMs: parsed.data.START_TIMEOUT_S * 1000,
  };
}
