import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InvalidInsightError } from './errors';
import type { Insight } from './insight';
import { InsightStore } from './insight-store';
import { closeRedis, createRedis } from './redis';

const REDIS_URL = 'redis://127.0.0.1:6379';

function boardInsight(subjectId: string, overrides: Partial<Insight> = {}): Insight {
  return {
    modelName: 'spi-defect-risk',
    modelVersion: '1.0.0',
    subjectType: 'board',
    subjectId,
    status: 'READY',
    value: { score: 0.12, level: 'LOW', predictedDefects: [] },
    confidence: 0.9,
    computedAt: new Date().toISOString(),
    featuresDigest: 'sha256:abc',
    ...overrides,
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(keys);
}

describe('InsightStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: InsightStore;

  beforeAll(() => {
    redis = createRedis(REDIS_URL);
  });

  beforeEach(() => {
    prefix = `test-${randomUUID()}`;
    store = new InsightStore(redis, { keyPrefix: prefix, historySize: 3 });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });

  afterAll(async () => {
    await closeRedis(redis);
  });

  it('returns the latest insight of a subject and keeps it under the documented key', async () => {
    await store.put(boardInsight('SN1', { confidence: 0.5 }));
    await store.put(boardInsight('SN1', { confidence: 0.7 }));

    const latest = await store.getLatest('spi-defect-risk', 'board', ['SN1']);
    expect(latest.get('SN1')?.confidence).toBe(0.7);
    expect(await redis.exists(`${prefix}:insight:spi-defect-risk:board:SN1`)).toBe(1);
  });

  it('keeps a history bounded by the configured size, newest first', async () => {
    for (const confidence of [0.1, 0.2, 0.3, 0.4, 0.5]) await store.put(boardInsight('SN1', { confidence }));

    const history = await store.history('spi-defect-risk', 'board', 'SN1');
    expect(history.map((insight) => insight.confidence)).toEqual([0.5, 0.4, 0.3]);
    expect(await redis.llen(store.historyKey('spi-defect-risk', 'board', 'SN1'))).toBe(3);
    expect((await store.history('spi-defect-risk', 'board', 'SN1', 2)).map((i) => i.confidence)).toEqual([0.5, 0.4]);
  });

  it('reads many subjects in one round trip and leaves out those without an insight', async () => {
    const serials = Array.from({ length: 50 }, (_, i) => `SN${i}`);
    for (const serial of serials.filter((_, i) => i % 2 === 0)) await store.put(boardInsight(serial));
    const mget = jest.spyOn(redis, 'mget');

    const latest = await store.getLatest('spi-defect-risk', 'board', [...serials, 'NEVER-SCORED']);

    expect(mget).toHaveBeenCalledTimes(1);
    mget.mockRestore();
    expect(latest.size).toBe(25);
    expect(latest.has('SN0')).toBe(true);
    expect(latest.has('SN1')).toBe(false);
    expect(latest.has('NEVER-SCORED')).toBe(false);
    expect(await store.getLatest('spi-defect-risk', 'board', [])).toEqual(new Map());
  });

  it('ignores insights of another model version when a version is asked for', async () => {
    await store.put(boardInsight('SN1', { modelVersion: '1.0.0' }));

    expect((await store.getLatest('spi-defect-risk', 'board', ['SN1'], '1.0.0')).has('SN1')).toBe(true);
    expect((await store.getLatest('spi-defect-risk', 'board', ['SN1'], '2.0.0')).has('SN1')).toBe(false);
    expect((await store.getLatest('spi-defect-risk', 'board', ['SN1'])).get('SN1')?.modelVersion).toBe('1.0.0');
  });

  it('keeps models and subject types apart', async () => {
    await store.put(boardInsight('X1'));
    await store.put({ ...boardInsight('X1'), modelName: 'yield-predictor', subjectType: 'order', value: { yield: 0.97 } });

    expect((await store.getLatest('spi-defect-risk', 'board', ['X1'])).get('X1')?.value).toEqual(boardInsight('X1').value);
    expect((await store.getLatest('yield-predictor', 'order', ['X1'])).get('X1')?.value).toEqual({ yield: 0.97 });
    expect((await store.getLatest('yield-predictor', 'board', ['X1'])).size).toBe(0);
  });

  it('stores failures and subjects with odd characters', async () => {
    const failed = boardInsight('SN:7/ä', {
      status: 'FAILED',
      value: null,
      confidence: null,
      featuresDigest: null,
      failure: { code: 'INVALID_FEATURE_INPUT', message: 'no SPI pads' },
    });
    await store.put(failed);

    expect((await store.getLatest('spi-defect-risk', 'board', ['SN:7/ä'])).get('SN:7/ä')).toEqual(failed);
  });

  it('refuses an insight that breaks the contract, naming the field', async () => {
    const put = store.put(boardInsight('SN1', { confidence: 1.5 }));
    await expect(put).rejects.toBeInstanceOf(InvalidInsightError);
    await expect(put).rejects.toMatchObject({ code: 'INVALID_INSIGHT', field: 'confidence' });
    expect((await store.getLatest('spi-defect-risk', 'board', ['SN1'])).size).toBe(0);
  });

  it('treats a stored value that no longer parses as missing', async () => {
    await redis.set(store.latestKey('spi-defect-risk', 'board', 'SN1'), '{"modelName":"spi-defect-risk"}');

    expect((await store.getLatest('spi-defect-risk', 'board', ['SN1'])).size).toBe(0);
  });
});
