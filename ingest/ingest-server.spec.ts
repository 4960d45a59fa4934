import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { EVENT_QUEUE, EventQueue, eventJobIdFor, eventSeenKey, type EventJobData } from '../insights/event-queue';
import { bullPrefixFor } from '../insights/jobs';
import { closeRedis, createRedis } from '../insights/redis';
import { EventDispatcher } from '../opcenter/emulator/events/event-dispatcher';
import type { AoiInspectionDoneEvent, WorkOrderStartedEvent } from '../opcenter/simulator';
import { startIngestServer, type IngestServer, type IngestServerOptions } from './ingest-server';

const REDIS_URL = 'redis://127.0.0.1:6379';
const SECRET = `test-secret-${randomUUID()}`;
const MAX_BODY_BYTES = 16 * 1024;

const aoi = (id = randomUUID()) =>
  ({
    id,
    eventType: 'AoiInspectionDone',
    timestamp: '2026-11-20T06:00:00.246Z',
    workOrderId: 'WO0026014',
    serialNumber: 'MDP261120000801',
    inspectionId: '2a5cf6ca-da68-4f76-95cf-8abdc8ded2d6',
    machineId: 'L1-AOI1',
    lineId: 'L1',
    result: 'Fail',
    defectCallCount: 3,
  }) satisfies AoiInspectionDoneEvent;

const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** One test's ingest server on port 0, its real event queue under a fresh key prefix, and a BullMQ view of it. */
class Harness {
  readonly prefix = `test-${randomUUID()}`;
  readonly redis: Redis = createRedis(REDIS_URL);
  readonly queue: EventQueue;
  readonly bull: Queue<EventJobData>;
  readonly logs: string[] = [];
  server!: IngestServer;

  constructor(queueOptions: { redisUrl?: string; timeoutMs?: number } = {}) {
    this.queue = new EventQueue({ redisUrl: REDIS_URL, keyPrefix: this.prefix, onError: () => undefined, ...queueOptions });
    this.bull = new Queue(EVENT_QUEUE, { connection: createRedis(REDIS_URL, { forBullMq: true }), prefix: bullPrefixFor(this.prefix) });
  }

  async start(options: Partial<IngestServerOptions> = {}): Promise<this> {
    this.server = await startIngestServer({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      allowUnsigned: false,
      maxBodyBytes: MAX_BODY_BYTES,
      events: this.queue,
      log: (line) => this.logs.push(line),
      ...options,
    });
    return this;
  }

  get eventsUrl(): string {
    return `${this.server.url}/events`;
  }

  /** Posts `body` (an object is serialized) with a valid signature unless `headers` say otherwise. */
  post(body: unknown, headers: Record<string, string | undefined> = {}): Promise<Response> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const all = { 'content-type': 'application/json', 'x-opcenter-signature': sign(text), ...headers };
    const defined = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return fetch(this.eventsUrl, { method: 'POST', headers: defined, body: text });
  }

  /** Jobs on the event queue in any state. */
  jobCount(): Promise<number> {
    return this.bull.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed');
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.queue.close();
    await this.bull.close();
    await this.bull.disconnect();
    const keys = await this.redis.keys(`${this.prefix}:*`);
    if (keys.length > 0) await this.redis.del(keys);
    await closeRedis(this.redis);
  }
}

/** Polls `check` every 20 ms until it returns true or `ms` pass. */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Posts a body of `total` bytes in 64 KiB chunks without a Content-Length; answers the status and the bytes written before it. */
function postStreaming(url: string, total: number): Promise<{ status: number; connection?: string; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, written }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('ingest server', () => {
  const harnesses: Harness[] = [];
  const harness = (queueOptions?: ConstructorParameters<typeof Harness>[0]) => {
    const h = new Harness(queueOptions);
    harnesses.push(h);
    return h;
  };

  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });

  describe('POST /events', () => {
    it('accepts a signed event with 202 once it is queued, and the job holds the event', async () => {
      const h = await harness().start();
      const event = aoi();

      const response = await h.post(event);

      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ id: event.id, status: 'accepted' });
      const job = await h.bull.getJob(eventJobIdFor(event.id));
      expect(job?.data).toEqual(event);
      expect(h.server.metrics.count('AoiInspectionDone', 'accepted')).toBe(1);
    });

    it('answers 202 duplicate to a replay and queues nothing more', async () => {
      const h = await harness().start();
      const event = aoi();
      await h.post(event);
      const depth = await h.queue.depth();

      const replay = await h.post(event);

      expect(replay.status).toBe(202);
      expect(await replay.json()).toEqual({ id: event.id, status: 'duplicate' });
      expect(await h.queue.depth()).toEqual(depth);
      expect(depth.waiting).toBe(1);
      expect(h.server.metrics.count('AoiInspectionDone', 'duplicate')).toBe(1);
    });

    it('accepts the shared secret as a bearer token instead of a signature', async () => {
      const h = await harness().start();
      const event = aoi();

      const response = await h.post(event, { 'x-opcenter-signature': undefined, authorization: `Bearer ${SECRET}` });

      expect(response.status).toBe(202);
      expect(await h.jobCount()).toBe(1);
    });

    it('refuses an invalid event with 400, naming the field, and enqueues nothing', async () => {
      const h = await harness().start();
      const event = { ...aoi(), defectCallCount: -3 };

      const response = await h.post(event);

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(body.error).toEqual({
        code: 'INVALID_EVENT',
        field: 'defectCallCount',
        message: expect.stringMatching(/non-negative integer, received number -3/),
      });
      expect(await h.jobCount()).toBe(0);
      expect(await h.redis.exists(eventSeenKey(h.prefix, event.id))).toBe(0);
      expect(h.server.metrics.count('AoiInspectionDone', 'invalid')).toBe(1);
      expect(h.logs.some((line) => line.startsWith('400 INVALID_EVENT'))).toBe(true);
    });

    it('refuses a body that is not JSON with 400 INVALID_JSON', async () => {
      const h = await harness().start();

      const response = await h.post('{"id": "x",');

      expect(response.status).toBe(400);
      const message = expect.stringMatching(/^The body is not UTF-8 JSON/);
      expect(await response.json()).toEqual({ error: { code: 'INVALID_JSON', message } });
      expect(await h.jobCount()).toBe(0);
    });

    it('refuses an unsigned event with 401, saying which header to send and never echoing the secret', async () => {
      const h = await harness().start();

      const response = await h.post(aoi(), { 'x-opcenter-signature': undefined, 'x-opcenter-event-type': 'AoiInspectionDone' });

      expect(response.status).toBe(401);
      const text = await response.text();
      const message = expect.stringMatching(/X-Opcenter-Signature: sha256=.*Authorization: Bearer/);
      expect(JSON.parse(text)).toEqual({ error: { code: 'UNAUTHENTICATED', message } });
      expect(text).not.toContain(SECRET);
      expect(await h.jobCount()).toBe(0);
      expect(h.server.metrics.count('AoiInspectionDone', 'unauthorized')).toBe(1);
    });

    it.each([
      ['signed with another secret', (body: string) => ({ 'x-opcenter-signature': sign(body, 'another-secret-0123456789') })],
      ['signed over other bytes', (body: string) => ({ 'x-opcenter-signature': sign(`${body} `) })],
      ['with a malformed signature', () => ({ 'x-opcenter-signature': 'sha1=abc' })],
      ['with a wrong bearer token', () => ({ 'x-opcenter-signature': undefined, authorization: 'Bearer not-the-secret' })],
    ])('refuses an event %s with 401 and enqueues nothing', async (_name, headers) => {
      const h = await harness().start();
      const body = JSON.stringify(aoi());

      const response = await h.post(body, headers(body));

      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      expect(await h.jobCount()).toBe(0);
    });

    it('refuses a body over the limit from its Content-Length with 413, before reading it', async () => {
      const h = await harness().start();
      const body = JSON.stringify({ ...aoi(), padding: 'x'.repeat(MAX_BODY_BYTES) });

      const response = await h.post(body);

      expect(response.status).toBe(413);
      const message = expect.stringContaining(`${MAX_BODY_BYTES} bytes`);
      expect(await response.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message } });
      expect(await h.jobCount()).toBe(0);
      expect(h.server.metrics.count('unknown', 'too_large')).toBe(1);
    });

    it('stops reading a streamed body once it passes the limit, answers 413 and closes the connection', async () => {
      const h = await harness().start();
      const total = 256 * 1024 * 1024;

      const result = await postStreaming(h.eventsUrl, total);

      expect(result.status).toBe(413);
      expect(result.connection).toBe('close');
      expect(result.written).toBeLessThan(total / 4);
      expect(await h.jobCount()).toBe(0);
    });

    it('refuses a content type other than JSON with 415', async () => {
      const h = await harness().start();

      const response = await h.post(aoi(), { 'content-type': 'text/plain' });

      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect((await h.post(aoi(), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
      expect(await h.jobCount()).toBe(1);
    });

    it('answers 503 with Retry-After when Redis cannot take the event, so the sender retries', async () => {
      const h = await harness({ redisUrl: 'redis://127.0.0.1:1', timeoutMs: 300 }).start({ retryAfterSeconds: 7 });

      const response = await h.post(aoi());

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      const message = expect.stringMatching(/^The event could not be made durable.*Retry it after 7 s/);
      expect(await response.json()).toEqual({ error: { code: 'UNAVAILABLE', message } });
      expect(h.server.metrics.count('AoiInspectionDone', 'unavailable')).toBe(1);
      expect(h.logs.some((line) => line.startsWith('503 UNAVAILABLE') && line.includes('Redis did not answer within 300 ms'))).toBe(true);
      expect((await fetch(`${h.server.url}/readyz`)).status).toBe(503);
      await h.queue.close();
      // ioredis destroys a refused socket only after its disconnectTimeout (2 s); wait it out so Jest exits cleanly.
      await sleep(2100);
    });

    it('accepts unsigned events only when configured to, and still checks credentials that are sent', async () => {
      const h = await harness().start({ allowUnsigned: true });

      expect((await h.post(aoi(), { 'x-opcenter-signature': undefined })).status).toBe(202);
      expect((await h.post(aoi(), { 'x-opcenter-signature': sign('other') })).status).toBe(401);
      expect(await h.jobCount()).toBe(1);
    });

    it('keeps serving after a client hangs up in the middle of a body', async () => {
      const h = await harness().start();
      await new Promise<void>((resolve) => {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${SECRET}`, 'content-length': '1000' };
        const req = request(h.eventsUrl, { method: 'POST', headers });
        req.on('error', () => resolve());
        req.write('{"id":', () => setTimeout(() => req.destroy(), 50));
        req.on('close', () => resolve());
      });

      expect((await h.post(aoi())).status).toBe(202);
      await eventually(() => h.logs.some((line) => line.includes('closed the connection before the body ended')));
    });
  });

  describe('the emulator as sender', () => {
    it("delivers an event posted by the emulator's EventDispatcher with the shared secret", async () => {
      const h = await harness().start();
      const dispatcher = new EventDispatcher({ subscribers: [h.eventsUrl], secret: SECRET });
      const event: WorkOrderStartedEvent = {
        id: randomUUID(),
        eventType: 'WorkOrderStarted',
        timestamp: '2026-11-20T06:02:09.000Z',
        workOrderId: 'WO0026015',
        lineId: 'L1',
        productId: 'GW-MB-100',
        plannedQuantity: 182,
      };

      dispatcher.publish(event);
      await eventually(() => dispatcher.stats()[0]?.delivered === 1);
      dispatcher.close();

      expect(dispatcher.stats()[0]).toMatchObject({ delivered: 1, dropped: 0, failures: 0 });
      expect((await h.bull.getJob(eventJobIdFor(event.id)))?.data).toEqual(event);
    });

    it('refuses the events of an emulator that signs with another secret, and the emulator drops them', async () => {
      const h = await harness().start();
      const dispatcher = new EventDispatcher({ subscribers: [h.eventsUrl], secret: 'not-the-ingest-secret-at-all' });

      dispatcher.publish(aoi());
      await eventually(() => dispatcher.stats()[0]?.dropped === 1);
      dispatcher.close();

      expect(dispatcher.stats()[0]).toMatchObject({ delivered: 0, dropped: 1 });
      expect(await h.jobCount()).toBe(0);
    });
  });

  describe('other routes', () => {
    it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
      const h = await harness().start();

      const missing = await fetch(`${h.server.url}/event`, { method: 'POST' });
      const wrongMethod = await fetch(h.eventsUrl);
      const postHealth = await fetch(`${h.server.url}/healthz`, { method: 'POST' });

      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
      expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
      expect(postHealth.status).toBe(405);
      expect(postHealth.headers.get('allow')).toBe('GET, HEAD');
    });

    it('answers healthz, and readyz while Redis answers PING', async () => {
      const h = await harness().start();

      const health = await fetch(`${h.server.url}/healthz`);
      const ready = await fetch(`${h.server.url}/readyz`);

      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    });

    it('serves Prometheus counters of events by type and outcome', async () => {
      const h = await harness().start();
      const event = aoi();
      await h.post(event);
      await h.post(event);
      await h.post({ ...aoi(), eventType: 'TestRunDone' });
      await h.post(aoi(), { 'x-opcenter-signature': undefined });

      const response = await fetch(`${h.server.url}/metrics`);
      const text = await response.text();

      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(text).toContain('# TYPE oig_ingest_events_total counter');
      expect(text).toContain('oig_ingest_events_total{type="AoiInspectionDone",outcome="accepted"} 1');
      expect(text).toContain('oig_ingest_events_total{type="AoiInspectionDone",outcome="duplicate"} 1');
      expect(text).toContain('oig_ingest_events_total{type="TestRunDone",outcome="invalid"} 1');
      expect(text).toContain('oig_ingest_events_total{type="unknown",outcome="unauthorized"} 1');
      expect(text).toContain('oig_ingest_events_total{type="WorkOrderStarted",outcome="accepted"} 0');
    });
  });
});
