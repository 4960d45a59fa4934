import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventDispatcher } from './event-dispatcher';

interface Received {
  body: { id: string };
  headers: Record<string, string | string[] | undefined>;
}

async function startReceiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const status = statuses.shift() ?? 202;
      if (status < 300) received.push({ body: JSON.parse(text) as { id: string }, headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, server };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const event = (n: number) => ({ id: `e${n}`, eventType: 'TestRunDone', timestamp: '2026-11-20T06:00:00Z' });

describe('EventDispatcher', () => {
  it('delivers every event in order, retrying one that met a 503, and signs the body', async () => {
    const receiver = await startReceiver([503, 503]);
    const dispatcher = new EventDispatcher({ subscribers: [receiver.url], secret: 'shh', maxBackoffMs: 50 });
    try {
      for (let n = 1; n <= 5; n++) dispatcher.publish(event(n));
      // The receiver has the last event before the dispatcher has read its answer.
      await until(() => receiver.received.length === 5 && dispatcher.stats()[0]?.queued === 0);
      expect(receiver.received.map((r) => r.body.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
      const first = receiver.received[0]!;
      const expected = createHmac('sha256', 'shh').update(JSON.stringify(event(1))).digest('hex');
      expect(first.headers['x-opcenter-signature']).toBe(`sha256=${expected}`);
      expect(first.headers['x-opcenter-event-id']).toBe('e1');
      expect(dispatcher.stats()[0]).toMatchObject({ delivered: 5, failures: 2, queued: 0 });
    } finally {
      dispatcher.close();
      receiver.server.close();
    }
  });

  it('drops an event the subscriber refuses with a 4xx and goes on with the next', async () => {
    const receiver = await startReceiver([400]);
    const dispatcher = new EventDispatcher({ subscribers: [receiver.url] });
    try {
      dispatcher.publish(event(1));
      dispatcher.publish(event(2));
      await until(() => receiver.received.length === 1 && dispatcher.stats()[0]?.queued === 0);
      expect(receiver.received.map((r) => r.body.id)).toEqual(['e2']);
      expect(dispatcher.stats()[0]).toMatchObject({ delivered: 1, dropped: 1 });
    } finally {
      dispatcher.close();
      receiver.server.close();
    }
  });

  it('keeps at most maxQueue events for an unreachable subscriber, dropping the oldest', () => {
    const dispatcher = new EventDispatcher({ subscribers: ['http://127.0.0.1:9/unreachable'], maxQueue: 3 });
    try {
      for (let n = 1; n <= 10; n++) dispatcher.publish(event(n));
      const stats = dispatcher.stats()[0]!;
      expect(stats.queued).toBeLessThanOrEqual(3);
      expect(stats.dropped).toBeGreaterThanOrEqual(7);
    } finally {
      dispatcher.close();
    }
  });
});
