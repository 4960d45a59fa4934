import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, createRedis } from '../../insights/redis';
import { YieldIntervalStateStore } from './yield-interval-state';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SETTINGS = { gamma: 0.2, alpha: 0.1 };
const MISS = { lower: 0.9, upper: 0.95, actual: 0.8 };
const HIT = { lower: 0.9, upper: 0.95, actual: 0.92 };

describe('YieldIntervalStateStore', () => {
  let redis: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = createRedis(REDIS_URL);
  });
  beforeEach(() => {
    prefix = `test-${randomUUID()}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(keys);
  });
  afterAll(async () => {
    await closeRedis(redis);
  });

  const store = (initialStates = {}) => new YieldIntervalStateStore(redis, { keyPrefix: prefix, modelVersion: '1.0.0', settings: SETTINGS, initialStates });

  it('answers the initial state of a scope nothing has updated yet, under the versioned key', async () => {
    const states = store({ all: { scale: 1.1, updates: 55 } });
    await expect(states.get('all')).resolves.toEqual({ scale: 1.1, updates: 55 });
    await expect(states.get('GW-MB-100')).resolves.toEqual({ scale: 1, updates: 0 });
    expect(states.key('all')).toBe(`${prefix}:yield-interval:1.0.0:all`);
  });

  it('updates from the initial state and counts a replayed completion of the same order once', async () => {
    const states = store({ all: { scale: 1.1, updates: 55 } });
    const first = await states.recordCompletion('all', 'WO-1', MISS);
    expect(first).toEqual({ applied: true, state: { scale: 1.1 * Math.exp(0.18), updates: 56 } });
    const replayed = await states.recordCompletion('all', 'WO-1', MISS);
    expect(replayed).toEqual({ applied: false, state: first.state });
    await expect(states.get('all')).resolves.toEqual(first.state);
    await states.recordCompletion('all', 'WO-2', HIT);
    await expect(states.get('all')).resolves.toEqual({ scale: 1.1 * Math.exp(0.18) * Math.exp(-0.02), updates: 57 });
    expect(await redis.pttl(`${states.key('all')}:completed`)).toBeGreaterThan(0);
  });

  it('loses no update when workers record different orders at once, and applies each order once', async () => {
    const states = store();
    const orders = Array.from({ length: 20 }, (_, i) => `WO-${i}`);
    const results = await Promise.all([...orders, ...orders].map((id) => states.recordCompletion('all', id, id.endsWith('0') ? MISS : HIT)));
    expect(results.filter((r) => r.applied)).toHaveLength(20);
    const state = await states.get('all');
    expect(state.updates).toBe(20);
    expect(state.scale).toBeCloseTo(Math.exp(0.2 * (2 * 0.9 - 18 * 0.1)), 12);
  });

  it('keeps scopes and model versions apart', async () => {
    const states = store();
    await states.recordCompletion('GW-MB-100', 'WO-1', MISS);
    await expect(states.get('SN-ENV-300')).resolves.toEqual({ scale: 1, updates: 0 });
    const next = new YieldIntervalStateStore(redis, { keyPrefix: prefix, modelVersion: '1.1.0', settings: SETTINGS });
    await expect(next.get('GW-MB-100')).resolves.toEqual({ scale: 1, updates: 0 });
  });
});
