import { z } from 'zod';
import { loadInsightsConfig, type InsightsConfig } from '../insights/config';
import { opcenterConnectionVariables, toOpcenterConnection, type OpcenterConnection } from '../opcenter/client/connection-config';

const schema = z.object({
  ...opcenterConnectionVariables,
  /** Execution providers in order of preference, comma-separated. Default `cpu`. */
  ORT_EXECUTION_PROVIDERS: z.string().default('cpu'),
  /** Jobs one worker process runs at once per queue (they share model runs). Default 64. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** Most pad or order rows in one model run. Default 65,536. */
  BATCH_MAX_ROWS: z.coerce.number().int().min(1).default(65_536),
  /**
   * Most rows in one ONNX run: a batch of more is run in chunks of this many. Default 2,048 on the
   * CPU provider (cache-sized runs are faster there), the whole batch on a GPU.
   */
  INFERENCE_CHUNK_ROWS: z.coerce.number().int().min(1).optional(),
  /** How long the first job of a batch waits for others, ms. Default 10. */
  BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(10),
  /**
   * How long a job's lock lasts without renewal, ms: a worker that dies (SIGKILL, power) has its
   * jobs taken up by another worker about this long after. Default 30,000.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** Port of the worker's /metrics and /healthz (0: any free port). Default 4020. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(4020),
  WORKER_HOST: z.string().default('127.0.0.1'),
  /**
   * How long an audit outbox drainer holds the entries it is writing to Opcenter, ms: entries of a
   * drainer that died are written by another this long after. Longer than Opcenter's slowest write.
   * Default 60,000.
   */
  AUDIT_OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /**
   * Board defect risk (0 to 1) at and above which an SPI event makes the AI draft a nonconformance
   * and raise a DEFECT_RISK alert. Default: the spi-defect-risk card's board operating threshold.
   */
  NC_RISK_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  /**
   * Shortest time between two refreshes of one order's yield prediction by its boards' AOI and test
   * events, ms (an order's completion always refreshes it). Default 10,000.
   */
  YIELD_REFRESH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
});

/** A worker process's configuration. */
export interface WorkerConfig {
  opcenter: OpcenterConnection;
  /** Redis, key prefix and insight history (shared with the resolvers). */
  insights: InsightsConfig;
  providers: string[];
  concurrency: number;
  batch: { maxRows: number; maxWaitMs: number };
  /** Rows per ONNX run; undefined: the provider's default (2,048 on the CPU). */
  inferenceChunkRows: number | undefined;
  lockMs: number;
  metrics: { host: string; port: number };
  outboxLeaseMs: number;
  /** Undefined: the model card's board operating threshold. */
  ncRiskThreshold: number | undefined;
  yieldRefreshIntervalMs: number;
}

/** Reads and validates the worker's environment once. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid worker configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  const e = parsed.data;
  const providers = e.ORT_EXECUTION_PROVIDERS.split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.length > 0);
  if (providers.length === 0) throw new Error('Invalid worker configuration:\n  ORT_EXECUTION_PROVIDERS: name at least one provider, e.g. cuda,cpu');
  return {
    opcenter: toOpcenterConnection(e),
    insights: loadInsightsConfig(env),
    providers,
    concurrency: e.WORKER_CONCURRENCY,
    batch: { maxRows: e.BATCH_MAX_ROWS, maxWaitMs: e.BATCH_MAX_WAIT_MS },
    inferenceChunkRows: e.INFERENCE_CHUNK_ROWS,
    lockMs: e.WORKER_LOCK_MS,
    metrics: { host: e.WORKER_HOST, port: e.WORKER_METRICS_PORT },
    outboxLeaseMs: e.AUDIT_OUTBOX_LEASE_MS,
    ncRiskThreshold: e.NC_RISK_THRESHOLD,
    yieldRefreshIntervalMs: e.YIELD_REFRESH_INTERVAL_MS,
  };
}
