/**
 * The live path through real processes, as Opcenter's connector and an andon board use it: an SPI
 * event POSTed to ingest (signed) reaches a worker, which drafts a nonconformance in the emulator,
 * audits it and raises a DEFECT_RISK alert that a graphql-ws client of the gateway receives with the
 * board's production order resolved from the execution subgraph. A replayed event changes nothing;
 * invalid or unauthenticated events are refused and never queued; two gateways, each on its own
 * quality subgraph, deliver every alert in order to their clients. Real Redis, HTTP and graphql-ws.
 */
import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import type { Redis } from 'ioredis';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { issueDevToken } from '../../../auth';
import { AlertStream, type AlertInput } from '../../../insights/alert-stream';
import { EventQueue, eventSeenKey } from '../../../insights/event-queue';
import { InsightStore } from '../../../insights/insight-store';
import { bullPrefixFor } from '../../../insights/jobs';
import { closeRedis, createRedis } from '../../../insights/redis';
import { ScoringQueues } from '../../../insights/scoring-queue';
import { createOpcenterClient, type OpcenterClient, type Row } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import { smallPlant } from '../../support/test-emulator';
import { startTestStack, type TestStack } from '../../support/test-stack';
import { take, waitFor } from '../../support/async';
import { spiEventOf as spiEvent } from '../../support/spi-event';

const REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * The nonconformance threshold these tests configure (NC_RISK_THRESHOLD). The default, the card's
 * board operating threshold (0.182 for the served top-3 score), is above every bridging-prone board
 * of the small plant (the riskiest scores about 0.109): the model's bridging recall is its known
 * weakness (see models/spi-defect-risk/README.md). 0.1 still separates that board from clean ones,
 * which the tests check.
 */
const THRESHOLD = 0.1;

const DEFECT_RISK_SUBSCRIPTION = `subscription ($after: ID) {
  alerts(after: $after, filter: { types: [DEFECT_RISK] }) {
    id type severity message serialNumber
    board { serialNumber productionOrder { id productId } }
  }
}`;

interface DefectRiskAlert {
  id: string;
  type: string;
  severity: string;
  message: string;
  serialNumber: string | null;
  board: { serialNumber: string; productionOrder: { id: string; productId: string } | null } | null;
}

interface IngestAnswer {
  status: number;
  body: { id?: string; status?: string; error?: { code: string; field?: string; message: string } };
}

let stack: TestStack;
let redis: Redis;
let stream: AlertStream;
let events: EventQueue;
let queues: ScoringQueues;
let opcenter: OpcenterClient;
let token: string;
/** The SPI inspection of the bridging-prone board with the highest model risk, and that risk. */
let chosen: { inspection: Row; score: number; productId: string };
/** What test 1 posted and what it caused, for the replay of test 2. */
let posted: { body: string; signature: string; eventId: string; alertId: string; ncId: string } | undefined;




const signatureOf = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function postEvent(body: string, headers: Record<string, string>): Promise<IngestAnswer> {
  const response = await fetch(`${stack.ingestUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as IngestAnswer['body'] };
}

/** Event jobs ever added to the opcenter-events queue (finished ones are kept), by their job hashes. */
async function eventJobCount(): Promise<number> {
  const keys = await redis.keys(`${bullPrefixFor(stack.keyPrefix)}:opcenter-events:event~*`);
  return keys.filter((key) => !key.slice(key.lastIndexOf('event~')).includes(':')).length;
}

/** `oig_worker_jobs_total{queue="opcenter-events",outcome="completed"}` from the worker's /metrics. */
async function completedEventJobs(): Promise<number> {
  const text = await (await fetch(`${stack.workerUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('oig_worker_jobs_total{queue="opcenter-events",outcome="completed"}'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

function gatewayClient(gatewayUrl: string): Client {
  return createClient({
    url: `${gatewayUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

const nonconformancesOf = (serialNumber: string) => opcenter.listAll('nonConformance', { filter: { serialNumber } });
const ncAuditOf = (ncId: string) => opcenter.listAll('auditTrailEntry', { filter: { subjectId: ncId, action: 'AI_NONCONFORMANCE_CREATED' } });

beforeAll(async () => {
  stack = await startTestStack({
    ingest: true,
    gateways: 2,
    workerEnv: { NC_RISK_THRESHOLD: String(THRESHOLD), AUDIT_OUTBOX_LEASE_MS: '5000' },
  });
  redis = createRedis(REDIS_URL);
  stream = new AlertStream({ redis, keyPrefix: stack.keyPrefix, maxLength: 100_000, maxAgeMs: 3_600_000 });
  events = new EventQueue({ redisUrl: REDIS_URL, keyPrefix: stack.keyPrefix });
  queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix: stack.keyPrefix });
  opcenter = createOpcenterClient({ baseUrl: stack.emulatorUrl, ...DEV_CREDENTIALS });
  token = await issueDevToken({ user: 'e2e-andon', roles: ['OPERATOR'] });

  // The stack's emulator runs the same plant (seed 42, small, fixed end). Boards the simulator made
  // bridge through a print mechanism, scored through the query path first (by the stack's worker).
  const plant = smallPlant();
  const prone = plant
    .rows('SpiInspection')
    .filter((i) => plant.groundTruth(String(i.SerialNumber))?.defects.some((d) => d.defectType === 'Bridging' && d.mechanism !== 'Random'));
  const serials = prone.map((i) => String(i.SerialNumber));
  await queues.requestScores(
    serials.map((serialNumber) => ({ kind: 'score-board', serialNumber, modelName: 'spi-defect-risk', modelVersion: '1.0.0', reason: 'query' })),
    { budgetMs: 60_000 },
  );
  const store = new InsightStore(redis, { keyPrefix: stack.keyPrefix, historySize: 5 });
  const scores = await store.getLatest('spi-defect-risk', 'board', serials);
  const ranked = prone
    .map((inspection) => ({ inspection, score: (scores.get(String(inspection.SerialNumber))?.value as { score: number } | undefined)?.score ?? 0 }))
    .sort((a, b) => b.score - a.score);
  const top = ranked[0];
  if (!top) throw new Error('The small plant has no bridging-prone board.');
  const order = plant.rows('WorkOrder').find((o) => o.NId === top.inspection.WorkOrderNId);
  chosen = { ...top, productId: String(order?.FinalMaterialNId) };
}, 120_000);

afterAll(async () => {
  await events?.close();
  await queues?.close();
  if (redis) {
    const keys = await redis.keys(`${stack.keyPrefix}:*`);
    if (keys.length > 0) await redis.del(keys);
    await closeRedis(redis);
  }
  await stack?.stop();
});

describe('live path through ingest, the worker and the gateway', () => {
  it('turns a signed SPI event of a bridging-prone board into one nonconformance, its audit entry and a DEFECT_RISK alert that reaches a gateway client', async () => {
    expect(chosen.score).toBeGreaterThanOrEqual(THRESHOLD);
    const serial = String(chosen.inspection.SerialNumber);
    const orderId = String(chosen.inspection.WorkOrderNId);
    const secret = stack.ingestSecret as string;

    const client = gatewayClient(stack.gatewayUrl);
    try {
      // From the newest alert on (none yet: from the start), so no alert raised after this is missed.
      const alerts = client.iterate<{ alerts: DefectRiskAlert }>({ query: DEFECT_RISK_SUBSCRIPTION, variables: { after: (await stream.lastId()) ?? '0-0' } });
      const event = spiEvent(chosen.inspection);
      const body = JSON.stringify(event);
      const signature = signatureOf(body, secret);
      expect(await postEvent(body, { 'x-opcenter-signature': signature })).toEqual({ status: 202, body: { id: event.id, status: 'accepted' } });

      const [result] = (await take(alerts, 1, 15_000)) as ExecutionResult<{ alerts: DefectRiskAlert }>[];
      expect(result?.errors).toBeUndefined();
      const alert = result?.data?.alerts as DefectRiskAlert;
      expect(alert).toEqual({
        id: expect.stringMatching(/^\d+-\d+$/),
        type: 'DEFECT_RISK',
        severity: expect.stringMatching(/^(WARNING|CRITICAL)$/),
        message: expect.stringContaining(serial),
        serialNumber: serial,
        board: { serialNumber: serial, productionOrder: { id: orderId, productId: chosen.productId } },
      });
      await alerts.return?.();

      const ncs = await nonconformancesOf(serial);
      expect(ncs).toHaveLength(1);
      expect(ncs[0]).toMatchObject({ source: 'AI', status: 'PendingReview', workOrderId: orderId, modelName: 'spi-defect-risk' });
      const ncId = String(ncs[0]?.id);
      expect(alert.message).toContain(ncId);
      const audit = await waitFor(() => ncAuditOf(ncId), (rows) => rows.length > 0);
      expect(audit).toHaveLength(1);
      posted = { body, signature, eventId: event.id, alertId: alert.id, ncId };
    } finally {
      await client.dispose();
    }
  }, 45_000);

  it('answers a replay of the same signed event as a duplicate and changes nothing', async () => {
    if (!posted) throw new Error('needs the event of the previous test');
    const serial = String(chosen.inspection.SerialNumber);
    expect(await waitFor(completedEventJobs, (n) => n >= 1)).toBe(1);
    const jobsBefore = await eventJobCount();
    expect(jobsBefore).toBe(1);
    const depthBefore = await events.depth();

    expect(await postEvent(posted.body, { 'x-opcenter-signature': posted.signature })).toEqual({ status: 202, body: { id: posted.eventId, status: 'duplicate' } });
    // Time for a wrongly queued replay to be processed.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(await eventJobCount()).toBe(jobsBefore);
    expect(await events.depth()).toEqual(depthBefore);
    expect(await completedEventJobs()).toBe(1);
    expect(await nonconformancesOf(serial)).toHaveLength(1);
    expect(await ncAuditOf(posted.ncId)).toHaveLength(1);
    const { status, body } = await stack.query('{ alerts(first: 100, filter: { types: [DEFECT_RISK] }) { nodes { id serialNumber } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const nodes = (body.data as { alerts: { nodes: { id: string; serialNumber: string | null }[] } }).alerts.nodes;
    expect(nodes.filter((node) => node.serialNumber === serial)).toEqual([{ id: posted.alertId, serialNumber: serial }]);
  }, 30_000);

  it('refuses an invalid event with 400 INVALID_EVENT naming the field, and unsigned or wrongly signed events with 401, queuing none', async () => {
    const secret = stack.ingestSecret as string;
    const jobsBefore = await eventJobCount();
    const depthBefore = await events.depth();

    const invalid = spiEvent(chosen.inspection, { padCount: -1 });
    const invalidBody = JSON.stringify(invalid);
    const refused = await postEvent(invalidBody, { 'x-opcenter-signature': signatureOf(invalidBody, secret) });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'INVALID_EVENT', field: 'padCount' });

    const unsigned = spiEvent(chosen.inspection);
    const unsignedBody = JSON.stringify(unsigned);
    const anonymous = await postEvent(unsignedBody, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.code).toBe('UNAUTHENTICATED');

    const forged = spiEvent(chosen.inspection);
    const forgedBody = JSON.stringify(forged);
    const wrong = await postEvent(forgedBody, { 'x-opcenter-signature': signatureOf(forgedBody, randomBytes(32).toString('hex')) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('UNAUTHENTICATED');
    // A signature of another body, with the right key.
    const tampered = await postEvent(forgedBody, { 'x-opcenter-signature': signatureOf(unsignedBody, secret) });
    expect(tampered.status).toBe(401);

    expect(await eventJobCount()).toBe(jobsBefore);
    expect(await events.depth()).toEqual(depthBefore);
    for (const id of [invalid.id, unsigned.id, forged.id]) expect(await redis.exists(eventSeenKey(stack.keyPrefix, id))).toBe(0);
  });

  it('delivers every appended alert in order and once to a client of each of two gateways, each on its own quality subgraph', async () => {
    expect(stack.gatewayUrls).toHaveLength(2);
    const alertOf = (n: number): AlertInput => ({
      type: 'TEST_FAILURE',
      severity: 'WARNING',
      message: `Fan-out check ${n}`,
      key: `TEST_FAILURE~fan-out~${randomUUID()}`,
      subjects: { lineId: 'SMT-1' },
      occurredAt: new Date().toISOString(),
    });
    const query = 'subscription ($after: ID) { alerts(after: $after, filter: { types: [TEST_FAILURE] }) { id message } }';
    const start = (await stream.lastId()) ?? '0-0';
    const clients = stack.gatewayUrls.map(gatewayClient);
    try {
      const iterators = clients.map((client) => client.iterate<{ alerts: { id: string; message: string } }>({ query, variables: { after: start } }));
      const idsOf = (results: { data?: { alerts: { id: string } } | null }[]) => results.map((result) => result.data?.alerts.id);
      // The first alert tells that both subscriptions are live; the 50 after it come live, not replayed.
      const first = (await stream.append(alertOf(0))).id;
      for (const iterator of iterators) expect(idsOf(await take(iterator, 1))).toEqual([first]);

      const ids: string[] = [];
      for (let n = 1; n <= 50; n += 1) ids.push((await stream.append(alertOf(n))).id);
      const received = await Promise.all(iterators.map((iterator) => take(iterator, 50, 30_000)));
      for (const results of received) expect(idsOf(results)).toEqual(ids);
      // Nothing repeated after the 50 either: the next result is the next alert.
      const last = (await stream.append(alertOf(51))).id;
      for (const iterator of iterators) expect(idsOf(await take(iterator, 1))).toEqual([last]);

      // The second gateway's subscription runs through the second quality subgraph: it carries on
      // while the first quality subgraph is down.
      await stack.stopProcess('quality');
      const during = (await stream.append(alertOf(52))).id;
      expect(idsOf(await take(iterators[1] as (typeof iterators)[number], 1))).toEqual([during]);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  }, 60_000);
});
