import type { Redis } from 'ioredis';
import { parseInsight, type Insight, type SubjectType } from './insight';
import type { ModelName } from './jobs';

/** Options of {@link InsightStore}. */
export interface InsightStoreOptions {
  /** First segment of every key (`InsightsConfig.keyPrefix`). */
  keyPrefix: string;
  /** Past insights kept per model and subject (`InsightsConfig.historySize`). */
  historySize: number;
}

/**
 * The latest insight per model and subject, and a bounded history of them, in Redis:
 * - `<prefix>:insight:<model>:<subjectType>:<subjectId>`: the latest insight, JSON;
 * - `<prefix>:insight-history:<model>:<subjectType>:<subjectId>`: a list, newest first.
 *
 * The store does not own its client: whoever created it closes it.
 */
export class InsightStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: InsightStoreOptions,
  ) {}

  /**
   * Stores an insight as the latest for its model and subject and prepends it to the history, trimmed
   * to `historySize`, in one MULTI (readers never see one without the other).
   * @throws InvalidInsightError when the insight breaks the contract
   */
  async put(insight: Insight): Promise<void> {
    const checked = parseInsight(insight);
    const json = JSON.stringify(checked);
    const { modelName, subjectType, subjectId } = checked;
    const history = this.historyKey(modelName, subjectType, subjectId);
    const results = await this.redis
      .multi()
      .set(this.latestKey(modelName, subjectType, subjectId), json)
      .lpush(history, json)
      .ltrim(history, 0, this.options.historySize - 1)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis discarded the insight transaction');
  }

  /**
   * The latest insight of each subject that has one, in one round trip (MGET). Subjects without one
   * are absent from the map, and so are insights of another model version when `modelVersion` is
   * given (a newer model must rescore) and stored values that no longer parse (they get rescored).
   */
  async getLatest(
    modelName: ModelName,
    subjectType: SubjectType,
    subjectIds: readonly string[],
    modelVersion?: string,
  ): Promise<Map<string, Insight>> {
    const ids = [...new Set(subjectIds)];
    const found = new Map<string, Insight>();
    if (ids.length === 0) return found;
    const values = await this.redis.mget(ids.map((id) => this.latestKey(modelName, subjectType, id)));
    ids.forEach((id, i) => {
      const insight = decode(values[i]);
      if (insight && (modelVersion === undefined || insight.modelVersion === modelVersion)) found.set(id, insight);
    });
    return found;
  }

  /** Up to `limit` past insights of one subject, newest first (all model versions). */
  async history(
    modelName: ModelName,
    subjectType: SubjectType,
    subjectId: string,
    limit = this.options.historySize,
  ): Promise<Insight[]> {
    if (limit <= 0) return [];
    const values = await this.redis.lrange(this.historyKey(modelName, subjectType, subjectId), 0, limit - 1);
    return values.map(decode).filter((insight): insight is Insight => insight !== undefined);
  }

  /** Key of the latest insight. */
  latestKey(modelName: ModelName, subjectType: SubjectType, subjectId: string): string {
    return `${this.options.keyPrefix}:insight:${modelName}:${subjectType}:${subjectId}`;
  }

  /** Key of the history list. */
  historyKey(modelName: ModelName, subjectType: SubjectType, subjectId: string): string {
    return `${this.options.keyPrefix}:insight-history:${modelName}:${subjectType}:${subjectId}`;
  }
}

function decode(value: string | null | undefined): Insight | undefined {
  if (!value) return undefined;
  try {
    return parseInsight(JSON.parse(value));
  } catch {
    return undefined;
  }
}
