/**
 * Live alerts through the gateway, as an andon board or the rework station receives them: alerts
 * appended to the Redis alert stream (as the workers append them) reach graphql-ws clients of the
 * gateway with the board's production order resolved from the execution subgraph; a client that
 * resumes with `after` misses nothing and sees nothing twice, also across a restart of the quality
 * subgraph; a client that stops reading is disconnected without holding the others back.
 */
import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { issueDevToken } from '../../../auth';
import { AlertStream, type AlertInput } from '../../../insights/alert-stream';
import { closeRedis, createRedis } from '../../../insights/redis';
import { startTestStack, type TestStack } from '../../support/test-stack';
import { take } from '../../support/async';

const MAX_BUFFERED = 20;

const SUBSCRIPTION = `subscription ($after: ID, $filter: AlertFilter) {
  alerts(after: $after, filter: $filter) {
    id type severity message occurredAt serialNumber
    board { serialNumber productionOrder { id productId } }
    productionOrder { id }
  }
}`;

interface AlertEvent {
  id: string;
  type: string;
  severity: string;
  message: string;
  serialNumber: string | null;
  board: { serialNumber: string; productionOrder: { id: string; productId: string } | null } | null;
  productionOrder: { id: string } | null;
}

let stack: TestStack;
let redis: Redis;
let stream: AlertStream;
let token: string;
let board: { serialNumber: string; orderId: string; productId: string };

function alertFor(serialNumber: string, orderId: string, overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    type: 'DEFECT_RISK',
    severity: 'WARNING',
    message: `Board ${serialNumber}: defect risk 0.84 (HIGH) at U7`,
    key: `DEFECT_RISK~1.0.0~${serialNumber}~${randomUUID()}`,
    subjects: { serialNumber, orderId, lineId: 'SMT-1' },
    occurredAt: new Date().toISOString(),
    details: { score: 0.84 },
    ...overrides,
  };
}

function gatewayClient(): Client {
  return createClient({
    url: `${stack.gatewayUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}


const idsOf = (results: { data?: { alerts: { id: string } } | null }[]) => results.map((result) => result.data?.alerts.id);

beforeAll(async () => {
  stack = await startTestStack({ gatewayEnv: { GATEWAY_WS_MAX_BUFFERED_ALERTS: String(MAX_BUFFERED) } });
  redis = createRedis('redis://127.0.0.1:6379');
  stream = new AlertStream({ redis, keyPrefix: stack.keyPrefix, maxLength: 100_000, maxAgeMs: 3_600_000 });
  token = await issueDevToken({ user: 'e2e-operator', roles: ['OPERATOR'] });
  const { body } = await stack.query('{ productionOrders(first: 1, filter: { status: "Completed" }) { nodes { id productId boards(first: 1) { nodes { serialNumber } } } } }');
  const order = (body.data as { productionOrders: { nodes: { id: string; productId: string; boards: { nodes: { serialNumber: string }[] } }[] } }).productionOrders.nodes[0];
  if (!order?.boards.nodes[0]) throw new Error(`The test plant has no order with boards: ${JSON.stringify(body)}`);
  board = { serialNumber: order.boards.nodes[0].serialNumber, orderId: order.id, productId: order.productId };
}, 120_000);

afterAll(async () => {
  if (redis) {
    const keys = await redis.keys(`${stack.keyPrefix}:*`);
    if (keys.length > 0) await redis.del(keys);
    await closeRedis(redis);
  }
  await stack?.stop();
});

describe('Subscription.alerts through the gateway', () => {
  it('delivers appended alerts with the board’s production order resolved from the execution subgraph', async () => {
    const start = await stream.append(alertFor(board.serialNumber, board.orderId, { type: 'YIELD_AT_RISK', subjects: { orderId: board.orderId } }));
    const client = gatewayClient();
    try {
      const events = client.iterate<{ alerts: AlertEvent }>({ query: SUBSCRIPTION, variables: { after: start.id } });
      const first = events.next();
      const appended = await stream.append(alertFor(board.serialNumber, board.orderId, { severity: 'CRITICAL' }));
      const result = (await first).value as ExecutionResult<{ alerts: AlertEvent }>;

      expect(result.errors).toBeUndefined();
      expect(result.data?.alerts).toEqual({
        id: appended.id,
        type: 'DEFECT_RISK',
        severity: 'CRITICAL',
        message: `Board ${board.serialNumber}: defect risk 0.84 (HIGH) at U7`,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        serialNumber: board.serialNumber,
        board: { serialNumber: board.serialNumber, productionOrder: { id: board.orderId, productId: board.productId } },
        productionOrder: { id: board.orderId },
      });
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('resumes with `after` from the last alert received, with no gap and no duplicate', async () => {
    const start = await stream.append(alertFor(board.serialNumber, board.orderId));
    const appended: string[] = [];
    for (let i = 0; i < 3; i += 1) appended.push((await stream.append(alertFor(board.serialNumber, board.orderId))).id);

    const first = gatewayClient();
    const seen = idsOf(await take(first.iterate<{ alerts: AlertEvent }>({ query: SUBSCRIPTION, variables: { after: start.id } }), 2));
    await first.dispose();
    // Raised while the client is away.
    for (let i = 0; i < 3; i += 1) appended.push((await stream.append(alertFor(board.serialNumber, board.orderId))).id);

    const second = gatewayClient();
    try {
      const events = second.iterate<{ alerts: AlertEvent }>({ query: SUBSCRIPTION, variables: { after: seen[seen.length - 1] } });
      const replayed = idsOf(await take(events, 4));
      const live = stream.append(alertFor(board.serialNumber, board.orderId));
      const [next] = idsOf(await take(events, 1));
      expect([...seen, ...replayed, next]).toEqual([...appended, (await live).id]);
      await events.return?.();
    } finally {
      await second.dispose();
    }
  });

  it('disconnects a client that stops reading with 4429 and where to resume, while another keeps receiving every alert', async () => {
    const start = await stream.append(alertFor(board.serialNumber, board.orderId));
    const count = 300;
    const fast = gatewayClient();
    const slow = new WebSocket(`${stack.gatewayUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    try {
      const fastEvents = fast.iterate<{ alerts: { id: string } }>({ query: 'subscription ($after: ID) { alerts(after: $after) { id details } }', variables: { after: start.id } });
      const fastReceived = take(fastEvents, count, 60_000);

      const slowReceived: string[] = [];
      let acknowledged!: () => void;
      const ack = new Promise<void>((resolve) => (acknowledged = resolve));
      slow.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { alerts?: { id: string } } } };
        if (message.type === 'connection_ack') acknowledged();
        if (message.type === 'next' && message.payload?.data?.alerts) slowReceived.push(message.payload.data.alerts.id);
      });
      const closed = new Promise<{ code: number; reason: string }>((resolve) => slow.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
      await new Promise((resolve) => slow.once('open', resolve));
      slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await ack;
      slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription ($after: ID) { alerts(after: $after) { id details } }', variables: { after: start.id } } }));
      slow.pause();

      const blob = 'x'.repeat(64 * 1024);
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push((await stream.append(alertFor(board.serialNumber, board.orderId, { details: { blob } }))).id);

      expect(idsOf(await fastReceived)).toEqual(ids);
      slow.resume();
      const { code, reason } = await closed;
      expect(code).toBe(4429);
      expect(reason).toBe(`Slow consumer: more than ${MAX_BUFFERED} alerts buffered; reconnect with after=${slowReceived[slowReceived.length - 1]}`);
      expect(slowReceived.length).toBeLessThan(count);
      expect(slowReceived).toEqual(ids.slice(0, slowReceived.length));
      await fastEvents.return?.();
    } finally {
      slow.terminate();
      await fast.dispose();
    }
  }, 90_000);

  it('carries on with no gap and no duplicate across a restart of the quality subgraph, and resumes with `after` too', async () => {
    const start = await stream.append(alertFor(board.serialNumber, board.orderId));
    const before = (await stream.append(alertFor(board.serialNumber, board.orderId))).id;
    const client = gatewayClient();
    try {
      const events = client.iterate<{ alerts: AlertEvent }>({ query: SUBSCRIPTION, variables: { after: start.id } });
      expect(idsOf(await take(events, 1))).toEqual([before]);

      await stack.stopProcess('quality');
      const during: string[] = [];
      for (let i = 0; i < 3; i += 1) during.push((await stream.append(alertFor(board.serialNumber, board.orderId))).id);
      await stack.restartProcess('quality');

      // The gateway reconnects to the subgraph, which replays from the original `after`; what was sent is not sent again.
      expect(idsOf(await take(events, 3, 60_000))).toEqual(during);
      const after = (await stream.append(alertFor(board.serialNumber, board.orderId))).id;
      expect(idsOf(await take(events, 1))).toEqual([after]);
      await events.return?.();

      const resumed = client.iterate<{ alerts: AlertEvent }>({ query: SUBSCRIPTION, variables: { after: before } });
      expect(idsOf(await take(resumed, 4))).toEqual([...during, after]);
      await resumed.return?.();
    } finally {
      await client.dispose();
    }
  }, 120_000);
});
