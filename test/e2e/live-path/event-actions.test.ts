/**
 * The live path's actions, from the event queue (as ingest fills it) to Opcenter and the alert
 * stream: an SPI event for a bridging-prone board drafts one nonconformance, writes its audit
 * entries and raises one DEFECT_RISK alert however often it is replayed; a failed test run raises
 * TEST_FAILURE; a low-risk board raises nothing. Real Redis, the emulator over HTTP, the shipped models.
 */
import { randomUUID } from 'node:crypto';
import { AlertStream, type Alert } from '../../../insights/alert-stream';
import { EventQueue } from '../../../insights/event-queue';
import type { OpcenterEvent } from '../../../insights/events';
import { closeRedis, createRedis, deleteKeysUnder } from '../../../insights/redis';
import { ScoringQueues } from '../../../insights/scoring-queue';
import { InsightStore } from '../../../insights/insight-store';
import { createOpcenterClient, type OpcenterClient, type Row } from '../../../opcenter/client';
import { DEV_CREDENTIALS } from '../../../opcenter/emulator/config';
import type { Emulator } from '../../../opcenter/emulator/emulator';
import { loadWorkerConfig } from '../../../workers/config';
import { ScoringWorker } from '../../../workers/scoring-worker';
import type { SpiInspectionRow, SpiPadMeasurementRow } from '../../../opcenter/model/entity-sets';
import { spiEventMeasurements } from '../../../opcenter/simulator/spi-pad-rows';
import { smallPlant, startTestEmulator } from '../../support/test-emulator';
import { waitFor } from '../../support/async';
import { spiEventOf } from '../../support/spi-event';

const REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * The nonconformance threshold these tests configure (NC_RISK_THRESHOLD). The default, the card's
 * board operating threshold (0.182 for the served top-3 score), is above every bridging-prone board
 * of the small plant (the riskiest scores about 0.109): the model's bridging recall is its known
 * weakness (see models/spi-defect-risk/README.md). 0.1 still separates that board from clean ones,
 * which the tests check.
 */
const THRESHOLD = 0.1;



describe('live path: actions on Opcenter events', () => {
  const plant = smallPlant();
  const keyPrefix = `test-${randomUUID()}`;
  const redis = createRedis(REDIS_URL);
  const alerts = new AlertStream({ redis, keyPrefix, maxLength: 10_000, maxAgeMs: 3_600_000 });
  const store = new InsightStore(redis, { keyPrefix, historySize: 5 });
  let emulator: Emulator;
  let opcenter: OpcenterClient;
  let worker: ScoringWorker;
  let events: EventQueue;
  let queues: ScoringQueues;
  /** SPI inspections of boards the simulator made bridge, highest model risk first. */
  let bridging: { inspection: Row; score: number }[];
  let lowRisk: Row;

  const alertsOf = async (type: string, serialNumber?: string): Promise<Alert[]> =>
    (await alerts.readAfter(null, 1000)).filter((a) => a.type === type && (serialNumber === undefined || a.subjects.serialNumber === serialNumber));

  beforeAll(async () => {
    emulator = await startTestEmulator({ plant });
    opcenter = createOpcenterClient({ baseUrl: emulator.url, ...DEV_CREDENTIALS });
    const config = loadWorkerConfig({ OPCENTER_URL: emulator.url, REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, WORKER_METRICS_PORT: '0', AUDIT_OUTBOX_LEASE_MS: '5000', NC_RISK_THRESHOLD: String(THRESHOLD) });
    worker = await ScoringWorker.start(config, () => undefined);
    events = new EventQueue({ redisUrl: REDIS_URL, keyPrefix });
    queues = new ScoringQueues({ redisUrl: REDIS_URL, keyPrefix });

    // Boards the simulator made bridge through a print mechanism (excess paste, printer drift), scored
    // through the query path first to choose them (as for boards a dashboard already looked at).
    const inspections = plant.rows('SpiInspection');
    const prone = inspections
      .filter((i) => plant.groundTruth(String(i.SerialNumber))?.defects.some((d) => d.defectType === 'Bridging' && d.mechanism !== 'Random'));
    const clean = inspections.filter((i) => (plant.groundTruth(String(i.SerialNumber))?.defects.length ?? 1) === 0).slice(0, 10);
    const serials = [...prone, ...clean].map((i) => String(i.SerialNumber));
    await queues.requestScores(
      serials.map((serialNumber) => ({ kind: 'score-board', serialNumber, modelName: 'spi-defect-risk', modelVersion: '1.0.0', reason: 'query' })),
      { budgetMs: 60_000 },
    );
    const scores = await store.getLatest('spi-defect-risk', 'board', serials);
    const scoreOf = (i: Row) => (scores.get(String(i.SerialNumber))?.value as { score: number }).score;
    bridging = prone.map((inspection) => ({ inspection, score: scoreOf(inspection) })).sort((a, b) => b.score - a.score);
    lowRisk = clean.sort((a, b) => scoreOf(a) - scoreOf(b))[0] as Row;
  }, 120_000);

  afterAll(async () => {
    await events.close();
    await queues.close();
    await worker.stop();
    await deleteKeysUnder(redis, keyPrefix);
    await closeRedis(redis);
    await emulator.close();
  });

  it('scores the boards the simulator made bridge above defect-free boards', async () => {
    expect(bridging.length).toBeGreaterThan(5);
    expect(bridging[0]?.score).toBeGreaterThanOrEqual(THRESHOLD);
    const clean = (await store.getLatest('spi-defect-risk', 'board', [String(lowRisk.SerialNumber)])).get(String(lowRisk.SerialNumber));
    expect((clean?.value as { score: number }).score).toBeLessThan(THRESHOLD);
  });

  it('drafts one nonconformance pending review, audits it and raises one DEFECT_RISK alert, however often the event is replayed', async () => {
    const { inspection } = bridging[0] as { inspection: Row };
    const serial = String(inspection.SerialNumber);
    const event = spiEventOf(inspection);
    expect(await events.enqueue(event)).toBe('accepted');

    const raised = await waitFor(() => alertsOf('DEFECT_RISK', serial), (list) => list.length > 0);
    expect(raised).toHaveLength(1);
    const alert = raised[0] as Alert;
    expect(alert).toMatchObject({
      severity: expect.stringMatching(/^(WARNING|CRITICAL)$/),
      subjects: { serialNumber: serial, orderId: String(inspection.WorkOrderNId), lineId: String(inspection.LineNId) },
    });
    expect(alert.message).toContain(serial);
    expect(alert.message).toMatch(/nonconformance NC-\d+ awaits review/);

    const ncs = await opcenter.listAll('nonConformance', { filter: { serialNumber: serial } });
    expect(ncs).toHaveLength(1);
    expect(ncs[0]).toMatchObject({
      status: 'PendingReview',
      source: 'AI',
      modelName: 'spi-defect-risk',
      modelVersion: '1.0.0',
      workOrderId: String(inspection.WorkOrderNId),
      defectType: expect.stringMatching(/^(BRIDGING|INSUFFICIENT_SOLDER|OPEN)$/),
    });
    expect(String(ncs[0]?.referenceDesignators).length).toBeGreaterThan(0);
    expect(String(ncs[0]?.pads)).toMatch(/-/);
    expect(ncs[0]?.confidence).toBeGreaterThan(0.5);
    const ncId = String(ncs[0]?.id);
    expect(alert.details).toMatchObject({ nonconformanceId: ncId });

    const audit = await waitFor(
      () => opcenter.listAll('auditTrailEntry', { filter: { subjectId: ncId, action: 'AI_NONCONFORMANCE_CREATED' } }),
      (rows) => rows.length > 0,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ modelName: 'spi-defect-risk', modelVersion: '1.0.0' });

    // Replays: the same event again (deduplicated at the queue), and the same inspection under a new
    // event id (as a sender that lost its ids would post it): still one NC, one alert.
    expect(await events.enqueue(event)).toBe('duplicate');
    expect(await events.enqueue(spiEventOf(inspection))).toBe('accepted');
    await waitFor(() => Promise.resolve(worker.status().jobs['opcenter-events']?.completed ?? 0), (n) => n >= 2);
    expect(await opcenter.listAll('nonConformance', { filter: { serialNumber: serial } })).toHaveLength(1);
    expect(await alertsOf('DEFECT_RISK', serial)).toHaveLength(1);
    expect(await opcenter.listAll('auditTrailEntry', { filter: { subjectId: ncId, action: 'AI_NONCONFORMANCE_CREATED' } })).toHaveLength(1);
    // The alert is an AI action too: audited once, on the board.
    const alertAudit = await waitFor(
      () => opcenter.listAll('auditTrailEntry', { filter: { subjectId: serial, action: 'AI_ALERT_RAISED' } }),
      (rows) => rows.length > 0,
    );
    expect(alertAudit).toHaveLength(1);
    expect(String(alertAudit[0]?.details)).toContain(alert.id);
  }, 60_000);

  it('drafts nothing and raises nothing for a board below the threshold', async () => {
    const serial = String(lowRisk.SerialNumber);
    const before = worker.status().jobs['opcenter-events']?.completed ?? 0;
    await events.enqueue(spiEventOf(lowRisk));
    await waitFor(() => Promise.resolve(worker.status().jobs['opcenter-events']?.completed ?? 0), (n) => n > before);
    expect(await opcenter.listAll('nonConformance', { filter: { serialNumber: serial } })).toHaveLength(0);
    expect(await alertsOf('DEFECT_RISK', serial)).toHaveLength(0);
  }, 30_000);

  it('raises one TEST_FAILURE alert for a failed test run, and none for a passed one', async () => {
    const runs = plant.rows('TestRun');
    const failed = runs.find((r) => r.Result === 'Fail') as Row;
    const passed = runs.find((r) => r.Result === 'Pass') as Row;
    const testEvent = (run: Row, failedStepCount: number): OpcenterEvent => ({
      id: randomUUID(),
      eventType: 'TestRunDone',
      timestamp: String(run.StartedOn ?? run.TestedOn ?? new Date().toISOString()),
      workOrderId: String(run.WorkOrderNId),
      serialNumber: String(run.SerialNumber),
      testRunId: String(run.NId),
      testType: String(run.TestType),
      machineId: String(run.EquipmentNId),
      fixtureId: run.FixtureNId === null || run.FixtureNId === undefined ? null : String(run.FixtureNId),
      result: String(run.Result),
      failedStepCount,
    });
    const before = worker.status().jobs['opcenter-events']?.completed ?? 0;
    await events.enqueue(testEvent(failed, 2));
    // The same run under a second event id: still one alert.
    await events.enqueue(testEvent(failed, 2));
    await events.enqueue(testEvent(passed, 0));
    await waitFor(() => Promise.resolve(worker.status().jobs['opcenter-events']?.completed ?? 0), (n) => n >= before + 3);
    const raised = await alertsOf('TEST_FAILURE');
    expect(raised).toHaveLength(1);
    const order = plant.rows('WorkOrder').find((o) => o.NId === failed.WorkOrderNId);
    expect(raised[0]).toMatchObject({ subjects: { serialNumber: String(failed.SerialNumber), orderId: String(failed.WorkOrderNId), lineId: String(order?.LineNId) } });
    expect(raised[0]?.message).toContain(String(failed.TestType));
  }, 60_000);

  it('raises YIELD_AT_RISK once when the upper bound of an order’s yield interval falls below its target, and audits it', async () => {
    const orders = plant.rows('WorkOrder').map((o) => String(o.NId));
    await queues.requestScores(
      orders.map((orderId) => ({ kind: 'predict-order-yield', orderId, modelName: 'yield-predictor', modelVersion: '1.0.0', reason: 'query' })),
      { budgetMs: 60_000 },
    );
    const predictions = await store.getLatest('yield-predictor', 'order', orders);
    const ready = [...predictions.values()].filter((p) => p.status === 'READY');
    const valueOf = (orderId: string) => predictions.get(orderId)?.value as { upper: number; target: number };
    const atRisk = ready.find((p) => valueOf(p.subjectId).upper < valueOf(p.subjectId).target);
    const onTrack = ready.find((p) => valueOf(p.subjectId).upper >= valueOf(p.subjectId).target);
    expect(atRisk).toBeDefined();
    expect(onTrack).toBeDefined();
    const completed = (orderId: string): OpcenterEvent => ({
      id: randomUUID(),
      eventType: 'WorkOrderCompleted',
      timestamp: new Date().toISOString(),
      workOrderId: orderId,
      producedQuantity: 10,
      scrappedQuantity: 0,
    });
    const before = worker.status().jobs['opcenter-events']?.completed ?? 0;
    const risky = String(atRisk?.subjectId);
    await events.enqueue(completed(risky));
    await events.enqueue(completed(risky));
    await events.enqueue(completed(String(onTrack?.subjectId)));
    await waitFor(() => Promise.resolve(worker.status().jobs['opcenter-events']?.completed ?? 0), (n) => n >= before + 3);
    const raised = (await alertsOf('YIELD_AT_RISK')).filter((a) => a.subjects.orderId === risky);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.message).toContain(risky);
    expect(raised[0]?.message).toMatch(/below its target/);
    expect((await alertsOf('YIELD_AT_RISK')).filter((a) => a.subjects.orderId === String(onTrack?.subjectId))).toHaveLength(0);
    const audit = await waitFor(
      () => opcenter.listAll('auditTrailEntry', { filter: { subjectId: risky, action: 'AI_ALERT_RAISED' } }),
      (rows) => rows.length > 0,
    );
    expect(audit).toHaveLength(1);
  }, 90_000);

  it('scores prints from the measurements their SPI events carry: the same score as from Opcenter, with the layout the query path kept', async () => {
    // Boards already scored through the query path (from Opcenter's pads), of one stencil.
    const scored = [...bridging.map((b) => b.inspection)];
    const stencil = String(scored[0]?.StencilNId);
    const sameStencil = scored.filter((i) => i.StencilNId === stencil).slice(0, 6);
    expect(sameStencil.length).toBeGreaterThan(2);
    const serials = sameStencil.map((i) => String(i.SerialNumber));
    const before = await store.getLatest('spi-defect-risk', 'board', serials);
    const readsBefore = worker.status().spiLayouts.reads;
    const completedBefore = worker.status().jobs['opcenter-events']?.completed ?? 0;
    for (const inspection of sameStencil) {
      const pads = plant.generate('SpiPadMeasurement', 'SpiInspectionId', inspection.Id) as unknown as SpiPadMeasurementRow[];
      // A new print of the board (another inspection id), so the stored insight is not reused.
      await events.enqueue({
        ...spiEventOf(inspection),
        inspectionId: `${String(inspection.Id)}-reprint`,
        measurements: spiEventMeasurements(inspection as unknown as SpiInspectionRow, pads),
      } as OpcenterEvent);
    }
    await waitFor(() => Promise.resolve(worker.status().jobs['opcenter-events']?.completed ?? 0), (n) => n >= completedBefore + sameStencil.length);
    const after = await store.getLatest('spi-defect-risk', 'board', serials);
    for (const serial of serials) {
      expect((after.get(serial)?.value as { inspectionId: string }).inspectionId).toMatch(/-reprint$/);
      expect(after.get(serial)?.featuresDigest).toBe(before.get(serial)?.featuresDigest);
      expect((after.get(serial)?.value as { score: number }).score).toBe((before.get(serial)?.value as { score: number }).score);
    }
    // Scoring these boards from Opcenter kept their stencil's layout: the events need no read of it.
    expect(worker.status().spiLayouts.reads - readsBefore).toBe(0);
    expect(worker.status().spiLayouts.cached).toBeGreaterThan(0);
  }, 60_000);
});
