import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AlertStream, type Alert, type AlertInput } from './alert-stream';
import { InvalidAlertCursorError, InvalidAlertError } from './errors';
import { closeRedis, createRedis } from './redis';

const REDIS_URL = 'redis://127.0.0.1:6379';

let sequence = 0;
function alertInput(overrides: Partial<AlertInput> = {}): AlertInput {
  sequence += 1;
  return {
    type: 'DEFECT_RISK',
    severity: 'WARNING',
    message: `Board SN${sequence}: defect risk 0.81 (HIGH)`,
    key: `DEFECT_RISK~1.0.0~SN${sequence}`,
    subjects: { serialNumber: `SN${sequence}`, orderId: 'WO-1', lineId: 'SMT-1' },
    occurredAt: new Date().toISOString(),
    details: { score: 0.81, referenceDesignators: ['U7'] },
    ...overrides,
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(keys);
}

/** Pulls `count` alerts from an iterator, failing after `timeoutMs`. */
async function take(iterator: AsyncIterator<Alert>, count: number, timeoutMs = 5000): Promise<Alert[]> {
  const taken: Alert[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const left = deadline - Date.now();
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(left, 0)).unref()),
    ]);
    if (next === 'timeout') throw new Error(`got ${taken.length} of ${count} alerts within ${timeoutMs} ms`);
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/** Connections (`CLIENT LIST`) that the stream with this prefix opened for subscribers. */
async function subscriberConnections(redis: Redis, prefix: string): Promise<number> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${prefix}:alerts:subscriber `)).length;
}

describe('AlertStream', () => {
  let redis: Redis;
  let prefix: string;
  let stream: AlertStream;

  beforeAll(() => {
    redis = createRedis(REDIS_URL);
  });

  beforeEach(() => {
    prefix = `test-${randomUUID()}`;
    stream = new AlertStream({ redis, keyPrefix: prefix, maxLength: 100_000, maxAgeMs: 3_600_000 });
  });

  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });

  afterAll(async () => {
    await closeRedis(redis);
  });

  it('appends an alert once however often the same key is appended, answering the first id', async () => {
    const input = alertInput();
    const first = await stream.append(input);
    const again = await stream.append({ ...input, message: 'replayed' });

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(await stream.length()).toBe(1);
    expect(await redis.get(`${prefix}:alerts:key:${input.key}`)).toBe(first.id);
    const ttl = await redis.pttl(`${prefix}:alerts:key:${input.key}`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('raises one alert when the same action is replayed concurrently', async () => {
    const input = alertInput();
    const results = await Promise.all(Array.from({ length: 20 }, () => stream.append(input)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await stream.length()).toBe(1);
  });

  it('keeps alerts in append order with increasing ids under the documented key', async () => {
    const inputs = [alertInput(), alertInput({ type: 'TEST_FAILURE', severity: 'CRITICAL' }), alertInput({ type: 'YIELD_AT_RISK', subjects: { orderId: 'WO-2' } })];
    const ids: string[] = [];
    for (const input of inputs) ids.push((await stream.append(input)).id);

    const alerts = await stream.readAfter(null, 10);
    expect(alerts).toEqual(inputs.map((input, i) => ({ ...input, id: ids[i] })));
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect(await redis.xlen(`${prefix}:alerts`)).toBe(3);
  });

  it('reads the alerts after a cursor, a page at a time, and the newest first with readBefore', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await stream.append(alertInput())).id);

    expect((await stream.readAfter(ids[1] as string, 3)).map((a) => a.id)).toEqual(ids.slice(2, 5));
    expect((await stream.readAfter(ids[6] as string, 3)).map((a) => a.id)).toEqual([]);
    expect((await stream.readBefore(null, 2)).map((a) => a.id)).toEqual([ids[6], ids[5]]);
    expect((await stream.readBefore(ids[5] as string, 2)).map((a) => a.id)).toEqual([ids[4], ids[3]]);
    expect(await stream.lastId()).toBe(ids[6]);
  });

  it('reads from the oldest retained alert when the cursor is older than the history', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await stream.append(alertInput())).id);
    expect((await stream.readAfter('0-0', 10)).map((a) => a.id)).toEqual(ids);
    expect((await stream.readAfter('1-0', 10)).map((a) => a.id)).toEqual(ids);
  });

  it('refuses a cursor that is not an alert id with INVALID_ALERT_CURSOR', async () => {
    for (const cursor of ['', 'abc', '123', '12-x', '(1-0', '1-0 2-0']) {
      await expect(stream.readAfter(cursor, 1)).rejects.toBeInstanceOf(InvalidAlertCursorError);
    }
    expect(() => stream.subscribe('yesterday', { signal: new AbortController().signal })).toThrow(
      expect.objectContaining({ code: 'INVALID_ALERT_CURSOR', message: expect.stringMatching(/pass the id of an alert already received/) }),
    );
  });

  it('refuses an alert that breaks the contract, naming the field', async () => {
    await expect(stream.append({ ...alertInput(), severity: 'LOUD' } as unknown as AlertInput)).rejects.toMatchObject({ code: 'INVALID_ALERT', field: 'severity' });
    await expect(stream.append(alertInput({ occurredAt: 'today' }))).rejects.toBeInstanceOf(InvalidAlertError);
    await expect(stream.append(alertInput({ subjects: { serialNumber: '' } }))).rejects.toMatchObject({ field: 'subjects.serialNumber' });
    expect(await stream.length()).toBe(0);
  });

  it('retains about maxLength alerts, dropping the oldest', async () => {
    const short = new AlertStream({ redis, keyPrefix: prefix, maxLength: 100, maxAgeMs: 3_600_000 });
    const ids: string[] = [];
    for (let i = 0; i < 600; i += 1) ids.push((await short.append(alertInput())).id);

    const length = await short.length();
    // Approximate trimming removes whole stream nodes (at most 100 entries each by default).
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(250);
    const retained = await short.readAfter(null, 1000);
    expect(retained.map((a) => a.id)).toEqual(ids.slice(-length));
    expect((await short.readAfter(ids[0] as string, 1))[0]?.id).toBe(ids[600 - length]);
  });

  it('drops alerts older than maxAgeMs, and forgets their keys then', async () => {
    const brief = new AlertStream({ redis, keyPrefix: prefix, maxLength: 100_000, maxAgeMs: 300 });
    const old: string[] = [];
    const first = alertInput();
    old.push((await brief.append(first)).id);
    for (let i = 0; i < 299; i += 1) old.push((await brief.append(alertInput())).id);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const fresh = await brief.append(alertInput());
    const retained = (await brief.readAfter(null, 1000)).map((a) => a.id);
    expect(retained.length).toBeLessThan(150);
    expect(retained).not.toContain(old[0]);
    expect(retained[retained.length - 1]).toBe(fresh.id);
    expect(await brief.append(first)).toMatchObject({ duplicate: false });
  });

  it('replays the alerts after a cursor, then goes live, with no gap or duplicate when alerts arrive during the replay', async () => {
    const before: string[] = [];
    for (let i = 0; i < 250; i += 1) before.push((await stream.append(alertInput())).id);
    const controller = new AbortController();
    const alerts = stream.subscribe(before[9] as string, { signal: controller.signal, blockMs: 200 });

    // Appends race the replay (which reads in pages of 100) and then the live reads.
    const appending = (async () => {
      const ids: string[] = [];
      for (let i = 0; i < 150; i += 1) {
        ids.push((await stream.append(alertInput())).id);
        if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return ids;
    })();
    const received = await take(alerts, 240 + 150, 10_000);
    const during = await appending;

    expect(received.map((a) => a.id)).toEqual([...before.slice(10), ...during]);
    controller.abort();
    expect(await alerts.next()).toEqual({ done: true, value: undefined });
  });

  it('starts after the newest alert when no cursor is given', async () => {
    await stream.append(alertInput());
    const controller = new AbortController();
    const alerts = stream.subscribe(null, { signal: controller.signal, blockMs: 200 });
    // The starting point is fixed when subscribe is called, before anything is pulled.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = await stream.append(alertInput());
    expect((await take(alerts, 1)).map((a) => a.id)).toEqual([next.id]);
    await alerts.return?.();
  });

  it('ends at once when the signal aborts mid-read, and closes its blocking connection', async () => {
    const controller = new AbortController();
    const alerts = stream.subscribe(null, { signal: controller.signal, blockMs: 30_000 });
    const pending = alerts.next();
    await waitFor(async () => (await subscriberConnections(redis, prefix)) === 1);

    const started = Date.now();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(async () => (await subscriberConnections(redis, prefix)) === 0);
  });

  it('ends at once when the consumer returns mid-read (as graphql-ws does when a client unsubscribes)', async () => {
    const alerts = stream.subscribe(null, { signal: new AbortController().signal, blockMs: 30_000 });
    const pending = alerts.next();
    await waitFor(async () => (await subscriberConnections(redis, prefix)) === 1);

    const started = Date.now();
    await alerts.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(async () => (await subscriberConnections(redis, prefix)) === 0);
  });

  it('delivers live alerts to several subscribers, each on its own connection', async () => {
    const controller = new AbortController();
    const a = stream.subscribe(null, { signal: controller.signal, blockMs: 200 });
    const b = stream.subscribe(null, { signal: controller.signal, blockMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = a.next();
    const second = b.next();
    const { id } = await stream.append(alertInput());
    expect((await first).value?.id).toBe(id);
    expect((await second).value?.id).toBe(id);
    controller.abort();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
