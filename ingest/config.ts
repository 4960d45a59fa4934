import { z } from 'zod';
import { loadInsightsConfig, type InsightsConfig } from '../insights/config';
import { InvalidIngestConfigError } from './errors';

/** Configuration of the ingest process (`POST /events`). */
export interface IngestConfig {
  /** Interface the server binds. Default `127.0.0.1`. */
  host: string;
  /** Port of the server; 0 picks a free one. Default 4010. */
  port: number;
  /**
   * Shared secret of the event sender: the key of `X-Opcenter-Signature` (HMAC-SHA256 of the body)
   * and the token of `Authorization: Bearer`. Required unless `allowUnsigned`.
   */
  secret?: string;
  /** Accept events that carry no credentials (development only). Default false. */
  allowUnsigned: boolean;
  /** Largest request body in bytes; a larger one is refused with 413. Default 1 MiB. */
  maxBodyBytes: number;
  /** Redis URL, key prefix and event dedup TTL, shared with the rest of the insights layer. */
  insights: InsightsConfig;
}

const MIN_SECRET_LENGTH = 16;

const schema = z
  .object({
    /** Interface to bind; `0.0.0.0` exposes ingest beyond this machine. */
    INGEST_HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
    /** 0 to 65,535. */
    INGEST_PORT: z.coerce.number().int().min(0).max(65_535, 'must be a port from 0 to 65535').default(4010),
    /** At least 16 characters; no default: the start script generates one for emulator and ingest alike. */
    INGEST_SECRET: z
      .string()
      .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (generate one with: openssl rand -hex 32)`)
      .optional(),
    /** `true` or `false`. */
    INGEST_ALLOW_UNSIGNED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    /** 1 KiB to 64 MiB. */
    INGEST_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024, 'must be at least 1024 bytes')
      .max(64 * 1024 * 1024, 'must be at most 67108864 bytes (64 MiB)')
      .default(1024 * 1024),
  })
  .superRefine((e, ctx) => {
    if (e.INGEST_SECRET === undefined && e.INGEST_ALLOW_UNSIGNED === 'false') {
      ctx.addIssue({
        code: 'custom',
        path: ['INGEST_SECRET'],
        message:
          'required: set it to the secret the event sender signs with (the emulator takes the same value as EMULATOR_EVENT_SECRET), ' +
          'or set INGEST_ALLOW_UNSIGNED=true to accept unauthenticated events in development',
      });
    }
  });

type Variable = keyof z.input<typeof schema>;
const VARIABLES: Variable[] = ['INGEST_HOST', 'INGEST_PORT', 'INGEST_SECRET', 'INGEST_ALLOW_UNSIGNED', 'INGEST_MAX_BODY_BYTES'];

/**
 * Reads and validates the ingest process's environment once, with the insights layer's
 * (`REDIS_URL`, `REDIS_KEY_PREFIX`, `EVENT_DEDUP_TTL_HOURS`). An empty variable counts as unset.
 * @throws InvalidIngestConfigError naming each bad variable (never its value)
 * @throws InvalidInsightsConfigError for a bad insights variable
 */
export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const input = Object.fromEntries(VARIABLES.map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new InvalidIngestConfigError(variables, problems);
  }
  const e = parsed.data;
  return {
    host: e.INGEST_HOST,
    port: e.INGEST_PORT,
    ...(e.INGEST_SECRET !== undefined ? { secret: e.INGEST_SECRET } : {}),
    allowUnsigned: e.INGEST_ALLOW_UNSIGNED === 'true',
    maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
    insights: loadInsightsConfig(env),
  };
}
