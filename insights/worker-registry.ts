import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A model as one worker serves it. */
export interface WorkerModel {
  name: string;
  version: string;
  /** ONNX Runtime execution provider the model runs on, e.g. `cpu`, `cuda`. */
  provider: string;
}

/** What a running worker process says about itself, for `Query.aiStatus`. */
export interface WorkerHeartbeat {
  /** Random per process; a restarted worker is a new one. */
  workerId: string;
  host: string;
  pid: number;
  models: WorkerModel[];
  /** When the process started taking jobs, ISO 8601. */
  startedAt: string;
}

const heartbeatSchema = z.object({
  workerId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  models: z.array(z.object({ name: z.string(), version: z.string(), provider: z.string() })),
  startedAt: z.string(),
}) satisfies z.ZodType<WorkerHeartbeat>;

/** Options of {@link publishWorkerHeartbeat}. */
export interface PublishHeartbeatOptions {
  /** How long the heartbeat lives without a new one, ms. Default 15,000 (three missed 5 s beats). */
  ttlMs?: number;
}

/** `<keyPrefix>:worker:<workerId>`: one worker's heartbeat, JSON, with a TTL. */
export function workerHeartbeatKey(keyPrefix: string, workerId: string): string {
  return `${keyPrefix}:worker:${workerId}`;
}

/** Writes (or refreshes) a worker's heartbeat; it disappears `ttlMs` after the last one. */
export async function publishWorkerHeartbeat(
  redis: Redis,
  keyPrefix: string,
  heartbeat: WorkerHeartbeat,
  { ttlMs = 15_000 }: PublishHeartbeatOptions = {},
): Promise<void> {
  await redis.set(workerHeartbeatKey(keyPrefix, heartbeat.workerId), JSON.stringify(heartbeat), 'PX', ttlMs);
}

/** Removes a worker's heartbeat (on a clean stop), so it is not listed until its TTL runs out. */
export async function removeWorkerHeartbeat(redis: Redis, keyPrefix: string, workerId: string): Promise<void> {
  await redis.del(workerHeartbeatKey(keyPrefix, workerId));
}

/** The heartbeats of every live worker under `keyPrefix`, sorted by worker id; unreadable values are skipped. */
export async function readWorkerHeartbeats(redis: Redis, keyPrefix: string): Promise<WorkerHeartbeat[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(keyPrefix)}:worker:*`, 'COUNT', 500);
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  if (keys.size === 0) return [];
  // A key can expire between SCAN and MGET: its value is null and skipped.
  const values = await redis.mget([...keys]);
  return values
    .map(parseHeartbeat)
    .filter((heartbeat): heartbeat is WorkerHeartbeat => heartbeat !== undefined)
    .sort((a, b) => a.workerId.localeCompare(b.workerId));
}

function parseHeartbeat(text: string | null): WorkerHeartbeat | undefined {
  if (text === null) return undefined;
  try {
    const parsed = heartbeatSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// The key prefix may hold `{` and `}` (a Cluster hash tag) and, in principle, other glob characters.
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
