/**
 * What the AI layer does with each Opcenter event (the live path):
 * - `SpiMeasurementsUploaded`: score the board; at or above the threshold, draft a nonconformance in
 *   Opcenter (pending review) and raise a `DEFECT_RISK` alert.
 * - `AoiInspectionDone`, `TestRunDone`, `WorkOrderCompleted`: refresh the order's yield prediction
 *   (at most once per interval per order, always on completion); raise `YIELD_AT_RISK` when the upper
 *   bound of its 90 % interval is below the order's target.
 * - `WorkOrderCompleted`: first, the served yield interval learns from the order (its realised
 *   first-pass yield against the interval it was last served; see yield-interval-state.ts).
 * - `TestRunDone` with failures: raise `TEST_FAILURE`.
 * Every action is idempotent: a replayed event or a retried job drafts no second nonconformance and
 * raises no second alert, and every AI action is an Opcenter audit trail entry (via the outbox).
 */
import type { Redis } from 'ioredis';
import type { AlertInput } from '../../insights/alert-stream';
import { createAuditEntryId, type AuditEntry } from '../../insights/audit-outbox';
import type { OpcenterEvent, OpcenterEventOf } from '../../insights/events';
import type { Insight } from '../../insights/insight';
import type { ModelName, ScoringJob } from '../../insights/jobs';
import { packSpiEventMeasurements } from '../../models/features/spi-measurements';
import { finalFirstPassYield } from '../../models/yield-predictor/first-pass-yield';
import { PLANT_SCOPE_KEY, type AdaptiveIntervalState, type IntervalOutcome } from '../../models/yield-predictor/adaptive-interval';
import type { OpcenterClient } from '../../opcenter/client';

/** The value of a READY `spi-defect-risk` insight (see scoring-processor). */
interface BoardRiskValue {
  score: number;
  level: string;
  likelyCause: string | null;
  pads: { padId: string; referenceDesignator: string; probability: number; defectType: string }[];
  components: { referenceDesignator: string; probability: number; defectType: string; pads: number }[];
}

/** The value of a READY `yield-predictor` insight. */
interface YieldValue {
  value: number;
  lower: number;
  upper: number;
  target: number;
  /** The scope of the adaptive state the interval was served from. */
  intervalScope?: string;
}

/** What the actions need; the worker process passes its own parts. */
export interface EventActionDeps {
  /** Scores one subject and stores its insight (the scoring processor). */
  readonly score: (job: ScoringJob) => Promise<unknown>;
  readonly store: {
    getLatest(modelName: ModelName, subjectType: 'board' | 'order', subjectIds: readonly string[]): Promise<Map<string, Insight>>;
    history(modelName: ModelName, subjectType: 'board' | 'order', subjectId: string): Promise<Insight[]>;
  };
  /** The served yield interval's adaptive state, which learns from completed orders; none: nothing learns. */
  readonly yieldInterval?: {
    recordCompletion(scope: string, orderId: string, outcome: IntervalOutcome): Promise<{ state: AdaptiveIntervalState; applied: boolean }>;
  };
  readonly versions: Readonly<Record<ModelName, string>>;
  readonly opcenter: OpcenterClient;
  /** For per-subject locks and refresh intervals. */
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly alerts: { append(input: AlertInput): Promise<{ id: string; duplicate: boolean }> };
  readonly outbox: { enqueue(entries: readonly AuditEntry[]): Promise<number> };
  /** Board risk at and above which a nonconformance is drafted and an alert raised. */
  readonly ncThreshold: number;
  /** Shortest time between two yield refreshes of one order by board events, ms. */
  readonly yieldRefreshIntervalMs: number;
  readonly now?: () => Date;
}

/** What processing one event did (kept with its job, for inspection). */
export interface EventOutcome {
  readonly eventId: string;
  readonly eventType: string;
  readonly actions: readonly string[];
}

/** Thrown when another worker holds the subject's lock: the job is retried with backoff. */
export class SubjectBusyError extends Error {
  readonly code = 'SUBJECT_BUSY';
}

const DEFECT_NAMES: Record<string, string> = {
  BRIDGING: 'solder bridging',
  INSUFFICIENT: 'insufficient solder',
  INSUFFICIENT_SOLDER: 'insufficient solder',
  OPEN: 'open joint',
};

function defectName(type: string): string {
  return DEFECT_NAMES[type] ?? type.toLowerCase().replace(/_/g, ' ');
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/** Creates the processor of the event queue's jobs. */
export function createEventActions(deps: EventActionDeps): (event: OpcenterEvent) => Promise<EventOutcome> {
  const now = deps.now ?? (() => new Date());
  const key = (...parts: string[]) => [deps.keyPrefix, 'actions', ...parts].join(':');

  /** Runs `action` holding the subject's lock, so two workers never act on one subject at once. */
  async function withLock<T>(subject: string, action: () => Promise<T>): Promise<T> {
    const lock = key('lock', subject);
    const token = `${process.pid}-${Math.random()}`;
    if ((await deps.redis.set(lock, token, 'PX', 30_000, 'NX')) !== 'OK') throw new SubjectBusyError(`${subject} is being acted on by another worker; retrying`);
    try {
      return await action();
    } finally {
      await deps.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, lock, token);
    }
  }

  /**
   * The board's insight for this inspection and the served model version: the stored one when this
   * print was scored already (a replay), else scored now, from the event's measurements when it
   * carries them (no read of the pads from Opcenter).
   */
  async function boardInsight(event: OpcenterEventOf<'SpiMeasurementsUploaded'>): Promise<Insight | undefined> {
    const { serialNumber } = event;
    const version = deps.versions['spi-defect-risk'];
    const stored = (await deps.store.getLatest('spi-defect-risk', 'board', [serialNumber])).get(serialNumber);
    const storedInspection = (stored?.value as { inspectionId?: unknown } | null | undefined)?.inspectionId;
    if (stored && stored.modelVersion === version && stored.status === 'READY' && storedInspection === event.inspectionId) return stored;
    const measurements = event.measurements ? packSpiEventMeasurements(event.inspectionId, event.measurements) : undefined;
    await deps.score({
      kind: 'score-board',
      serialNumber,
      modelName: 'spi-defect-risk',
      modelVersion: version,
      reason: 'event',
      correlationId: event.id,
      ...(measurements ? { measurements } : {}),
    });
    return (await deps.store.getLatest('spi-defect-risk', 'board', [serialNumber])).get(serialNumber);
  }

  /** The nonconformance the AI drafted for this board and model version: found in Opcenter, or created. */
  async function ensureNonconformance(event: OpcenterEventOf<'SpiMeasurementsUploaded'>, insight: Insight, risk: BoardRiskValue): Promise<{ id: string; created: boolean }> {
    return withLock(`nc~${insight.modelVersion}~${event.serialNumber}`, async () => {
      const existing = await deps.opcenter.listAll('nonConformance', {
        filter: { serialNumber: event.serialNumber, modelName: insight.modelName, modelVersion: insight.modelVersion, source: 'AI' },
        select: ['id'],
      });
      if (existing[0]) return { id: String(existing[0].id), created: false };
      const top = risk.pads[0];
      const defectType = top?.defectType ?? 'BRIDGING';
      const refdes = risk.components.map((c) => c.referenceDesignator);
      const pads = risk.pads.map((p) => p.padId);
      const result = await deps.opcenter.command<{ id: string }>('createNonConformance', {
        title: `AI: ${defectName(defectType)} risk on ${event.serialNumber} (${percent(risk.score)})`,
        description:
          `spi-defect-risk ${insight.modelVersion} scored board ${event.serialNumber} of order ${event.workOrderId} at ${percent(risk.score)} ` +
          `after SPI inspection ${event.inspectionId} on ${event.machineId}. Highest-risk pads: ` +
          risk.pads
            .slice(0, 5)
            .map((p) => `${p.padId} ${percent(p.probability)} ${defectName(p.defectType)}`)
            .join('; ') +
          '. Drafted by the AI for an engineer to review before reflow.',
        severity: risk.level === 'HIGH' ? 'Major' : 'Minor',
        status: 'PendingReview',
        defectType,
        serialNumber: event.serialNumber,
        workOrderId: event.workOrderId,
        referenceDesignators: refdes.join(','),
        pads: pads.join(','),
        ...(risk.likelyCause ? { likelyCause: risk.likelyCause } : {}),
        source: 'AI',
        modelName: insight.modelName,
        modelVersion: insight.modelVersion,
        ...(insight.confidence !== null ? { confidence: insight.confidence } : {}),
      });
      return { id: String(result.id), created: true };
    });
  }

  async function onSpiUploaded(event: OpcenterEventOf<'SpiMeasurementsUploaded'>): Promise<string[]> {
    const insight = await boardInsight(event);
    if (!insight || insight.status !== 'READY') return [`board ${event.serialNumber}: ${insight?.status ?? 'no insight'}`];
    const risk = insight.value as unknown as BoardRiskValue;
    if (risk.score < deps.ncThreshold) return [`board ${event.serialNumber}: risk ${risk.score.toFixed(3)} below ${deps.ncThreshold}`];
    const nc = await ensureNonconformance(event, insight, risk);
    const actions = [`nonconformance ${nc.id} ${nc.created ? 'drafted' : 'already drafted'}`];
    await deps.outbox.enqueue([
      {
        id: createAuditEntryId({
          action: 'AI_NONCONFORMANCE_CREATED',
          modelName: insight.modelName,
          modelVersion: insight.modelVersion,
          subjectType: 'NonConformance',
          subjectId: nc.id,
          input: insight.featuresDigest ?? event.id,
        }),
        action: 'AI_NONCONFORMANCE_CREATED',
        subjectType: 'NonConformance',
        subjectId: nc.id,
        details: { serialNumber: event.serialNumber, workOrderId: event.workOrderId, score: risk.score, eventId: event.id, status: 'PendingReview' },
        modelName: insight.modelName,
        modelVersion: insight.modelVersion,
        ...(insight.confidence !== null ? { confidence: insight.confidence } : {}),
        ...(insight.featuresDigest !== null ? { inputDigest: insight.featuresDigest } : {}),
      },
    ]);
    const top = risk.components[0];
    const alert = await deps.alerts.append({
      type: 'DEFECT_RISK',
      severity: risk.level === 'HIGH' ? 'CRITICAL' : 'WARNING',
      message:
        `Board ${event.serialNumber}: ${percent(risk.score)} risk of ${defectName(top?.defectType ?? 'BRIDGING')}` +
        `${top ? ` at ${risk.components.slice(0, 3).map((c) => c.referenceDesignator).join(', ')}` : ''}` +
        `${risk.likelyCause ? `. Likely cause: ${risk.likelyCause}` : ''}. Check before reflow; nonconformance ${nc.id} awaits review.`,
      key: `DEFECT_RISK~${insight.modelVersion}~${event.serialNumber}`,
      subjects: { serialNumber: event.serialNumber, orderId: event.workOrderId, workCenterId: event.machineId, lineId: event.lineId },
      occurredAt: now().toISOString(),
      details: {
        score: risk.score,
        level: risk.level,
        nonconformanceId: nc.id,
        modelName: insight.modelName,
        modelVersion: insight.modelVersion,
        referenceDesignators: risk.components.slice(0, 5).map((c) => c.referenceDesignator),
        pads: risk.pads.slice(0, 5).map((p) => p.padId),
        likelyCause: risk.likelyCause,
      },
    });
    if (!alert.duplicate) {
      await deps.outbox.enqueue([
        {
          id: createAuditEntryId({
            action: 'AI_ALERT_RAISED',
            modelName: insight.modelName,
            modelVersion: insight.modelVersion,
            subjectType: 'MaterialTrackingUnit',
            subjectId: event.serialNumber,
            input: alert.id,
          }),
          action: 'AI_ALERT_RAISED',
          subjectType: 'MaterialTrackingUnit',
          subjectId: event.serialNumber,
          details: { alert: 'DEFECT_RISK', alertId: alert.id, score: risk.score, nonconformanceId: nc.id, eventId: event.id },
          modelName: insight.modelName,
          modelVersion: insight.modelVersion,
          ...(insight.confidence !== null ? { confidence: insight.confidence } : {}),
          ...(insight.featuresDigest !== null ? { inputDigest: insight.featuresDigest } : {}),
        },
      ]);
    }
    actions.push(`DEFECT_RISK alert ${alert.id}${alert.duplicate ? ' (already raised)' : ''}`);
    return actions;
  }

  async function refreshYield(orderId: string, event: OpcenterEvent, force: boolean): Promise<string[]> {
    if (!force) {
      const gate = await deps.redis.set(key('yield-refresh', orderId), event.id, 'PX', deps.yieldRefreshIntervalMs, 'NX');
      if (gate !== 'OK') return [];
    }
    const version = deps.versions['yield-predictor'];
    await deps.score({ kind: 'predict-order-yield', orderId, modelName: 'yield-predictor', modelVersion: version, reason: 'event', correlationId: event.id });
    const insight = (await deps.store.getLatest('yield-predictor', 'order', [orderId])).get(orderId);
    if (!insight || insight.status !== 'READY') return [`order ${orderId}: yield ${insight?.status ?? 'not predicted'}`];
    const y = insight.value as unknown as YieldValue;
    const actions = [`order ${orderId}: yield ${percent(y.value)} [${percent(y.lower)}, ${percent(y.upper)}]`];
    if (y.upper >= y.target) return actions;
    const alert = await deps.alerts.append({
      type: 'YIELD_AT_RISK',
      severity: y.upper < y.target - 0.05 ? 'CRITICAL' : 'WARNING',
      message:
        `Order ${orderId}: first-pass yield expected ${percent(y.value)} (90 % interval ${percent(y.lower)} to ${percent(y.upper)}), ` +
        `below its target of ${percent(y.target)}. Review the order's defects and test failures.`,
      key: `YIELD_AT_RISK~${version}~${orderId}`,
      subjects: { orderId },
      occurredAt: now().toISOString(),
      details: { value: y.value, lower: y.lower, upper: y.upper, target: y.target, modelName: insight.modelName, modelVersion: insight.modelVersion },
    });
    if (!alert.duplicate) {
      await deps.outbox.enqueue([
        {
          id: createAuditEntryId({ action: 'AI_ALERT_RAISED', modelName: insight.modelName, modelVersion: version, subjectType: 'WorkOrder', subjectId: orderId, input: alert.id }),
          action: 'AI_ALERT_RAISED',
          subjectType: 'WorkOrder',
          subjectId: orderId,
          details: { alert: 'YIELD_AT_RISK', alertId: alert.id, upper: y.upper, target: y.target, eventId: event.id },
          modelName: insight.modelName,
          modelVersion: version,
          confidence: 0.9,
          ...(insight.featuresDigest !== null ? { inputDigest: insight.featuresDigest } : {}),
        },
      ]);
    }
    actions.push(`YIELD_AT_RISK alert ${alert.id}${alert.duplicate ? ' (already raised)' : ''}`);
    return actions;
  }

  /** Scores the interval the order was last served (before this completion's refresh) against its realised yield. */
  async function learnYieldInterval(orderId: string): Promise<string[]> {
    if (!deps.yieldInterval) return [];
    const version = deps.versions['yield-predictor'];
    const served = (await deps.store.history('yield-predictor', 'order', orderId)).find((i) => i.status === 'READY' && i.modelVersion === version);
    if (!served) return [`order ${orderId}: no served yield interval to learn from`];
    const [boards, aoi, tests] = await Promise.all([
      deps.opcenter.getMany('board', 'workOrderId', [orderId], { select: ['serialNumber', 'unitType'] }),
      deps.opcenter.getMany('aoiInspection', 'workOrderId', [orderId], { select: ['serialNumber', 'confirmedDefectCount'] }),
      deps.opcenter.getMany('testRun', 'workOrderId', [orderId], { select: ['serialNumber', 'testType', 'attempt', 'result'] }),
    ]);
    if (boards.length === 0) return [`order ${orderId}: no boards, nothing for the yield interval to learn`];
    const y = served.value as unknown as YieldValue;
    const actual = finalFirstPassYield(boards, aoi, tests);
    const scope = y.intervalScope ?? PLANT_SCOPE_KEY;
    const update = await deps.yieldInterval.recordCompletion(scope, orderId, { lower: y.lower, upper: y.upper, actual });
    return [
      update.applied
        ? `yield interval ${scope}: order ${orderId} realised ${percent(actual)} against [${percent(y.lower)}, ${percent(y.upper)}], scale now ${update.state.scale.toFixed(3)}`
        : `yield interval ${scope}: order ${orderId} already learnt from`,
    ];
  }

  async function onTestRunDone(event: OpcenterEventOf<'TestRunDone'>): Promise<string[]> {
    const actions: string[] = [];
    if (event.result !== 'Pass' || event.failedStepCount > 0) {
      // The event names the station, not the line: the order says which line built the board, so andon boards filtering by line see it.
      const order = await deps.opcenter.getByNaturalKey('workOrder', event.workOrderId, { select: ['lineId'] });
      const lineId = typeof order?.lineId === 'string' ? order.lineId : undefined;
      const alert = await deps.alerts.append({
        type: 'TEST_FAILURE',
        severity: 'WARNING',
        message:
          `Board ${event.serialNumber} failed ${event.testType} on ${event.machineId}` +
          `${event.fixtureId ? ` (fixture ${event.fixtureId})` : ''}: ${event.failedStepCount} failed step${event.failedStepCount === 1 ? '' : 's'}. Send it to repair.`,
        key: `TEST_FAILURE~${event.testRunId}`,
        subjects: { serialNumber: event.serialNumber, orderId: event.workOrderId, workCenterId: event.machineId, ...(lineId ? { lineId } : {}) },
        occurredAt: now().toISOString(),
        details: { testRunId: event.testRunId, testType: event.testType, failedStepCount: event.failedStepCount, fixtureId: event.fixtureId },
      });
      actions.push(`TEST_FAILURE alert ${alert.id}${alert.duplicate ? ' (already raised)' : ''}`);
    }
    actions.push(...(await refreshYield(event.workOrderId, event, false)));
    return actions;
  }

  return async (event) => {
    let actions: string[];
    switch (event.eventType) {
      case 'SpiMeasurementsUploaded':
        actions = await onSpiUploaded(event);
        break;
      case 'TestRunDone':
        actions = await onTestRunDone(event);
        break;
      case 'AoiInspectionDone':
        actions = await refreshYield(event.workOrderId, event, false);
        break;
      case 'WorkOrderCompleted':
        actions = [...(await learnYieldInterval(event.workOrderId)), ...(await refreshYield(event.workOrderId, event, true))];
        break;
      default:
        // Work order started, placement complete, material consumed: nothing for the AI to do yet.
        actions = [];
    }
    return { eventId: event.id, eventType: event.eventType, actions };
  };
}
