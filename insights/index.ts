export { loadInsightsConfig, type InsightsConfig } from './config';
export { InvalidInsightError, InvalidInsightsConfigError, InvalidJobPayloadError, ScoringUnavailableError } from './errors';
export { insightSchema, parseInsight, type Insight, type InsightStatus, type JsonValue, type SubjectType } from './insight';
export { InsightStore, type InsightStoreOptions } from './insight-store';
export {
  bullPrefixFor,
  jobIdFor,
  MODEL_NAMES,
  MODEL_QUEUES,
  parseJobPayload,
  queueNameFor,
  subjectOf,
  type JobSubject,
  type ModelName,
  type PredictOrderYieldJob,
  type ScoreBoardJob,
  type ScoringJob,
  type ScoringReason,
} from './jobs';
export { closeRedis, createErrorReporter, createRedis, type CreateRedisOptions } from './redis';
export {
  SCORING_JOB_OPTIONS,
  ScoringQueues,
  type QueueDepth,
  type RequestScoresOptions,
  type ScoreOutcome,
  type ScoringQueuesOptions,
} from './scoring-queue';
export {
  publishWorkerHeartbeat,
  readWorkerHeartbeats,
  removeWorkerHeartbeat,
  workerHeartbeatKey,
  type PublishHeartbeatOptions,
  type WorkerHeartbeat,
  type WorkerModel,
} from './worker-registry';
