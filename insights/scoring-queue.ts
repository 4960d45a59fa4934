import { Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { ScoringUnavailableError } from './errors';
import { bullPrefixFor, jobIdFor, MODEL_NAMES, MODEL_QUEUES, parseJobPayload, type ModelName, type ScoringJob } from './jobs';
import { closeRedis, createErrorReporter, createRedis } from './redis';

/** Where a requested job stands when `requestScores` answers. */
export type ScoreOutcome =
  | { status: 'completed' }
  /** Failed for good (retries exhausted, or an `UnrecoverableError`); `reason` is BullMQ's `failedReason`. */
  | { status: 'failed'; reason: string }
  /** Still queued, running or retrying when the budget ran out; it goes on without the caller. */
  | { status: 'pending' };

/** Jobs of one queue by state, for `Query.aiStatus` and `/metrics`. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Options of {@link ScoringQueues}. */
export interface ScoringQueuesOptions {
  /** `InsightsConfig.redisUrl`. */
  redisUrl: string;
  /** `InsightsConfig.keyPrefix`; the queues live under `<keyPrefix>:bull`. */
  keyPrefix: string;
  /**
   * A job that failed for good at least this many ms before a request is retried by that request;
   * a younger failure is reported as `failed`, so a subject that cannot be scored is not rescored on
   * every query. Default 60,000.
   */
  retryFailedAfterMs?: number;
  /** Called with Redis and BullMQ errors. Default: a warning per distinct message. */
  onError?: (error: Error) => void;
}

/** Options of {@link ScoringQueues.requestScores}. */
export interface RequestScoresOptions {
  /** How long, in ms, to wait for the jobs to finish (`InsightsConfig.aiBudgetMs`). */
  budgetMs: number;
}

/**
 * Options of every scoring job. Three attempts with exponential back-off (1 s, 2 s) ride out a
 * transient error (Opcenter or Redis briefly away); an `UnrecoverableError` fails at once. Finished
 * jobs are kept an hour (completed) or a day (failed), at most 10,000 of each per queue, so Redis
 * does not grow; BullMQ applies the age only when a later job finishes.
 */
export const SCORING_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 86_400, count: 10_000 },
} as const satisfies JobsOptions;

type ScoringQueue = Queue<ScoringJob, unknown, ScoringJob['kind']>;
type FinishedOutcome = Exclude<ScoreOutcome, { status: 'pending' }>;
type Listener = (jobId: string, outcome: FinishedOutcome) => void;

const PENDING: ScoreOutcome = { status: 'pending' };
const COMPLETED: FinishedOutcome = { status: 'completed' };

/**
 * The producer side of scoring: one BullMQ queue per model, and one `QueueEvents` per queue that
 * tells waiting requests when their jobs finish. Resolvers use this class, never BullMQ itself.
 */
export class ScoringQueues {
  private readonly connection: Redis;
  private readonly queues: Record<ModelName, ScoringQueue>;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly events: { queueEvents: QueueEvents; client: Redis }[] = [];
  private readonly retryFailedAfterMs: number;
  private readonly onError: (error: Error) => void;
  private listening?: Promise<void>;
  private closing?: Promise<void>;

  constructor(private readonly options: ScoringQueuesOptions) {
    this.retryFailedAfterMs = options.retryFailedAfterMs ?? 60_000;
    this.onError = options.onError ?? createErrorReporter('scoring queues');
    this.connection = createRedis(options.redisUrl, { forBullMq: true, onError: options.onError });
    const prefix = bullPrefixFor(options.keyPrefix);
    const entries = MODEL_NAMES.map((model) => {
      const queue: ScoringQueue = new Queue(MODEL_QUEUES[model], { connection: this.connection, prefix });
      queue.on('error', this.onError);
      return [model, queue] as const;
    });
    this.queues = Object.fromEntries(entries) as Record<ModelName, ScoringQueue>;
  }

  /**
   * Enqueues one job per distinct subject (one `addBulk` per model queue) and waits until each has
   * completed or failed, or until `budgetMs` has passed, whichever comes first. Answers by job id
   * (`jobIdFor`). A subject already queued or running, by this process or another, is awaited, not
   * enqueued again. A job that completed before this call is run again: the caller asks because the
   * insight is missing. One that failed for good is reported as failed, and retried once it is older
   * than `retryFailedAfterMs`.
   * @throws InvalidJobPayloadError when a payload breaks the contract
   * @throws ScoringUnavailableError when Redis fails the request within the budget (an outage that
   * merely holds the commands answers `pending`)
   */
  async requestScores(
    payloads: readonly ScoringJob[],
    { budgetMs }: RequestScoresOptions,
  ): Promise<Map<string, ScoreOutcome>> {
    const requestedAt = Date.now();
    const jobs = new Map<string, ScoringJob>();
    for (const payload of payloads.map(parseJobPayload)) {
      const jobId = jobIdFor(payload);
      if (!jobs.has(jobId)) jobs.set(jobId, payload);
    }
    const outcomes = new Map<string, ScoreOutcome>([...jobs.keys()].map((jobId) => [jobId, PENDING]));
    if (jobs.size === 0) return outcomes;

    let open = jobs.size;
    let answered = false;
    let allFinished!: () => void;
    const finished = new Promise<void>((resolve) => (allFinished = resolve));
    const settle: Listener = (jobId, outcome) => {
      if (answered || outcomes.get(jobId)?.status !== 'pending') return;
      outcomes.set(jobId, outcome);
      if (--open === 0) allFinished();
    };
    // Listen before adding, so that a job finishing between the add and the state check is not missed.
    const stopListening = this.listen(jobs, settle);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, budgetMs))));
    try {
      await Promise.race([Promise.all([this.enqueue(jobs, requestedAt, settle), finished]), budget]);
    } catch (error) {
      throw new ScoringUnavailableError(`Could not enqueue scoring jobs: ${(error as Error).message}`, { cause: error });
    } finally {
      answered = true;
      clearTimeout(timer);
      stopListening();
    }
    return outcomes;
  }

  /** Waiting, active, delayed and failed jobs of each model's queue. */
  async depths(): Promise<Record<ModelName, QueueDepth>> {
    const entries = await Promise.all(
      MODEL_NAMES.map(async (model) => {
        const counts = await this.queues[model].getJobCounts('waiting', 'active', 'delayed', 'failed');
        const depth: QueueDepth = {
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        };
        return [model, depth] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<ModelName, QueueDepth>;
  }

  /** Closes the queues, the event listeners and their connections. Jobs in Redis are kept. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.events.map(({ queueEvents }) => queueEvents.close()));
      // QueueEvents leaves a connection it was given open, blocked in XREAD (QUIT would queue behind it).
      for (const { client } of this.events) client.disconnect();
      await Promise.allSettled(Object.values(this.queues).map((queue) => queue.close()));
      await closeRedis(this.connection);
    })();
    return this.closing;
  }

  private async enqueue(jobs: Map<string, ScoringJob>, requestedAt: number, settle: Listener): Promise<void> {
    await this.startEvents();
    const byModel = new Map<ModelName, [string, ScoringJob][]>();
    for (const entry of jobs) {
      const model = entry[1].modelName;
      byModel.set(model, [...(byModel.get(model) ?? []), entry]);
    }
    await Promise.all(
      [...byModel].map(async ([model, entries]) => {
        const queue = this.queues[model];
        // A custom id that already exists is not added again: BullMQ keeps the job it has, in any state.
        await queue.addBulk(
          entries.map(([jobId, payload]) => ({ name: payload.kind, data: payload, opts: { ...SCORING_JOB_OPTIONS, jobId } })),
        );
        await Promise.all(entries.map(([jobId]) => this.reconcile(queue, jobId, requestedAt, settle)));
      }),
    );
  }

  /** Settles a job that had already finished when it was added, or runs it again when that result is stale. */
  private async reconcile(queue: ScoringQueue, jobId: string, requestedAt: number, settle: Listener): Promise<void> {
    const job = await queue.getJob(jobId);
    if (!job?.finishedOn) return;
    const state = await queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed') return;
    const staleBefore = state === 'completed' ? requestedAt : requestedAt - this.retryFailedAfterMs;
    // Strictly after: a job that finished in the very millisecond of the request may predate it (its
    // insight may be the one found missing); running it again is the safe side of that tie.
    if (job.finishedOn > staleBefore) {
      settle(jobId, state === 'completed' ? COMPLETED : { status: 'failed', reason: job.failedReason });
      return;
    }
    await rerun(job, state);
  }

  private listen(jobs: Map<string, ScoringJob>, settle: Listener): () => void {
    const keys = [...jobs].map(([jobId, payload]) => listenerKey(payload.modelName, jobId));
    for (const key of keys) {
      const set = this.listeners.get(key) ?? new Set<Listener>();
      set.add(settle);
      this.listeners.set(key, set);
    }
    return () => {
      for (const key of keys) {
        const set = this.listeners.get(key);
        set?.delete(settle);
        if (set?.size === 0) this.listeners.delete(key);
      }
    };
  }

  private notify(model: ModelName, jobId: string, outcome: FinishedOutcome): void {
    for (const listener of this.listeners.get(listenerKey(model, jobId)) ?? []) listener(jobId, outcome);
  }

  /** Starts the QueueEvents once; a failed start is tried again by the next request. */
  private startEvents(): Promise<void> {
    this.listening ??= this.createEvents().catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    return this.listening;
  }

  private async createEvents(): Promise<void> {
    const prefix = bullPrefixFor(this.options.keyPrefix);
    for (const model of MODEL_NAMES) {
      if (this.closing || this.events.some((e) => e.queueEvents.name === MODEL_QUEUES[model])) continue;
      // QueueEvents starts at '$' (events after its first XREAD), which misses a job finishing while
      // it connects. Starting from the stream's last entry, read now, closes that gap.
      const [last] = await this.connection.xrevrange(this.queues[model].toKey('events'), '+', '-', 'COUNT', 1);
      if (this.closing) return;
      const client = createRedis(this.options.redisUrl, { forBullMq: true, onError: this.options.onError });
      const queueEvents = new QueueEvents(MODEL_QUEUES[model], { connection: client, prefix, lastEventId: last?.[0] ?? '0-0' });
      queueEvents.on('error', this.onError);
      queueEvents.on('completed', ({ jobId }) => this.notify(model, jobId, COMPLETED));
      queueEvents.on('failed', ({ jobId, failedReason }) => this.notify(model, jobId, { status: 'failed', reason: failedReason }));
      this.events.push({ queueEvents, client });
    }
  }
}

function listenerKey(model: ModelName, jobId: string): string {
  return `${model}/${jobId}`;
}

async function rerun(job: Job, state: 'completed' | 'failed'): Promise<void> {
  try {
    // Atomic: only one of several concurrent requests moves the job back to waiting; the others
    // find it no longer finished, get an error, and wait for its events like any other request.
    await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch {
    // Someone else re-ran or removed it; the events (or the budget) decide the outcome.
  }
}
