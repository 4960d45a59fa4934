import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  EVENT_JOB_NAME,
  EVENT_QUEUE,
  EventQueue,
  eventJobIdFor,
  eventSeenKey,
  type EventJobData,
  type EventQueueOptions,
} from './event-queue';
import type { OpcenterEvent, OpcenterEventOf } from './events';
import { bullPrefixFor } from './jobs';
import { closeRedis, createRedis } from './redis';

const REDIS_URL = 'redis://127.0.0.1:6379';

const testRun = (id: string): OpcenterEventOf<'TestRunDone'> => ({
  id,
  eventType: 'TestRunDone',
  timestamp: '2026-11-20T06:00:01.569Z',
  workOrderId: 'WO0026013',
  serialNumber: 'GWM261120000798',
  testRunId: 'bcc1d654-4371-4c5d-ad3e-5dfc811fa605',
  testType: 'ICT',
  machineId: 'TEST-ICT1',
  fixtureId: 'FX-GW-MB-100-1',
  result: 'Fail',
  failedStepCount: 2,
});

/** One test's event queue under its own key prefix, a BullMQ view of the same queue, and cleanup. */
class Harness {
  readonly prefix = `test-${randomUUID()}`;
  readonly redis: Redis = createRedis(REDIS_URL);
  readonly events: EventQueue;
  readonly bull: Queue<EventJobData>;

  constructor(options: Partial<EventQueueOptions> = {}) {
    this.events = new EventQueue({ redisUrl: REDIS_URL, keyPrefix: this.prefix, ...options });
    this.bull = new Queue(EVENT_QUEUE, { connection: createRedis(REDIS_URL, { forBullMq: true }), prefix: bullPrefixFor(this.prefix) });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.bull.close();
    await this.bull.disconnect();
    const keys = await this.redis.keys(`${this.prefix}:*`);
    if (keys.length > 0) await this.redis.del(keys);
    await closeRedis(this.redis);
  }
}

describe('EventQueue', () => {
  const harnesses: Harness[] = [];
  const harness = (options?: Partial<EventQueueOptions>) => {
    const h = new Harness(options);
    harnesses.push(h);
    return h;
  };

  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });

  it('accepts an event once and answers duplicate when the same id comes again', async () => {
    const h = harness();
    const event = testRun(randomUUID());

    expect(await h.events.enqueue(event)).toBe('accepted');
    expect(await h.events.enqueue(event)).toBe('duplicate');
    expect(await h.events.enqueue({ ...event, result: 'Pass' })).toBe('duplicate');

    const jobs = await h.bull.getJobs(['waiting']);
    expect(jobs).toHaveLength(1);
    expect(await h.events.depth()).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });
  });

  it('stores the parsed event as job data, under the event job name, id and retry options', async () => {
    const h = harness();
    const id = 'evt:42/ä b~%';
    const event = testRun(id);

    await h.events.enqueue({ ...event, plantId: 'PLANT-7' } as OpcenterEvent);

    const job = await h.bull.getJob(eventJobIdFor(id));
    expect(job?.id).toBe('event~evt%3A42%2F%C3%A4%20b%7E%25');
    expect(job?.name).toBe(EVENT_JOB_NAME);
    expect(job?.data).toEqual(event);
    expect(job?.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 1000 } });
  });

  it('adds exactly one job when ten enqueues of one event race, and exactly one of them is accepted', async () => {
    const h = harness();
    const event = testRun(randomUUID());

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => h.events.enqueue(event)));

    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    expect(await h.bull.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(1);
  });

  it('keeps different events apart', async () => {
    const h = harness();

    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => h.events.enqueue(testRun(id))));

    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted']);
    expect((await h.events.depth()).waiting).toBe(3);
  });

  it('remembers an id for the dedup TTL, even after its job is gone', async () => {
    const h = harness({ dedupTtlSeconds: 3600 });
    const event = testRun(randomUUID());
    await h.events.enqueue(event);

    const ttl = await h.redis.ttl(eventSeenKey(h.prefix, event.id));
    await (await h.bull.getJob(eventJobIdFor(event.id)))?.remove();

    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(await h.events.enqueue(event)).toBe('duplicate');
    expect((await h.events.depth()).waiting).toBe(0);
  });

  it('adds no second job when a replay finds the job but not the mark (a crash between the two writes)', async () => {
    const h = harness();
    const event = testRun(randomUUID());
    await h.events.enqueue(event);
    await h.redis.del(eventSeenKey(h.prefix, event.id));

    expect(await h.events.enqueue(event)).toBe('accepted');

    expect(await h.redis.exists(eventSeenKey(h.prefix, event.id))).toBe(1);
    expect(await h.bull.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(1);
  });

  it('refuses an invalid event before touching Redis', async () => {
    const h = harness();

    await expect(h.events.enqueue({ ...testRun('x'), failedStepCount: -1 })).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      field: 'failedStepCount',
    });
    expect(await h.redis.exists(eventSeenKey(h.prefix, 'x'))).toBe(0);
    expect(await h.bull.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
  });

  it('fails with EVENT_QUEUE_UNAVAILABLE within its timeout when Redis cannot be reached', async () => {
    const h = harness({ redisUrl: 'redis://127.0.0.1:1', timeoutMs: 300, onError: () => undefined });

    const started = Date.now();
    await expect(h.events.enqueue(testRun('y'))).rejects.toMatchObject({
      code: 'EVENT_QUEUE_UNAVAILABLE',
      message: expect.stringMatching(/Could not enqueue event y: Redis did not answer within 300 ms/),
    });
    await expect(h.events.ping()).rejects.toMatchObject({ code: 'EVENT_QUEUE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(2000);

    await h.events.close();
    // ioredis destroys a refused socket only after its disconnectTimeout (2 s); wait it out so Jest exits cleanly.
    await sleep(2100);
  });

  it('answers ping when Redis is up and refuses work once closed', async () => {
    const h = harness();
    await expect(h.events.ping()).resolves.toBeUndefined();

    await h.events.close();

    await expect(h.events.enqueue(testRun('z'))).rejects.toMatchObject({ code: 'EVENT_QUEUE_UNAVAILABLE' });
  });
});
