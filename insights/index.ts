export {
  ALERT_SEVERITIES,
  ALERT_TYPES,
  AlertStream,
  alertInputSchema,
  assertAlertCursor,
  isAlertId,
  parseAlertInput,
  type Alert,
  type AlertInput,
  type AlertSeverity,
  type AlertStreamOptions,
  type AlertSubjects,
  type AlertType,
  type AlertSubscribeOptions,
} from './alert-stream';
export { loadInsightsConfig, type InsightsConfig } from './config';
export { InvalidAlertCursorError, InvalidAlertError } from './errors';
export {
  EventQueueUnavailableError,
  InvalidEventError,
  InvalidInsightError,
  InvalidInsightsConfigError,
  InvalidJobPayloadError,
  ScoringUnavailableError,
} from './errors';
export {
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  EVENT_QUEUE,
  EventQueue,
  eventJobIdFor,
  eventSeenKey,
  type EnqueueOutcome,
  type EventJobData,
  type EventQueueOptions,
} from './event-queue';
export {
  EVENT_TYPES,
  isOpcenterEventType,
  opcenterEventSchema,
  parseOpcenterEvent,
  type OpcenterEvent,
  type OpcenterEventOf,
  type OpcenterEventType,
} from './events';
export { insightSchema, parseInsight, type Insight, type InsightStatus, type JsonValue, type SubjectType } from './insight';
export { InsightStore, type InsightStoreOptions } from './insight-store';
export {
  bullPrefixFor,
  encodeIdPart,
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
