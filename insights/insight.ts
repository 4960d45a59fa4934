import { z } from 'zod';
import { InvalidInsightError } from './errors';
import { MODEL_NAMES, type ModelName } from './jobs';

/** A JSON value, as it round-trips through Redis. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What kind of Opcenter object an insight is about. */
export type SubjectType = 'board' | 'order';

/**
 * How scoring ended: `READY` (the model answered), `FAILED` (it could not, see `failure`),
 * `NOT_APPLICABLE` (the subject has nothing to score, e.g. a board without SPI data).
 * `PENDING` is not stored: it is what a resolver answers while no insight exists.
 */
export type InsightStatus = 'READY' | 'FAILED' | 'NOT_APPLICABLE';

/** One model's answer about one subject, as the workers store it and the resolvers read it. */
export interface Insight {
  modelName: ModelName;
  modelVersion: string;
  subjectType: SubjectType;
  /** Serial number (board) or order number (order). */
  subjectId: string;
  status: InsightStatus;
  /** The model's answer, shaped by the model (e.g. `{ score, level, predictedDefects }`); null when none. */
  value: JsonValue;
  /** 0..1, or null when the model gives none. */
  confidence: number | null;
  /** When the worker computed it, ISO 8601 with offset. */
  computedAt: string;
  /** Hash of the model's input features, to tell a rescore on the same data from one on new data. */
  featuresDigest: string | null;
  /** Why scoring failed; only with status `FAILED`. */
  failure?: { code: string; message: string };
}

/**
 * Whether `value` survives JSON as it is: plain objects, arrays, strings, finite numbers, booleans
 * and null. A plain walk: zod's `z.json()` rebuilds the whole value and costs more than the rest of
 * an insight's check together (readers check every insight they read).
 */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

export const insightSchema = z.object({
  modelName: z.enum(MODEL_NAMES),
  modelVersion: z.string().min(1),
  subjectType: z.enum(['board', 'order']),
  subjectId: z.string().min(1),
  status: z.enum(['READY', 'FAILED', 'NOT_APPLICABLE']),
  value: z.custom<JsonValue>(isJsonValue, 'must be a JSON value (plain objects, arrays, strings, finite numbers, booleans, null)'),
  confidence: z.number().min(0).max(1).nullable(),
  computedAt: z.iso.datetime({ offset: true }),
  featuresDigest: z.string().nullable(),
  failure: z.object({ code: z.string().min(1), message: z.string() }).optional(),
}) satisfies z.ZodType<Insight>;

/**
 * Checks an insight against the contract.
 * @throws InvalidInsightError naming the first wrong field
 */
export function parseInsight(value: unknown): Insight {
  const parsed = insightSchema.safeParse(value);
  if (parsed.success) return parsed.data as Insight;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(insight)';
  throw new InvalidInsightError(field, issue?.message ?? 'invalid');
}
