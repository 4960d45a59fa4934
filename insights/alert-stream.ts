import type { Redis } from 'ioredis';
import { z } from 'zod';
import { InvalidAlertCursorError, InvalidAlertError } from './errors';
import type { JsonValue } from './insight';
import { createErrorReporter } from './redis';

/** What an alert is about. */
export const ALERT_TYPES = ['DEFECT_RISK', 'YIELD_AT_RISK', 'TEST_FAILURE'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** How urgent an alert is. */
export const ALERT_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The Opcenter objects an alert concerns; clients filter on them. */
export interface AlertSubjects {
  /** Board serial number. */
  serialNumber?: string;
  /** Production order NId. */
  orderId?: string;
  workCenterId?: string;
  lineId?: string;
}

/** An alert as a producer (a worker) appends it. */
export interface AlertInput {
  type: AlertType;
  severity: AlertSeverity;
  /** What happened, in words an operator understands (e.g. `Board GWM261118000001: defect risk 0.82 (HIGH) at U7`). */
  message: string;
  /**
   * Deduplication key: appending the same key again (while the first is retained) adds nothing, so a
   * replayed action raises one alert. E.g. `DEFECT_RISK~1.0.0~GWM261118000001`.
   */
  key: string;
  subjects: AlertSubjects;
  /** When the condition was detected, ISO 8601 with offset. */
  occurredAt: string;
  /** Anything else a client may show (scores, reference designators, model version). */
  details?: Record<string, JsonValue>;
}

/** A stored alert: its input and its stream entry id (`<ms>-<seq>`), which is unique, ordered and what `after` resumes from. */
export interface Alert extends AlertInput {
  id: string;
}

const identifier = z.string().min(1).max(200);

export const alertInputSchema = z
  .object({
    type: z.enum(ALERT_TYPES),
    severity: z.enum(ALERT_SEVERITIES),
    message: z.string().min(1).max(2000),
    key: z.string().min(1).max(500),
    subjects: z
      .object({ serialNumber: identifier.optional(), orderId: identifier.optional(), workCenterId: identifier.optional(), lineId: identifier.optional() })
      .strict(),
    occurredAt: z.iso.datetime({ offset: true }),
    details: z.record(z.string(), z.json()).optional(),
  })
  .strict() satisfies z.ZodType<AlertInput>;

/**
 * Checks an alert against the contract.
 * @throws InvalidAlertError naming the first wrong field
 */
export function parseAlertInput(value: unknown): AlertInput {
  const parsed = alertInputSchema.safeParse(value);
  if (parsed.success) return parsed.data as AlertInput;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(alert)';
  throw new InvalidAlertError(field, issue?.message ?? 'invalid');
}

const ALERT_ID = /^\d{1,20}-\d{1,20}$/;

/** Whether `value` is a stream entry id (`<ms>-<seq>`), the only cursor the stream accepts. */
export function isAlertId(value: string): boolean {
  return ALERT_ID.test(value);
}

/**
 * @throws InvalidAlertCursorError unless `cursor` is a stream entry id
 */
export function assertAlertCursor(cursor: string): void {
  if (!isAlertId(cursor)) throw new InvalidAlertCursorError(cursor);
}

/** Options of {@link AlertStream}. */
export interface AlertStreamOptions {
  /** Command connection (appends, reads). Not owned: whoever created it closes it. Blocking reads use duplicates of it. */
  redis: Redis;
  /** First segment of every key (`InsightsConfig.keyPrefix`). */
  keyPrefix: string;
  /** Alerts retained, approximately (Redis trims whole stream nodes: `MAXLEN ~`). `InsightsConfig.alertStreamMaxLength`. */
  maxLength: number;
  /** How long, in ms, alerts and their deduplication keys are retained, approximately (`MINID ~`). `InsightsConfig.alertStreamMaxAgeMs`. */
  maxAgeMs: number;
}

/** Options of {@link AlertStream.subscribe}. */
export interface AlertSubscribeOptions {
  /** Ends the subscription: the iterator finishes and its blocking connection is closed. */
  signal: AbortSignal;
  /** Longest single `XREAD BLOCK`, in ms, before it is issued again. Default 5000. */
  blockMs?: number;
}

/** Alerts read per XRANGE/XREAD round trip. */
const PAGE_SIZE = 100;

/**
 * Appends atomically: an existing deduplication key answers its alert's id; otherwise XADD with
 * approximate trimming by length, trimming by age against Redis' own clock (stream ids come from it),
 * and the deduplication key stored for as long as alerts are retained.
 */
const APPEND_SCRIPT = `
local existing = redis.call('GET', KEYS[2])
if existing then return {existing, 1} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'alert', ARGV[1])
local now = redis.call('TIME')
local minId = string.format('%.0f', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3]))
redis.call('XTRIM', KEYS[1], 'MINID', '~', minId)
redis.call('SET', KEYS[2], id, 'PX', ARGV[3])
return {id, 0}
`;

type StreamEntry = [id: string, fields: string[]];

/**
 * The alert stream: one Redis stream, `<prefix>:alerts`, each entry one alert (field `alert`, JSON),
 * plus a deduplication key per alert, `<prefix>:alerts:key:<key>`, holding its entry id.
 *
 * Entry ids are the alerts' ids: unique, increasing, and usable as a resume cursor by any process,
 * so any gateway or subgraph instance can serve any subscriber. Retention is bounded by length and age,
 * both approximate (Redis trims whole stream nodes): a cursor older than what is retained reads on from
 * the oldest alert retained.
 */
export class AlertStream {
  /** The stream's key. */
  readonly key: string;

  constructor(private readonly options: AlertStreamOptions) {
    this.key = `${options.keyPrefix}:alerts`;
  }

  /**
   * Appends an alert unless one with the same `key` is retained, in one Lua script (no race between
   * the check and the append).
   * @returns the alert's id, and `duplicate: true` when it was already there (the id is the first one's)
   * @throws InvalidAlertError when the alert breaks the contract
   */
  async append(input: AlertInput): Promise<{ id: string; duplicate: boolean }> {
    const alert = parseAlertInput(input);
    const [id, duplicate] = (await this.options.redis.eval(
      APPEND_SCRIPT,
      2,
      this.key,
      this.dedupKey(alert.key),
      JSON.stringify(alert),
      String(this.options.maxLength),
      String(this.options.maxAgeMs),
    )) as [string, number];
    return { id, duplicate: duplicate === 1 };
  }

  /**
   * Up to `count` alerts after `after`, oldest first; from the oldest retained when `after` is null or
   * older than anything retained.
   * @throws InvalidAlertCursorError when `after` is not an alert id
   */
  async readAfter(after: string | null, count: number): Promise<Alert[]> {
    if (after !== null) assertAlertCursor(after);
    const entries = (await this.options.redis.xrange(this.key, after === null ? '-' : `(${after}`, '+', 'COUNT', positive(count))) as StreamEntry[];
    return decodeEntries(entries);
  }

  /**
   * Up to `count` alerts before `before`, newest first; from the newest when `before` is null.
   * @throws InvalidAlertCursorError when `before` is not an alert id
   */
  async readBefore(before: string | null, count: number): Promise<Alert[]> {
    if (before !== null) assertAlertCursor(before);
    const entries = (await this.options.redis.xrevrange(this.key, before === null ? '+' : `(${before}`, '-', 'COUNT', positive(count))) as StreamEntry[];
    return decodeEntries(entries);
  }

  /** How many alerts are retained. */
  async length(): Promise<number> {
    return this.options.redis.xlen(this.key);
  }

  /** Id of the newest alert retained, or null when there is none. */
  async lastId(): Promise<string | null> {
    const [entry] = (await this.options.redis.xrevrange(this.key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    return entry?.[0] ?? null;
  }

  /**
   * Every alert after `after`, then each new one as it is appended, in order, each once.
   *
   * With `after`, the retained alerts after it are replayed (in pages, on the command connection), then
   * the subscription goes live from the last one delivered, so nothing appended during the replay is
   * lost or repeated. With `after` null it starts at the newest alert retained when `subscribe` is called:
   * only alerts appended after that are delivered.
   *
   * Live reads use `XREAD BLOCK` on a connection of their own (a blocking read would stall every other
   * command on a shared one), opened when the replay ends and closed when the subscription ends: when
   * `signal` aborts or the iterator's `return()` is called (both end it at once, even mid-read).
   * A Redis failure ends the iterator with that error; resubscribe with the last id received.
   * @throws InvalidAlertCursorError at once when `after` is not an alert id
   */
  subscribe(after: string | null, options: AlertSubscribeOptions): AsyncIterableIterator<Alert> {
    if (after !== null) assertAlertCursor(after);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    if (options.signal.aborted) stop.abort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    stop.signal.addEventListener('abort', () => options.signal.removeEventListener('abort', onAbort), { once: true });
    // Where "new" begins is fixed now, not when the consumer first pulls.
    const start = after === null ? this.lastId().then((id) => id ?? '0-0') : Promise.resolve(after);
    start.catch(() => undefined);
    const alerts = this.follow(start, stop.signal, options.blockMs ?? 5000);
    const iterator: AsyncIterableIterator<Alert> = {
      next: () => alerts.next(),
      return: async () => {
        stop.abort();
        return alerts.return(undefined);
      },
      throw: async (error?: unknown) => {
        stop.abort();
        return alerts.throw(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Key that marks an alert key as already appended. */
  dedupKey(alertKey: string): string {
    return `${this.key}:key:${alertKey}`;
  }

  private async *follow(start: Promise<string>, signal: AbortSignal, blockMs: number): AsyncGenerator<Alert, void, undefined> {
    let last = await start;
    for (;;) {
      if (signal.aborted) return;
      const page = await this.readAfter(last, PAGE_SIZE);
      for (const alert of page) {
        if (signal.aborted) return;
        last = alert.id;
        yield alert;
      }
      if (page.length < PAGE_SIZE) break;
    }
    if (signal.aborted) return;
    // Named, so CLIENT LIST shows which connections are alert subscribers.
    const blocking = this.options.redis.duplicate({ connectionName: `${this.key}:subscriber` });
    blocking.on('error', createErrorReporter(`alert stream ${this.key} (blocking read)`));
    const disconnect = () => blocking.disconnect();
    signal.addEventListener('abort', disconnect, { once: true });
    try {
      while (!signal.aborted) {
        let reply: Array<[key: string, entries: StreamEntry[]]> | null;
        try {
          reply = (await blocking.xread('COUNT', PAGE_SIZE, 'BLOCK', blockMs, 'STREAMS', this.key, last)) as typeof reply;
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        }
        for (const alert of decodeEntries(reply?.[0]?.[1] ?? [])) {
          if (signal.aborted) return;
          last = alert.id;
          yield alert;
        }
      }
    } finally {
      signal.removeEventListener('abort', disconnect);
      blocking.disconnect();
    }
  }
}

function positive(count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer; got ${count}`);
  return count;
}

/** Entries that no longer parse (written by another version) are skipped rather than ending a subscription. */
function decodeEntries(entries: StreamEntry[]): Alert[] {
  const alerts: Alert[] = [];
  for (const [id, fields] of entries) {
    const at = fields.indexOf('alert');
    const json = at >= 0 ? fields[at + 1] : undefined;
    if (json === undefined) continue;
    try {
      alerts.push({ ...parseAlertInput(JSON.parse(json)), id });
    } catch {
      continue;
    }
  }
  return alerts;
}
