import { setTimeout as sleep } from 'node:timers/promises';
import { closeRedis, createRedis, deleteKeysUnder } from './redis';
import { ScoringQueues } from './scoring-queue';
import { jobIdFor } from './jobs';

// Nothing listens on port 1: every connection attempt is refused at once.
const DEAD_REDIS = 'redis://127.0.0.1:1';

// ioredis arms a 2 s timer (not unref'd) when a client whose socket is already gone is disconnected:
// let it run out here, or jest reports that it did not exit.
afterAll(() => sleep(2100));

describe('createRedis', () => {
  it('connects lazily and fails a command quickly when Redis is down, without an unhandled error', async () => {
    const errors: Error[] = [];
    const client = createRedis(DEAD_REDIS, { onError: (error) => errors.push(error) });
    expect(client.status).toBe('wait');

    const started = Date.now();
    await expect(client.get('anything')).rejects.toThrow();

    expect(Date.now() - started).toBeLessThan(2000);
    expect(errors.length).toBeGreaterThan(0);
    await closeRedis(client);
  });

  it('gives BullMQ a connection without a per-command retry limit', async () => {
    const client = createRedis('redis://127.0.0.1:6379', { forBullMq: true });
    expect(client.options.maxRetriesPerRequest).toBeNull();
    await closeRedis(client);
  });
});

describe('ScoringQueues during a Redis outage', () => {
  it('answers pending within the budget and closes', async () => {
    const queues = new ScoringQueues({ redisUrl: DEAD_REDIS, keyPrefix: 'test-outage', onError: () => undefined });
    const payload = {
      kind: 'score-board',
      serialNumber: 'SN1',
      modelName: 'spi-defect-risk',
      modelVersion: '1.0.0',
      reason: 'query',
    } as const;

    const started = Date.now();
    const outcomes = await queues.requestScores([payload], { budgetMs: 300 });

    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcomes.get(jobIdFor(payload))).toEqual({ status: 'pending' });
    await queues.close();
  });
});

describe('deleteKeysUnder', () => {
  it('removes every key under the prefix, across SCAN pages, and nothing else', async () => {
    const client = createRedis('redis://127.0.0.1:6379');
    const prefix = `test-delete-${process.pid}-${Date.now()}`;
    try {
      const pipeline = client.pipeline();
      for (let i = 0; i < 2500; i++) pipeline.set(`${prefix}:k:${i}`, '1');
      pipeline.set(`${prefix}-other:k`, 'kept');
      await pipeline.exec();
      expect(await deleteKeysUnder(client, prefix)).toBe(2500);
      expect(await client.exists(`${prefix}:k:0`, `${prefix}:k:2499`)).toBe(0);
      expect(await client.get(`${prefix}-other:k`)).toBe('kept');
    } finally {
      await client.del(`${prefix}-other:k`);
      await closeRedis(client);
    }
  });
});
