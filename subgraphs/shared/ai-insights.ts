/**
 * How resolvers of AI fields answer: the stored insight when there is one for the model version
 * served; otherwise the subjects of the request that lack one are enqueued as one batch (job ids
 * from subject and version, so concurrent requests share jobs) and awaited up to the budget; past
 * it the field answers PENDING and a later query finds the finished score.
 */
import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import { AlertStream } from '../../insights/alert-stream';
import type { InsightsConfig } from '../../insights/config';
import type { Insight } from '../../insights/insight';
import { InsightStore } from '../../insights/insight-store';
import { jobIdFor, type ModelName, type ScoringJob } from '../../insights/jobs';
import { closeRedis, createRedis } from '../../insights/redis';
import { ScoringQueues } from '../../insights/scoring-queue';
import { readModelCard } from '../../models/model-card';
import { UpstreamUnavailableError } from './errors';

/** The process-wide parts of the AI fields (one Redis client, the queues). */
export interface AiInsights {
  /** The process's Redis client (store reads, worker heartbeats). */
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly store: InsightStore;
  readonly queues: ScoringQueues;
  readonly budgetMs: number;
  /** The alert stream that `Subscription.alerts` and `Query.alerts` read. */
  readonly alerts: AlertStream;
  /** The model version the fields serve: the shipped card's. */
  readonly versions: Readonly<Record<ModelName, string>>;
  close(): Promise<void>;
}

/** Connects the AI fields of a subgraph process to Redis. */
export function createAiInsights(config: InsightsConfig): AiInsights {
  const redis = createRedis(config.redisUrl);
  const queues = new ScoringQueues({ redisUrl: config.redisUrl, keyPrefix: config.keyPrefix });
  return {
    redis,
    keyPrefix: config.keyPrefix,
    store: new InsightStore(redis, { keyPrefix: config.keyPrefix, historySize: config.historySize }),
    queues,
    budgetMs: config.aiBudgetMs,
    alerts: new AlertStream({ redis, keyPrefix: config.keyPrefix, maxLength: config.alertStreamMaxLength, maxAgeMs: config.alertStreamMaxAgeMs }),
    versions: { 'spi-defect-risk': readModelCard('spi-defect-risk').version, 'yield-predictor': readModelCard('yield-predictor').version },
    close: async () => {
      await queues.close();
      await closeRedis(redis);
    },
  };
}

/** One AI field's answer. */
export type AiAnswer =
  | { readonly status: 'READY' | 'NOT_APPLICABLE'; readonly insight: Insight; readonly reason: string | null }
  | { readonly status: 'FAILED'; readonly insight: Insight | null; readonly reason: string }
  | { readonly status: 'PENDING'; readonly modelVersion: string; readonly reason: string };

/** A subject of an AI field. */
export type AiSubject = { readonly modelName: 'spi-defect-risk'; readonly serialNumber: string } | { readonly modelName: 'yield-predictor'; readonly orderId: string };

function jobOf(subject: AiSubject, modelVersion: string): ScoringJob {
  return subject.modelName === 'spi-defect-risk'
    ? { kind: 'score-board', serialNumber: subject.serialNumber, modelName: subject.modelName, modelVersion, reason: 'query' }
    : { kind: 'predict-order-yield', orderId: subject.orderId, modelName: subject.modelName, modelVersion, reason: 'query' };
}

function answerOf(insight: Insight): AiAnswer {
  if (insight.status === 'FAILED') return { status: 'FAILED', insight, reason: insight.failure?.message ?? 'scoring failed' };
  const reason = insight.status === 'NOT_APPLICABLE' ? String((insight.value as { reason?: unknown } | null)?.reason ?? 'not applicable') : null;
  return { status: insight.status, insight, reason };
}

/** Per-request batching of AI field reads; see the module comment. */
export class AiInsightLoader {
  private readonly loader: DataLoader<AiSubject, AiAnswer, string>;

  constructor(readonly insights: AiInsights) {
    this.loader = new DataLoader((subjects) => this.answer(subjects), { cacheKeyFn: (s) => JSON.stringify(s) });
  }

  load(subject: AiSubject): Promise<AiAnswer> {
    return this.loader.load(subject);
  }

  private async answer(subjects: readonly AiSubject[]): Promise<(AiAnswer | Error)[]> {
    try {
      const answers = new Map<AiSubject, AiAnswer>();
      for (const modelName of ['spi-defect-risk', 'yield-predictor'] as const) {
        const mine = subjects.filter((s) => s.modelName === modelName);
        if (mine.length > 0) for (const [s, a] of await this.answerModel(modelName, mine)) answers.set(s, a);
      }
      return subjects.map((s) => answers.get(s) as AiAnswer);
    } catch (error) {
      const unavailable = new UpstreamUnavailableError(`The AI layer cannot be reached (${error instanceof Error ? error.message : String(error)}); try again shortly.`);
      // DataLoader rejects each load whose slot holds an Error.
      return subjects.map(() => unavailable);
    }
  }

  private async answerModel(modelName: ModelName, subjects: readonly AiSubject[]): Promise<Map<AiSubject, AiAnswer>> {
    const version = this.insights.versions[modelName];
    const subjectType = modelName === 'spi-defect-risk' ? 'board' : 'order';
    const idOf = (s: AiSubject): string => ('serialNumber' in s ? s.serialNumber : s.orderId);
    const ids = subjects.map(idOf);
    const stored = await this.insights.store.getLatest(modelName, subjectType, ids, version);
    const missing = subjects.filter((s) => !stored.has(idOf(s)));
    const outcomes = missing.length > 0 ? await this.insights.queues.requestScores(missing.map((s) => jobOf(s, version)), { budgetMs: this.insights.budgetMs }) : new Map();
    const fresh = missing.length > 0 ? await this.insights.store.getLatest(modelName, subjectType, missing.map(idOf), version) : new Map<string, Insight>();
    const answers = new Map<AiSubject, AiAnswer>();
    for (const subject of subjects) {
      const insight = stored.get(idOf(subject)) ?? fresh.get(idOf(subject));
      if (insight !== undefined) {
        answers.set(subject, answerOf(insight));
        continue;
      }
      const outcome = outcomes.get(jobIdFor(jobOf(subject, version)));
      answers.set(
        subject,
        outcome?.status === 'failed'
          ? { status: 'FAILED', insight: null, reason: outcome.reason }
          : { status: 'PENDING', modelVersion: version, reason: `${modelName} ${version} is scoring it; ask again in a moment` },
      );
    }
    return answers;
  }
}
