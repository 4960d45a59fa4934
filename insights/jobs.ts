import { z } from 'zod';
import { InvalidJobPayloadError } from './errors';

import { MODEL_NAMES, type ModelName } from '../models/model-files';
import { spiMeasurementsPayloadSchema, type SpiMeasurementsPayload } from '../models/features/spi-measurements';

/** The models that score subjects through a queue: the shipped models of `models/`. */
export { MODEL_NAMES, type ModelName };

/** The BullMQ queue of each model: one queue per model, so each scales and drains on its own. */
export const MODEL_QUEUES = {
  'spi-defect-risk': 'spi-defect-risk',
  'yield-predictor': 'yield-predictor',
} as const satisfies Record<ModelName, string>;

/** Why a subject is scored: a query found no insight, or an Opcenter event changed its inputs. */
export type ScoringReason = 'query' | 'event';

/** Score one board's defect risk from its SPI measurements. */
export interface ScoreBoardJob {
  kind: 'score-board';
  /** Opcenter serial number of the board. */
  serialNumber: string;
  modelName: 'spi-defect-risk';
  /** Version of the model that must produce the insight (a newer model rescores). */
  modelVersion: string;
  reason: ScoringReason;
  /** Request or event id, carried into logs and the Opcenter audit entry. */
  correlationId?: string;
  /**
   * The print's measurements, when the producer has them (an SPI event): the worker then scores
   * them without reading the pads from Opcenter. Without, it scores the board's latest inspection.
   */
  measurements?: SpiMeasurementsPayload;
}

/** Predict one production order's yield. */
export interface PredictOrderYieldJob {
  kind: 'predict-order-yield';
  /** Opcenter order number (`NId`). */
  orderId: string;
  modelName: 'yield-predictor';
  /** Version of the model that must produce the insight (a newer model rescores). */
  modelVersion: string;
  reason: ScoringReason;
  /** Request or event id, carried into logs and the Opcenter audit entry. */
  correlationId?: string;
}

/** Every scoring job's payload: JSON-serializable, tagged by `kind`. */
export type ScoringJob = ScoreBoardJob | PredictOrderYieldJob;

/** What a job scores: the subject of the insight it stores. */
export interface JobSubject {
  subjectType: 'board' | 'order';
  subjectId: string;
}

const subjectId = z.string().min(1).max(200);
const modelVersion = z.string().min(1).max(64);
const reason = z.enum(['query', 'event']);
const correlationId = z.string().max(200).optional();

const scoreBoardSchema = z.object({
  kind: z.literal('score-board'),
  serialNumber: subjectId,
  modelName: z.literal('spi-defect-risk'),
  modelVersion,
  reason,
  correlationId,
  measurements: spiMeasurementsPayloadSchema.optional(),
}) satisfies z.ZodType<ScoreBoardJob>;

const predictOrderYieldSchema = z.object({
  kind: z.literal('predict-order-yield'),
  orderId: subjectId,
  modelName: z.literal('yield-predictor'),
  modelVersion,
  reason,
  correlationId,
}) satisfies z.ZodType<PredictOrderYieldJob>;

const scoringJobSchema = z.discriminatedUnion('kind', [scoreBoardSchema, predictOrderYieldSchema]);

/**
 * Validates a job payload (a worker's `job.data`, or a producer's input). Unknown fields are dropped,
 * so an older worker accepts a newer producer's payload.
 * @throws InvalidJobPayloadError naming the first wrong field
 */
export function parseJobPayload(value: unknown): ScoringJob {
  const parsed = scoringJobSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
  throw new InvalidJobPayloadError(field, issue?.message ?? 'invalid');
}

/** The subject a job scores. */
export function subjectOf(payload: ScoringJob): JobSubject {
  switch (payload.kind) {
    case 'score-board':
      return { subjectType: 'board', subjectId: payload.serialNumber };
    case 'predict-order-yield':
      return { subjectType: 'order', subjectId: payload.orderId };
    default:
      return assertNever(payload);
  }
}

/**
 * The job id of a payload: `<kind>~<model version>~<subject>`, e.g.
 * `score-board~1.0.0~GWM261118000001`. The same subject and model version always give the same id,
 * so BullMQ keeps one job however many requests ask for it; a new model version gives a new job.
 * Version and subject are percent-encoded down to `[A-Za-z0-9._-]`, so the id never holds `:` (BullMQ
 * rejects it: it separates key segments), never is an integer (the kind comes first), and `~` only
 * ever separates.
 */
export function jobIdFor(payload: ScoringJob): string {
  const { subjectId } = subjectOf(payload);
  return `${payload.kind}~${encodeIdPart(payload.modelVersion)}~${encodeIdPart(subjectId)}`;
}

/** The queue a payload goes to. */
export function queueNameFor(payload: ScoringJob): string {
  return MODEL_QUEUES[payload.modelName];
}

/** BullMQ's key prefix under the configured one: queues live in `<prefix>:bull:<queue>:*`. */
export function bullPrefixFor(keyPrefix: string): string {
  return `${keyPrefix}:bull`;
}

/**
 * Percent-encodes one segment of a BullMQ job id down to `[A-Za-z0-9._-]` and `%XX`, so that the id
 * never holds `:` (BullMQ rejects it) and `~` stays free to separate segments.
 */
export function encodeIdPart(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function assertNever(value: never): never {
  throw new InvalidJobPayloadError('kind', `unknown kind ${JSON.stringify((value as { kind?: unknown }).kind)}`);
}
