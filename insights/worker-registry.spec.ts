import { randomUUID } from 'node:crypto';
import { closeRedis, createRedis } from './redis';
import { publishWorkerHeartbeat, readWorkerHeartbeats, removeWorkerHeartbeat, workerHeartbeatKey, type WorkerHeartbeat } from './worker-registry';

const REDIS_URL = 'redis://127.0.0.1:6379';

function heartbeat(workerId: string): WorkerHeartbeat {
  return {
    workerId,
    host: 'host-1',
    pid: 4242,
    models: [
      { name: 'spi-defect-risk', version: '1.0.0', provider: 'cpu' },
      { name: 'yield-predictor', version: '1.0.0', provider: 'cpu' },
    ],
    startedAt: '2026-11-20T06:00:00.000Z',
  };
}

describe('worker registry', () => {
  const redis = createRedis(REDIS_URL);
  const keyPrefix = `test-${randomUUID()}`;

  afterAll(async () => {
    // Every test uses a prefix of its own that starts with keyPrefix (a uuid: no glob characters).
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await closeRedis(redis);
  });

  it('lists every published heartbeat, sorted by worker id, and none of another prefix', async () => {
    const prefix = `${keyPrefix}-list`;
    await publishWorkerHeartbeat(redis, prefix, heartbeat('b'));
    await publishWorkerHeartbeat(redis, prefix, heartbeat('a'));
    await publishWorkerHeartbeat(redis, `${prefix}-other`, heartbeat('c'));
    expect(await readWorkerHeartbeats(redis, prefix)).toEqual([heartbeat('a'), heartbeat('b')]);
  });

  it('stores the heartbeat with a 15 s TTL by default and refreshes it on every publish', async () => {
    const prefix = `${keyPrefix}-ttl`;
    const key = workerHeartbeatKey(prefix, 'w1');
    await publishWorkerHeartbeat(redis, prefix, heartbeat('w1'));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(15_000);
    await redis.pexpire(key, 1000);
    await publishWorkerHeartbeat(redis, prefix, heartbeat('w1'));
    expect(await redis.pttl(key)).toBeGreaterThan(10_000);
  });

  it('forgets a worker whose heartbeat expired', async () => {
    const prefix = `${keyPrefix}-expiry`;
    await publishWorkerHeartbeat(redis, prefix, heartbeat('w1'), { ttlMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await readWorkerHeartbeats(redis, prefix)).toEqual([]);
  });

  it('forgets a worker whose heartbeat was removed', async () => {
    const prefix = `${keyPrefix}-removed`;
    await publishWorkerHeartbeat(redis, prefix, heartbeat('w1'));
    await removeWorkerHeartbeat(redis, prefix, 'w1');
    expect(await readWorkerHeartbeats(redis, prefix)).toEqual([]);
  });

  it('skips values that are not heartbeats', async () => {
    const prefix = `${keyPrefix}-malformed`;
    await publishWorkerHeartbeat(redis, prefix, heartbeat('good'));
    await redis.set(workerHeartbeatKey(prefix, 'not-json'), '{oops');
    await redis.set(workerHeartbeatKey(prefix, 'wrong-shape'), JSON.stringify({ workerId: 'wrong-shape', pid: 'x' }));
    await redis.set(workerHeartbeatKey(prefix, 'bad-model'), JSON.stringify({ ...heartbeat('bad-model'), models: [{ name: 'm' }] }));
    expect(await readWorkerHeartbeats(redis, prefix)).toEqual([heartbeat('good')]);
  });

  it('treats glob characters in the key prefix literally', async () => {
    const prefix = `${keyPrefix}-{tag}*?`;
    await publishWorkerHeartbeat(redis, prefix, heartbeat('w1'));
    await publishWorkerHeartbeat(redis, `${keyPrefix}-{tag}xy`, heartbeat('w2'));
    expect((await readWorkerHeartbeats(redis, prefix)).map((h) => h.workerId)).toEqual(['w1']);
  });

  it('answers an empty list when no worker runs', async () => {
    expect(await readWorkerHeartbeats(redis, `${keyPrefix}-none`)).toEqual([]);
  });
});
