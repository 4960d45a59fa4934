import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { EventQueueUnavailableError } from './errors';
import { parseOpcenterEvent, type OpcenterEvent } from './events';
import { bullPrefixFor, encodeIdPart } from './jobs';
import { closeRedis, createErrorReporter, createRedis } from './redis';
import type { QueueDepth } from './scoring-queue';

/** The BullMQ queue that carries ingested Opcenter events to the workers. */
export const EVENT_QUEUE = 'opcenter-events';

/** The BullMQ job name of every ingested event. */
export const EVENT_JOB_NAME = 'opcenter-event';

/** A job's data on {@link EVENT_QUEUE}: the event as `parseOpcenterEvent` returned it. */
export type EventJobData = OpcenterEvent;

/** What `enqueue` did: queued the event, or recognised an id it had already queued. */
export type EnqueueOutcome = 'accepted' | 'duplicate';

/**
 * Options of every event job. Five attempts with exponential back-off (1 s, 2 s, 4 s, 8 s) ride out
 * a worker's transient failure; at most 10,000 finished jobs of each kind are kept, so failed
 * events stay inspectable without Redis growing for ever.
 */
export const EVENT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 10_000 },
  removeOnFail: { count: 10_000 },
} as const satisfies JobsOptions;

/** Options of {@link EventQueue}. */
export interface EventQueueOptions {
  /** `InsightsConfig.redisUrl`. */
  redisUrl: string;
  /** `InsightsConfig.keyPrefix`; the queue lives under `<keyPrefix>:bull`, the seen ids under `<keyPrefix>:events:seen`. */
  keyPrefix: string;
  /** How long, in seconds, an event id is remembered (`InsightsConfig.eventDedupTtlSeconds`). Default 86,400 (24 h). */
  dedupTtlSeconds?: number;
  /**
   * How long, in ms, `enqueue` and `ping` wait for Redis before failing. The BullMQ connection holds
   * commands while Redis is away; past this the sender hears 503 and retries. Default 2,000.
   */
  timeoutMs?: number;
  /** Called with Redis and BullMQ errors. Default: a warning per distinct message. */
  onError?: (error: Error) => void;
}

type EventBullQueue = Queue<EventJobData, unknown, typeof EVENT_JOB_NAME>;

/** The BullMQ job id of an event: `event~<percent-encoded event id>`, so one event is one job. */
export function eventJobIdFor(eventId: string): string {
  return `event~${encodeIdPart(eventId)}`;
}

/** The Redis key that marks an event id as queued: `<keyPrefix>:events:seen:<percent-encoded id>`. */
export function eventSeenKey(keyPrefix: string, eventId: string): string {
  return `${keyPrefix}:events:seen:${encodeIdPart(eventId)}`;
}

/**
 * The producer side of the event path: puts each ingested event on {@link EVENT_QUEUE} once,
 * however often its sender replays it. Ingest uses this class, never BullMQ itself.
 */
export class EventQueue {
  private readonly connection: Redis;
  private readonly queue: EventBullQueue;
  private readonly dedupTtlSeconds: number;
  private readonly timeoutMs: number;
  private closing?: Promise<void>;

  constructor(private readonly options: EventQueueOptions) {
    this.dedupTtlSeconds = options.dedupTtlSeconds ?? 86_400;
    this.timeoutMs = options.timeoutMs ?? 2000;
    const onError = options.onError ?? createErrorReporter('event queue');
    this.connection = createRedis(options.redisUrl, { forBullMq: true, onError });
    this.queue = new Queue(EVENT_QUEUE, { connection: this.connection, prefix: bullPrefixFor(options.keyPrefix) });
    this.queue.on('error', onError);
  }

  /**
   * Makes an event durable: resolves once Redis has acknowledged its job, or has shown that the
   * id was queued before (`duplicate`, for `dedupTtlSeconds` after it was first accepted).
   * Concurrent calls with one id add one job, and exactly one of them answers `accepted`.
   * @throws InvalidEventError when the event breaks the contract, before touching Redis
   * @throws EventQueueUnavailableError when Redis fails or does not answer within `timeoutMs`;
   * the event may or may not be queued, and enqueuing it again is safe
   */
  async enqueue(input: EventJobData): Promise<EnqueueOutcome> {
    const event = parseOpcenterEvent(input);
    return this.withinTimeout(`enqueue event ${event.id}`, async () => {
      const seenKey = eventSeenKey(this.options.keyPrefix, event.id);
      if ((await this.connection.exists(seenKey)) === 1) return 'duplicate';
      // The job first, then the mark: a crash between them leaves a job without a mark, and the
      // replay that follows adds nothing (BullMQ keeps one job per id) but sets the mark.
      await this.queue.add(EVENT_JOB_NAME, event, { ...EVENT_JOB_OPTIONS, jobId: eventJobIdFor(event.id) });
      const marked = await this.connection.set(seenKey, new Date().toISOString(), 'EX', this.dedupTtlSeconds, 'NX');
      return marked === 'OK' ? 'accepted' : 'duplicate';
    });
  }

  /** Events waiting, running, delayed (between attempts) and failed for good. */
  depth(): Promise<QueueDepth> {
    return this.withinTimeout('read the event queue depth', async () => {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
    });
  }

  /**
   * Resolves when Redis answers PING within `timeoutMs` (for a readiness probe).
   * @throws EventQueueUnavailableError otherwise
   */
  ping(): Promise<void> {
    return this.withinTimeout('ping Redis', async () => {
      await this.connection.ping();
    });
  }

  /** Closes the queue and its connection. Events in Redis are kept. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.close().catch(() => undefined);
      await closeRedis(this.connection);
    })();
    return this.closing;
  }

  private async withinTimeout<T>(what: string, run: () => Promise<T>): Promise<T> {
    if (this.closing) throw new EventQueueUnavailableError(`Could not ${what}: the event queue is closed`);
    let timer: NodeJS.Timeout | undefined;
    const work = run();
    // A command held past the timeout may still finish later; its outcome no longer matters.
    work.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw new EventQueueUnavailableError(`Could not ${what}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
