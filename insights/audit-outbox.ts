import { createHash, randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import {
  OpcenterBadRequestError,
  OpcenterCommandFailedError,
  OpcenterError,
  OpcenterInvalidQueryError,
  OpcenterNotFoundError,
  OpcenterUnavailableError,
  type OpcenterClient,
} from '../opcenter/client';

/** What the AI layer did, as written to Opcenter's audit trail (`Action`). */
export type AuditAction = 'AI_INFERENCE' | 'AI_NONCONFORMANCE_CREATED' | 'AI_ALERT_RAISED' | 'AI_UNIT_HOLD';

/**
 * One audit trail entry for one AI inference or AI-driven action. The actor is not part of it:
 * Opcenter records the authenticated service user of the Opcenter client that writes it.
 */
export interface AuditEntry {
  /**
   * Stable identity of the entry, sent as Opcenter's `CorrelationId`: the same inference must always
   * get the same id (see `createAuditEntryId`, or use the job id). Enqueueing or writing an id twice
   * keeps one entry.
   */
  id: string;
  action: AuditAction;
  /** Opcenter entity type of the subject, e.g. `MaterialTrackingUnit`, `WorkOrder`, `NonConformance`. */
  subjectType: string;
  /** Business id (NId) of the subject, e.g. a serial number. */
  subjectId: string;
  /** Free text, or an object that is sent as JSON text. */
  details?: string | Readonly<Record<string, unknown>>;
  modelName: string;
  modelVersion: string;
  /** 0..1. */
  confidence?: number;
  /** Digest of the model's input features, so the inference can be reproduced. */
  inputDigest?: string;
  /** Time the inference took, in ms. */
  latencyMs?: number;
}

/** An entry Opcenter refused for good, kept with the reason so nothing is lost silently. */
export interface AuditDeadLetter {
  id: string;
  /** The entry as enqueued, or its raw text when it could not be read. */
  entry: AuditEntry | string;
  reason: string;
  /** The error's `code`, e.g. `OPCENTER_BAD_REQUEST`, `OPCENTER_COMMAND_FAILED`, `UNREADABLE_ENTRY`. */
  code: string;
  /** ISO 8601. */
  failedAt: string;
}

/** Entries by state. */
export interface AuditOutboxCounts {
  /** Waiting to be written. */
  queued: number;
  /** Claimed by a drainer and not yet acknowledged by Opcenter. */
  processing: number;
  /** Refused by Opcenter for good; see `deadLetters()`. */
  dead: number;
}

/** What one `drainOnce` did. */
export interface AuditDrainResult {
  /** Entries whose drainer's lease had expired (a crashed drainer), put back in the queue. */
  recovered: number;
  claimed: number;
  written: number;
  /** Found in Opcenter already (by CorrelationId) and acknowledged without writing again. */
  alreadyInOpcenter: number;
  deadLettered: number;
  /** Put back in the queue because the batch could not go on. */
  released: number;
  /** Why the batch stopped early (typically `OpcenterUnavailableError`); the loop backs off. */
  error?: unknown;
}

/** Where `onError` was called from. */
export interface AuditOutboxErrorContext {
  /**
   * `unavailable`: Opcenter could not be reached, entries kept and retried after a backoff;
   * `dead-letter`: Opcenter refused an entry for good, moved to the dead letters;
   * `drain`: any other failure (Redis, credentials), entries kept and retried after a backoff.
   */
  kind: 'unavailable' | 'dead-letter' | 'drain';
  entryId?: string;
  /** When the drain loop tries again, in ms. */
  retryInMs?: number;
}

/** Options of an `AuditOutbox`. */
export interface AuditOutboxOptions {
  /**
   * Start of every Redis key of the outbox: the process's configured prefix (`InsightsConfig.keyPrefix`);
   * tests pass `test-${randomUUID()}`. Required, so the outbox never lands outside the configured prefix.
   */
  keyPrefix: string;
  /** Entries claimed and written per batch. Default 50. */
  batchSize?: number;
  /** First backoff after a failed batch, in ms; doubles per failure, with jitter. Default 500. */
  backoffMinMs?: number;
  /** Largest backoff, in ms (a longer `Retry-After` from Opcenter is capped to it). Default 30,000. */
  backoffMaxMs?: number;
  /** Wait of the drain loop when the queue is empty, in ms; `enqueue` in this process wakes it. Default 1,000. */
  pollIntervalMs?: number;
  /**
   * How long a drainer holds claimed entries without renewing, in ms; past it another drainer takes
   * them back (crash recovery). Renewed before every write, so it must exceed one Opcenter request
   * (the client's `timeoutMs`, default 10 s) by a wide margin. Default 60,000.
   */
  leaseMs?: number;
  /** How long written ids are remembered in Redis to skip re-enqueued duplicates, in ms. Default 86,400,000 (24 h). */
  doneRetentionMs?: number;
  /** Called on every failure the outbox handles itself. Default: one line on stderr. */
  onError?: (error: unknown, context: AuditOutboxErrorContext) => void;
}

/**
 * A stable entry id from what identifies one inference: the same action, model, version, subject and
 * input (feature digest or job id) always give the same id, so re-running a job never adds an entry.
 */
export function createAuditEntryId(parts: {
  action: AuditAction;
  modelName: string;
  modelVersion: string;
  subjectType: string;
  subjectId: string;
  /** The input features' digest, or the id of the job that made the inference. */
  input: string;
}): string {
  const { action, modelName, modelVersion, subjectType, subjectId, input } = parts;
  const digest = createHash('sha256')
    .update(JSON.stringify([action, modelName, modelVersion, subjectType, subjectId, input]))
    .digest('hex');
  return `ai-${digest}`;
}

// Expired leases taken back per drainOnce; more wait for the next batch.
const RECOVER_PER_BATCH = 1000;

const NOW_MS = `local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

// KEYS: queue, entries, done. ARGV: id, json, id, json, ...
const ENQUEUE = `local added = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if not redis.call('ZSCORE', KEYS[3], id) and redis.call('HSETNX', KEYS[2], id, ARGV[i + 1]) == 1 then
    redis.call('LPUSH', KEYS[1], id)
    added = added + 1
  end
end
return added`;

// KEYS: queue, processing, leases, owners. ARGV: limit.
const RECOVER = `${NOW_MS}
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[1]))
for i = #expired, 1, -1 do
  local id = expired[i]
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  if redis.call('LREM', KEYS[2], 1, id) > 0 then redis.call('RPUSH', KEYS[1], id) end
end
return #expired`;

// KEYS: queue, processing, entries, leases, owners. ARGV: count, leaseMs, owner.
const CLAIM = `${NOW_MS}
local deadline = nowMs() + tonumber(ARGV[2])
local out = {}
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then break end
  local payload = redis.call('HGET', KEYS[3], id)
  if payload then
    redis.call('ZADD', KEYS[4], deadline, id)
    redis.call('HSET', KEYS[5], id, ARGV[3])
    out[#out + 1] = id
    out[#out + 1] = payload
  else
    redis.call('LREM', KEYS[2], 1, id)
  end
end
return out`;

// KEYS: leases, owners. ARGV: leaseMs, owner, id, ... Returns the ids still held by owner.
const RENEW = `${NOW_MS}
local deadline = nowMs() + tonumber(ARGV[1])
local held = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
    redis.call('ZADD', KEYS[1], deadline, ARGV[i])
    held[#held + 1] = ARGV[i]
  end
end
return held`;

// KEYS: processing, entries, leases, owners, done. ARGV: doneRetentionMs, id, ...
const ACK = `${NOW_MS}
local now = nowMs()
for i = 2, #ARGV do
  redis.call('LREM', KEYS[1], 1, ARGV[i])
  redis.call('ZREM', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
  redis.call('ZADD', KEYS[5], now, ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[1]))
return #ARGV - 1`;

// KEYS: processing, entries, leases, owners, dead. ARGV: owner, id, record.
const DEAD_LETTER = `if redis.call('HGET', KEYS[4], ARGV[2]) ~= ARGV[1] then return 0 end
redis.call('LREM', KEYS[1], 1, ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('LPUSH', KEYS[5], ARGV[3])
return 1`;

// KEYS: queue, processing, leases, owners. ARGV: owner, id, ... (in claim order; the first is retried first).
const RELEASE = `local released = 0
for i = #ARGV, 2, -1 do
  if redis.call('HGET', KEYS[4], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
    if redis.call('LREM', KEYS[2], 1, ARGV[i]) > 0 then
      redis.call('RPUSH', KEYS[1], ARGV[i])
      released = released + 1
    end
  end
end
return released`;

// KEYS: queue, entries, dead. Oldest dead letter first.
const REQUEUE_DEAD = `local records = redis.call('LRANGE', KEYS[3], 0, -1)
local moved = 0
for i = #records, 1, -1 do
  local record = cjson.decode(records[i])
  if redis.call('HSETNX', KEYS[2], record.id, record.payload) == 1 then
    redis.call('LPUSH', KEYS[1], record.id)
    moved = moved + 1
  end
end
redis.call('DEL', KEYS[3])
return moved`;

/** A Lua script run by its SHA1, sent in full only when Redis does not have it yet. */
class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const SCRIPTS = {
  enqueue: new LuaScript(ENQUEUE),
  recover: new LuaScript(RECOVER),
  claim: new LuaScript(CLAIM),
  renew: new LuaScript(RENEW),
  ack: new LuaScript(ACK),
  deadLetter: new LuaScript(DEAD_LETTER),
  release: new LuaScript(RELEASE),
  requeueDead: new LuaScript(REQUEUE_DEAD),
};

interface StoredDeadLetter {
  id: string;
  payload: string;
  reason: string;
  code: string;
  failedAt: string;
}

type Claimed = { id: string; payload: string };

/**
 * The outbox between the AI layer and Opcenter's audit trail. `enqueue` makes entries durable in
 * Redis; a drainer (`drainOnce`, or the loop of `start`) writes them with `addAuditTrailEntry` and
 * removes each only after Opcenter acknowledged it. An outage delays entries and loses none; a
 * retry first looks the entry up by CorrelationId, so it is never written twice.
 *
 * Redis layout (`{audit-outbox}` is a hash tag, unless the prefix has its own, so the multi-key scripts
 * also run on Redis Cluster):
 * - `<prefix>:{audit-outbox}:entries` hash id → entry JSON: every entry not yet written; its
 *   fields are the enqueue-time dedup set.
 * - `…:queue` list of ids, LPUSH in, popped from the right (oldest first).
 * - `…:processing` list of ids claimed by drainers; `…:leases` sorted set id → lease deadline
 *   (Redis time, ms); `…:owners` hash id → the drainer holding it.
 * - `…:done` sorted set id → when written; ids written in the last `doneRetentionMs` are not enqueued again.
 * - `…:dead` list of dead letters (JSON with the entry and the reason), newest first.
 */
export class AuditOutbox {
  private readonly keys: {
    queue: string;
    processing: string;
    entries: string;
    leases: string;
    owners: string;
    done: string;
    dead: string;
  };
  private readonly batchSize: number;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly doneRetentionMs: number;
  private readonly onError: (error: unknown, context: AuditOutboxErrorContext) => void;
  private readonly owner = randomUUID();
  private loop: Promise<void> | undefined;
  private running = false;
  private failures = 0;
  private wake: { now: () => void; onEnqueue: boolean } | undefined;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly opcenter: OpcenterClient,
    options: AuditOutboxOptions,
  ) {
    if (options.keyPrefix.length === 0) throw new RangeError('AuditOutbox option keyPrefix must not be empty');
    const prefix = `${options.keyPrefix}:{audit-outbox}`;
    this.keys = {
      queue: `${prefix}:queue`,
      processing: `${prefix}:processing`,
      entries: `${prefix}:entries`,
      leases: `${prefix}:leases`,
      owners: `${prefix}:owners`,
      done: `${prefix}:done`,
      dead: `${prefix}:dead`,
    };
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? 50);
    this.backoffMinMs = positiveInteger('backoffMinMs', options.backoffMinMs ?? 500);
    this.backoffMaxMs = positiveInteger('backoffMaxMs', options.backoffMaxMs ?? 30_000);
    if (this.backoffMaxMs < this.backoffMinMs) throw new RangeError('backoffMaxMs must be >= backoffMinMs');
    this.pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 60_000);
    this.doneRetentionMs = positiveInteger('doneRetentionMs', options.doneRetentionMs ?? 86_400_000);
    this.onError = options.onError ?? logToStderr;
  }

  /**
   * Appends entries durably (one atomic script); an id already queued, in processing or written in the
   * last `doneRetentionMs` is skipped. Resolves to the number of entries added.
   */
  async enqueue(entries: readonly AuditEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const args: string[] = [];
    for (const entry of entries) {
      if (typeof entry?.id !== 'string' || entry.id.length === 0) {
        throw new TypeError('Every AuditEntry needs a non-empty string id (it becomes the Opcenter CorrelationId).');
      }
      args.push(entry.id, JSON.stringify(entry));
    }
    const { queue, entries: stored, done } = this.keys;
    const added = Number(await SCRIPTS.enqueue.run(this.redis, [queue, stored, done], args));
    if (added > 0 && this.wake?.onEnqueue) this.wake.now();
    return added;
  }

  /**
   * One batch: takes back entries of crashed drainers, claims up to `batchSize` entries, skips those
   * Opcenter already has (by CorrelationId), writes the others in order and acknowledges them
   * together (a drainer that dies first leaves written entries unacknowledged: the next one finds
   * them in Opcenter and does not write them again). Once half a lease has passed, what was written
   * is acknowledged and the rest's leases renewed, so no other drainer takes them back. A
   * permanent refusal dead-letters that entry (and calls `onError`); any other failure
   * puts the rest of the batch back and ends the batch with `error` set (the loop of `start` reports it
   * to `onError` and backs off). Redis failures are thrown.
   */
  async drainOnce(): Promise<AuditDrainResult> {
    const { queue, processing, entries, leases, owners } = this.keys;
    const result: AuditDrainResult = {
      recovered: Number(await SCRIPTS.recover.run(this.redis, [queue, processing, leases, owners], [RECOVER_PER_BATCH])),
      claimed: 0,
      written: 0,
      alreadyInOpcenter: 0,
      deadLettered: 0,
      released: 0,
    };
    const reply = (await SCRIPTS.claim.run(
      this.redis,
      [queue, processing, entries, leases, owners],
      [this.batchSize, this.leaseMs, this.owner],
    )) as string[];
    const claimed: Claimed[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) claimed.push({ id: reply[i] as string, payload: reply[i + 1] as string });
    result.claimed = claimed.length;
    if (claimed.length === 0) return result;

    const batch: (Claimed & { entry: AuditEntry })[] = [];
    for (const item of claimed) {
      const entry = parseEntry(item.payload);
      if (entry) batch.push({ ...item, entry });
      else if (await this.deadLetter(item, 'UNREADABLE_ENTRY', 'The stored entry is not an AuditEntry JSON object.')) {
        result.deadLettered += 1;
      }
    }

    let leasedAt = performance.now();
    let inOpcenter: Set<string>;
    try {
      inOpcenter = await this.findWritten(batch.map((item) => item.id));
    } catch (error) {
      return this.endBatch(result, batch.map((item) => item.id), error);
    }

    const done: string[] = [];
    let held = new Set(batch.map((item) => item.id));
    for (const [index, { id, payload, entry }] of batch.entries()) {
      if (inOpcenter.has(id)) {
        done.push(id);
        result.alreadyInOpcenter += 1;
        continue;
      }
      // This entry's id and those after it: what this drainer still holds (ids only when needed).
      const rest = () => batch.slice(index).map((item) => item.id);
      if (performance.now() - leasedAt >= this.leaseMs / 2) {
        // What was written since the last renewal is acknowledged now, while its lease still holds.
        await this.ack(done.splice(0));
        held = new Set((await SCRIPTS.renew.run(this.redis, [leases, owners], [this.leaseMs, this.owner, ...rest()])) as string[]);
        leasedAt = performance.now();
      }
      // Held no more: our lease ran out and another drainer took the entry back; it writes it.
      if (!held.has(id)) continue;
      try {
        await this.opcenter.command('addAuditTrailEntry', toCommandParams(entry));
      } catch (error) {
        if (!isPermanent(error)) {
          await this.ack(done);
          return this.endBatch(result, rest(), error);
        }
        const reason = ('opcenterMessage' in error ? error.opcenterMessage : undefined) ?? error.message;
        if (await this.deadLetter({ id, payload }, error.code, reason)) {
          result.deadLettered += 1;
          this.onError(error, { kind: 'dead-letter', entryId: id });
        }
        continue;
      }
      done.push(id);
      result.written += 1;
    }
    await this.ack(done);
    return result;
  }

  /** Runs the drain loop until `stop`: batch after batch while entries wait, polling when idle, backing off after failures. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLoop();
  }

  /** Stops the drain loop; resolves once the batch in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.now();
    await this.loop;
    this.loop = undefined;
  }

  /** How many entries are queued, in processing and dead. */
  async pending(): Promise<AuditOutboxCounts> {
    const [queued, processing, dead] = await Promise.all([
      this.redis.llen(this.keys.queue),
      this.redis.llen(this.keys.processing),
      this.redis.llen(this.keys.dead),
    ]);
    return { queued, processing, dead };
  }

  /** The newest dead letters first, at most `limit`. */
  async deadLetters(limit = 100): Promise<AuditDeadLetter[]> {
    const records = await this.redis.lrange(this.keys.dead, 0, limit - 1);
    return records.map((text) => {
      const { id, payload, reason, code, failedAt } = JSON.parse(text) as StoredDeadLetter;
      return { id, entry: parseEntry(payload) ?? payload, reason, code, failedAt };
    });
  }

  /** Puts every dead letter back in the queue (after the cause was fixed, e.g. the mapping); returns how many. */
  async requeueDeadLetters(): Promise<number> {
    const { queue, entries, dead } = this.keys;
    return Number(await SCRIPTS.requeueDead.run(this.redis, [queue, entries, dead]));
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      let delayMs: number;
      let wakeOnEnqueue = false;
      try {
        const result = await this.drainOnce();
        if (result.error === undefined) {
          this.failures = 0;
          if (result.claimed >= this.batchSize) continue;
          delayMs = this.pollIntervalMs;
          wakeOnEnqueue = true;
        } else {
          delayMs = this.backoff(result.error);
          const kind = result.error instanceof OpcenterUnavailableError ? 'unavailable' : 'drain';
          this.onError(result.error, { kind, retryInMs: delayMs });
        }
      } catch (error) {
        delayMs = this.backoff(undefined);
        this.onError(error, { kind: 'drain', retryInMs: delayMs });
      }
      if (this.running) await this.sleep(delayMs, wakeOnEnqueue);
    }
  }

  private backoff(error: unknown): number {
    this.failures += 1;
    const ceiling = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** Math.min(this.failures - 1, 30));
    const jittered = Math.max(this.backoffMinMs, Math.round(Math.random() * ceiling));
    const retryAfterMs = error instanceof OpcenterUnavailableError ? (error.retryAfterMs ?? 0) : 0;
    return Math.max(jittered, Math.min(retryAfterMs, this.backoffMaxMs));
  }

  private sleep(ms: number, onEnqueue: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = { now: done, onEnqueue };
    });
  }

  /** The ids among `ids` that Opcenter's audit trail already has as CorrelationId. */
  private async findWritten(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.opcenter.getMany<{ correlationId?: unknown }>('auditTrailEntry', 'correlationId', ids, {
      select: ['correlationId'],
    });
    return new Set(rows.map((row) => row.correlationId).filter((id): id is string => typeof id === 'string'));
  }

  private async endBatch(result: AuditDrainResult, ids: readonly string[], error: unknown): Promise<AuditDrainResult> {
    const { queue, processing, leases, owners } = this.keys;
    result.released = Number(await SCRIPTS.release.run(this.redis, [queue, processing, leases, owners], [this.owner, ...ids]));
    result.error = error;
    return result;
  }

  private async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { processing, entries, leases, owners, done } = this.keys;
    await SCRIPTS.ack.run(this.redis, [processing, entries, leases, owners, done], [this.doneRetentionMs, ...ids]);
  }

  private async deadLetter(item: Claimed, code: string, reason: string): Promise<boolean> {
    const { processing, entries, leases, owners, dead } = this.keys;
    const record: StoredDeadLetter = { id: item.id, payload: item.payload, reason, code, failedAt: new Date().toISOString() };
    const moved = await SCRIPTS.deadLetter.run(
      this.redis,
      [processing, entries, leases, owners, dead],
      [this.owner, item.id, JSON.stringify(record)],
    );
    return Number(moved) === 1;
  }
}

type PermanentError = OpcenterBadRequestError | OpcenterCommandFailedError | OpcenterInvalidQueryError | OpcenterNotFoundError;

// Retrying these cannot succeed. Everything else (unavailable, unauthorized, unknown) may, so it is kept.
function isPermanent(error: unknown): error is PermanentError {
  return (
    error instanceof OpcenterBadRequestError ||
    error instanceof OpcenterCommandFailedError ||
    error instanceof OpcenterInvalidQueryError ||
    error instanceof OpcenterNotFoundError
  );
}

function toCommandParams(entry: AuditEntry): Record<string, unknown> {
  return {
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details === undefined || typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details),
    modelName: entry.modelName,
    modelVersion: entry.modelVersion,
    confidence: entry.confidence,
    inputDigest: entry.inputDigest,
    latencyMs: entry.latencyMs,
    correlationId: entry.id,
  };
}

function parseEntry(payload: string): AuditEntry | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') {
      return value as AuditEntry;
    }
  } catch {
    // Not JSON: the caller dead-letters it.
  }
  return undefined;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`AuditOutbox option ${name} must be a positive integer`);
  return value;
}

function logToStderr(error: unknown, context: AuditOutboxErrorContext): void {
  const code = error instanceof OpcenterError ? error.code : error instanceof Error ? error.name : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const entry = context.entryId ? ` entry ${context.entryId}` : '';
  const retry = context.retryInMs !== undefined ? `; retrying in ${context.retryInMs} ms` : '';
  console.error(`audit-outbox ${context.kind}${entry}: ${code}: ${message}${retry}`);
}
