import { createClient, type Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { IDENTITY_HEADER, scopesOf, signIdentity } from '../../../auth';
import type { AlertInput } from '../../../insights/alert-stream';
import { loadInsightsConfig } from '../../../insights/config';
import type { OpcenterClient } from '../../../opcenter/client';
import { createAiInsights, DEV_GATEWAY_SECRET, startSubgraphServer, type AiInsights, type SubgraphServer } from '../../shared';
import { buildSchema } from '../schema';
import { take } from '../../../test/support/async';

const ALERT_FIELDS = 'id type severity message occurredAt serialNumber orderId workCenterId lineId details board { serialNumber } productionOrder { id }';
const SUBSCRIPTION = `subscription ($after: ID, $filter: AlertFilter) { alerts(after: $after, filter: $filter) { ${ALERT_FIELDS} } }`;

interface AlertView {
  id: string;
  type: string;
  severity: string;
  message: string;
  occurredAt: string;
  serialNumber: string | null;
  orderId: string | null;
  lineId: string | null;
  details: Record<string, unknown> | null;
  board: { serialNumber: string } | null;
  productionOrder: { id: string } | null;
}

let prefix: string;
let ai: AiInsights;
let server: SubgraphServer;
let counter = 0;

function alertInput(overrides: Partial<AlertInput> = {}): AlertInput {
  counter += 1;
  return {
    type: 'DEFECT_RISK',
    severity: 'WARNING',
    message: `Board SN${counter}: defect risk 0.8 (HIGH)`,
    key: `DEFECT_RISK~1.0.0~SN${counter}~${randomUUID()}`,
    subjects: { serialNumber: `SN${counter}`, orderId: 'WO-1', lineId: 'SMT-1', workCenterId: 'WC-1' },
    occurredAt: '2026-03-01T10:00:00.000Z',
    details: { score: 0.8 },
    ...overrides,
  };
}

const gatewayIdentity = () => signIdentity({ sub: 'operator', roles: ['OPERATOR'], scopes: scopesOf(['OPERATOR']) }, DEV_GATEWAY_SECRET);

function wsClient(connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
}


async function subscriberConnections(): Promise<number> {
  const list = (await ai.redis.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${prefix}:alerts:subscriber `)).length;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function post<T>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await gatewayIdentity() },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T };
}

beforeAll(async () => {
  prefix = `test-${randomUUID()}`;
  ai = createAiInsights(loadInsightsConfig({ REDIS_KEY_PREFIX: prefix }));
  server = await startSubgraphServer({
    name: 'quality',
    schema: await buildSchema(),
    host: '127.0.0.1',
    port: 0,
    signingSecret: DEV_GATEWAY_SECRET,
    opcenter: {} as OpcenterClient,
    ai,
    maxBufferedEvents: 20,
  });
});

afterAll(async () => {
  await server?.close();
  const keys = await ai.redis.keys(`${prefix}:*`);
  if (keys.length > 0) await ai.redis.del(keys);
  await ai?.close();
});

describe('Subscription.alerts over graphql-ws', () => {
  it('replays the alerts after `after`, then streams live ones, with entity references for the board and order', async () => {
    const first = await ai.alerts.append(alertInput());
    const second = await ai.alerts.append(alertInput({ severity: 'CRITICAL', subjects: { serialNumber: 'SN-X', orderId: 'WO-9' }, details: { score: 0.97, at: ['U7'] } }));
    const third = await ai.alerts.append(alertInput({ type: 'YIELD_AT_RISK', subjects: { orderId: 'WO-9' }, details: undefined }));
    const client = wsClient({ [IDENTITY_HEADER]: await gatewayIdentity() });
    try {
      const events = client.iterate<{ alerts: AlertView }>({ query: SUBSCRIPTION, variables: { after: first.id } });
      const replayed = await take(events, 2);
      const live = await ai.alerts.append(alertInput({ type: 'TEST_FAILURE', severity: 'INFO', subjects: { lineId: 'SMT-2' } }));
      const [liveResult] = await take(events, 1);

      expect(replayed.map((r) => r.data?.alerts.id)).toEqual([second.id, third.id]);
      expect(replayed[0]?.data?.alerts).toEqual({
        id: second.id,
        type: 'DEFECT_RISK',
        severity: 'CRITICAL',
        message: expect.stringMatching(/defect risk/),
        occurredAt: '2026-03-01T10:00:00.000Z',
        serialNumber: 'SN-X',
        orderId: 'WO-9',
        workCenterId: null,
        lineId: null,
        details: { score: 0.97, at: ['U7'] },
        board: { serialNumber: 'SN-X' },
        productionOrder: { id: 'WO-9' },
      });
      expect(replayed[1]?.data?.alerts).toMatchObject({ type: 'YIELD_AT_RISK', board: null, productionOrder: { id: 'WO-9' }, details: null });
      expect(liveResult?.data?.alerts).toMatchObject({ id: live.id, type: 'TEST_FAILURE', severity: 'INFO', lineId: 'SMT-2' });
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('delivers only the alerts that pass the filter: AND across fields, OR within one', async () => {
    const start = await ai.alerts.append(alertInput());
    const client = wsClient({ [IDENTITY_HEADER]: await gatewayIdentity() });
    try {
      const events = client.iterate<{ alerts: AlertView }>({
        query: SUBSCRIPTION,
        variables: { after: start.id, filter: { types: ['DEFECT_RISK', 'TEST_FAILURE'], lines: ['SMT-1'], severities: [] } },
      });
      const appended = [
        await ai.alerts.append(alertInput({ type: 'DEFECT_RISK', subjects: { lineId: 'SMT-1' } })),
        await ai.alerts.append(alertInput({ type: 'YIELD_AT_RISK', subjects: { lineId: 'SMT-1' } })),
        await ai.alerts.append(alertInput({ type: 'TEST_FAILURE', subjects: { lineId: 'SMT-2' } })),
        await ai.alerts.append(alertInput({ type: 'TEST_FAILURE', subjects: { orderId: 'WO-1' } })),
        await ai.alerts.append(alertInput({ type: 'TEST_FAILURE', severity: 'CRITICAL', subjects: { lineId: 'SMT-1' } })),
      ];
      const received = await take(events, 2);
      expect(received.map((r) => r.data?.alerts.id)).toEqual([appended[0]?.id, appended[4]?.id]);
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('answers BAD_USER_INPUT for an `after` that is not an alert id', async () => {
    const client = wsClient({ [IDENTITY_HEADER]: await gatewayIdentity() });
    try {
      const results = await take(client.iterate({ query: SUBSCRIPTION, variables: { after: 'yesterday' } }), 2);
      expect(results).toHaveLength(1);
      expect(results[0]?.errors?.[0]).toMatchObject({ message: expect.stringMatching(/after must be the id of an alert/), extensions: { code: 'BAD_USER_INPUT' } });
    } finally {
      await client.dispose();
    }
  });

  it('refuses a connection without a valid signed identity with 4401', async () => {
    const forged = await signIdentity({ sub: 'x', roles: ['ADMIN'], scopes: scopesOf(['ADMIN']) }, 'forged-secret-0123456789abcdef');
    for (const connectionParams of [undefined, { [IDENTITY_HEADER]: forged }, { authorization: 'Bearer whatever' }]) {
      const client = wsClient(connectionParams);
      try {
        await expect(client.iterate({ query: SUBSCRIPTION }).next()).rejects.toMatchObject({ code: 4401, reason: expect.stringMatching(/must come through the gateway/) });
      } finally {
        await client.dispose();
      }
    }
  });

  it('releases the blocking Redis connection when the client unsubscribes or disconnects', async () => {
    expect(await subscriberConnections()).toBe(0);
    const client = wsClient({ [IDENTITY_HEADER]: await gatewayIdentity() });
    const one = client.iterate({ query: SUBSCRIPTION });
    const two = client.iterate({ query: SUBSCRIPTION });
    void one.next();
    void two.next();
    await waitFor(async () => (await subscriberConnections()) === 2);
    await one.return?.();
    await waitFor(async () => (await subscriberConnections()) === 1);
    await client.dispose();
    await waitFor(async () => (await subscriberConnections()) === 0);
  });

  it('closes a connection that falls more than maxBufferedEvents behind with 4429, telling it where to resume', async () => {
    const start = await ai.alerts.append(alertInput());
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const received: string[] = [];
    let acknowledged!: () => void;
    const ack = new Promise<void>((resolve) => (acknowledged = resolve));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { alerts?: { id: string } } } };
      if (message.type === 'connection_ack') acknowledged();
      if (message.type === 'next' && message.payload?.data?.alerts) received.push(message.payload.data.alerts.id);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { [IDENTITY_HEADER]: await gatewayIdentity() } }));
    await ack;
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription ($after: ID) { alerts(after: $after) { id details } }`, variables: { after: start.id } } }));
    // Stop reading: once the kernel's socket buffers are full, events pile up in the server.
    socket.pause();
    const blob = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400; i += 1) await ai.alerts.append(alertInput({ details: { blob } }));
    await waitFor(async () => (await subscriberConnections()) === 0, 10_000);
    socket.resume();

    const { code, reason } = await closed;
    expect(code).toBe(4429);
    expect(reason).toMatch(/^Slow consumer: more than 20 alerts buffered; reconnect with after=\d+-\d+$/);
    expect(received.length).toBeLessThan(400);
    expect(reason.endsWith(`after=${received[received.length - 1]}`)).toBe(true);
  }, 30_000);
});

describe('Query.alerts', () => {
  it('pages the retained alerts newest first, with alert ids as cursors and the retained count', async () => {
    const newest = await ai.alerts.readBefore(null, 3);
    const first = await post<{ alerts: { nodes: { id: string }[]; edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number } }>(
      '{ alerts(first: 2) { nodes { id } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } }',
    );
    expect(first.errors).toBeUndefined();
    expect(first.data?.alerts.nodes.map((n) => n.id)).toEqual(newest.slice(0, 2).map((a) => a.id));
    expect(first.data?.alerts.edges.map((e) => e.cursor)).toEqual(newest.slice(0, 2).map((a) => a.id));
    expect(first.data?.alerts.pageInfo.hasNextPage).toBe(true);
    expect(first.data?.alerts.totalCount).toBe(await ai.alerts.length());

    const next = await post<{ alerts: { nodes: { id: string }[] } }>('query ($after: ID) { alerts(first: 1, after: $after) { nodes { id } } }', {
      after: first.data?.alerts.pageInfo.endCursor,
    });
    expect(next.data?.alerts.nodes.map((n) => n.id)).toEqual([newest[2]?.id]);
  });

  it('filters the history and refuses a bad cursor or page size', async () => {
    const yieldAlert = await ai.alerts.append(alertInput({ type: 'YIELD_AT_RISK', subjects: { orderId: 'WO-77' } }));
    const filtered = await post<{ alerts: { nodes: { id: string; orderId: string }[]; totalCount: number | null } }>(
      '{ alerts(first: 5, filter: { orders: ["WO-77"] }) { nodes { id orderId } totalCount } }',
    );
    expect(filtered.data?.alerts).toEqual({ nodes: [{ id: yieldAlert.id, orderId: 'WO-77' }], totalCount: null });

    const badCursor = await post('{ alerts(after: "abc") { totalCount } }');
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badSize = await post('{ alerts(first: 1000) { totalCount } }');
    expect(badSize.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
