import { z } from 'zod';
import { InvalidInsightsConfigError } from './errors';

/** Configuration shared by the producers (resolvers) and consumers (workers) of AI insights. */
export interface InsightsConfig {
  /** Redis that holds the queues, the insights and the alert stream. Default `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** First segment of every key this layer writes (insights and BullMQ queues). Default `oig`. */
  keyPrefix: string;
  /** How long, in ms, a resolver waits for a fresh score before answering `PENDING`. Default 1500. */
  aiBudgetMs: number;
  /** How many past insights are kept per model and subject. Default 20. */
  historySize: number;
  /** How long, in seconds, an ingested event id is remembered, so a replay of it is not queued again. Default 86,400 (24 h). */
  eventDedupTtlSeconds: number;
  /** Alerts the alert stream retains, approximately (Redis trims whole stream nodes). Default 100,000. */
  alertStreamMaxLength: number;
  /** How long, in ms, the alert stream retains an alert and its deduplication key, approximately. Default 72 h. */
  alertStreamMaxAgeMs: number;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  /** `redis://` or `rediss://` URL, optionally with user, password and database. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
  /** Letters, digits, `_`, `-`, `.`, `{` and `}` (a `{tag}` keeps keys in one Redis Cluster slot); no `:`. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]{1,64}$/, 'must be 1 to 64 letters, digits, _ - . { or }')
    .default('oig'),
  /** 0 to 60,000 ms; 0 enqueues and answers PENDING at once. */
  AI_BUDGET_MS: int(0, 60_000).default(1500),
  /** 1 to 1,000 insights per model and subject. */
  INSIGHT_HISTORY_SIZE: int(1, 1000).default(20),
  /** 1 to 720 hours (30 days): how long ingest remembers an event id. Longer than any sender's replay window. */
  EVENT_DEDUP_TTL_HOURS: int(1, 720).default(24),
  /** 100 to 10,000,000 alerts retained in the alert stream. */
  ALERT_STREAM_MAX_LENGTH: int(100, 10_000_000).default(100_000),
  /** 1 to 8,760 hours (a year): how long alerts stay readable (`after` older than that reads from the oldest kept). */
  ALERT_STREAM_MAX_AGE_HOURS: int(1, 8760).default(72),
});

type Variable = keyof z.input<typeof schema>;
const VARIABLES = Object.keys(schema.shape) as Variable[];

/** Reads and validates the insights layer's environment once. An empty variable counts as unset. */
export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env): InsightsConfig {
  const input = Object.fromEntries(VARIABLES.map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new InvalidInsightsConfigError(variables, problems);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    keyPrefix: e.REDIS_KEY_PREFIX,
    aiBudgetMs: e.AI_BUDGET_MS,
    historySize: e.INSIGHT_HISTORY_SIZE,
    eventDedupTtlSeconds: e.EVENT_DEDUP_TTL_HOURS * 3600,
    alertStreamMaxLength: e.ALERT_STREAM_MAX_LENGTH,
    alertStreamMaxAgeMs: e.ALERT_STREAM_MAX_AGE_HOURS * 3_600_000,
  };
}
