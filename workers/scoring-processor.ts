/**
 * What a worker does with one scoring job: score its subject (batched with the other jobs in
 * flight), store the insight, and enqueue the Opcenter audit entry. Bad input fails the job at once
 * (BullMQ's UnrecoverableError); anything else is transient and retried with backoff.
 */
import { UnrecoverableError } from 'bullmq';
import { createAuditEntryId, type AuditEntry } from '../insights/audit-outbox';
import type { Insight, JsonValue } from '../insights/insight';
import { parseJobPayload, type ScoringJob } from '../insights/jobs';
import { FeatureInputError } from '../models/features/feature-input.error';
import type { BoardScore, SpiBoardScorer } from './scoring/spi-board-scorer';
import type { OrderPrediction, YieldOrderScorer } from './scoring/yield-order-scorer';

/** What the processor needs: the scorers, where insights go, and the audit outbox. */
export interface ScoringProcessorDeps {
  readonly spi: SpiBoardScorer;
  readonly yield: YieldOrderScorer;
  /** The version each loaded model serves; a job asking for another version fails at once. */
  readonly versions: Readonly<Record<ScoringJob['modelName'], string>>;
  readonly store: { put(insight: Insight): Promise<void> };
  readonly outbox: { enqueue(entries: readonly AuditEntry[]): Promise<number> };
  readonly now?: () => Date;
}

/** What a finished job returns (kept by BullMQ with the job). */
export interface ScoringJobResult {
  readonly status: Insight['status'];
  readonly latencyMs: number;
}

function boardInsightValue(score: BoardScore): JsonValue {
  if (score.status !== 'READY') return { reason: score.reason };
  return {
    inspectionId: score.inspectionId,
    score: score.risk.score,
    level: score.level,
    likelyCause: score.likelyCause,
    pads: score.risk.pads.map((p) => ({ ...p })),
    components: score.risk.components.map((c) => ({ ...c })),
  };
}

function orderInsightValue(p: OrderPrediction): JsonValue {
  if (p.status !== 'READY') return { reason: p.reason };
  return { value: p.value, lower: p.lower, upper: p.upper, target: p.target, rawLower: p.rawLower, rawUpper: p.rawUpper, intervalScale: p.intervalScale, intervalScope: p.intervalScope };
}

/** Creates the processor function of the scoring workers. */
export function createScoringProcessor(deps: ScoringProcessorDeps): (data: unknown, jobId?: string) => Promise<ScoringJobResult> {
  const now = deps.now ?? (() => new Date());
  return async (data, jobId) => {
    let job: ScoringJob;
    try {
      job = parseJobPayload(data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    const served = deps.versions[job.modelName];
    if (job.modelVersion !== served) {
      throw new UnrecoverableError(`${job.modelName} ${job.modelVersion} was asked for; this worker serves ${served}`);
    }
    const started = performance.now();
    let insight: Insight;
    try {
      switch (job.kind) {
        case 'score-board': {
          const score = await deps.spi.score(job.serialNumber, job.measurements);
          insight = {
            modelName: job.modelName,
            modelVersion: served,
            subjectType: 'board',
            subjectId: job.serialNumber,
            status: score.status,
            value: boardInsightValue(score),
            // The probability the model gives its own call (defect or not).
            confidence: score.status === 'READY' ? Math.max(score.risk.score, 1 - score.risk.score) : null,
            computedAt: now().toISOString(),
            featuresDigest: score.status === 'READY' ? score.featuresDigest : null,
          };
          break;
        }
        case 'predict-order-yield': {
          const prediction = await deps.yield.predict(job.orderId);
          insight = {
            modelName: job.modelName,
            modelVersion: served,
            subjectType: 'order',
            subjectId: job.orderId,
            status: prediction.status,
            value: orderInsightValue(prediction),
            // The interval's coverage is the confidence the model states for it.
            confidence: prediction.status === 'READY' ? 0.9 : null,
            computedAt: now().toISOString(),
            featuresDigest: prediction.status === 'READY' ? prediction.featuresDigest : null,
          };
          break;
        }
        default: {
          const unknownJob: never = job;
          throw new UnrecoverableError(`Unknown job kind in ${JSON.stringify(unknownJob)}`);
        }
      }
    } catch (error) {
      if (error instanceof FeatureInputError) {
        // Opcenter's data for the subject is malformed: store the failure so queries answer FAILED with why.
        const subject = job.kind === 'score-board' ? { subjectType: 'board' as const, subjectId: job.serialNumber } : { subjectType: 'order' as const, subjectId: job.orderId };
        await deps.store.put({
          modelName: job.modelName,
          modelVersion: served,
          ...subject,
          status: 'FAILED',
          value: null,
          confidence: null,
          computedAt: now().toISOString(),
          featuresDigest: null,
          failure: { code: error.code, message: error.message },
        });
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    await deps.store.put(insight);
    if (insight.status === 'READY') {
      await deps.outbox.enqueue([
        {
          id: createAuditEntryId({
            action: 'AI_INFERENCE',
            modelName: insight.modelName,
            modelVersion: insight.modelVersion,
            subjectType: insight.subjectType === 'board' ? 'MaterialTrackingUnit' : 'WorkOrder',
            subjectId: insight.subjectId,
            input: insight.featuresDigest ?? jobId ?? insight.computedAt,
          }),
          action: 'AI_INFERENCE',
          subjectType: insight.subjectType === 'board' ? 'MaterialTrackingUnit' : 'WorkOrder',
          subjectId: insight.subjectId,
          details: { reason: job.reason, ...(job.correlationId ? { correlationId: job.correlationId } : {}), value: insight.value },
          modelName: insight.modelName,
          modelVersion: insight.modelVersion,
          ...(insight.confidence !== null ? { confidence: insight.confidence } : {}),
          ...(insight.featuresDigest !== null ? { inputDigest: insight.featuresDigest } : {}),
          latencyMs,
        },
      ]);
    }
    return { status: insight.status, latencyMs };
  };
}
