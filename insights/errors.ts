/** An environment variable of the insights layer is malformed. Raised once, at start-up. */
export class InvalidInsightsConfigError extends Error {
  override readonly name = 'InvalidInsightsConfigError';
  readonly code = 'INVALID_INSIGHTS_CONFIG';

  /**
   * @param variables the offending variables, e.g. `['AI_BUDGET_MS']`
   * @param problems one line per problem, each naming its variable (never its value: URLs carry passwords)
   */
  constructor(
    readonly variables: string[],
    problems: string[],
  ) {
    super(`Invalid insights configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * A scoring job's payload does not match the contract in `jobs.ts`. Running such a job again cannot
 * succeed: a worker fails it at once (BullMQ `UnrecoverableError`), a producer refuses to enqueue it.
 */
export class InvalidJobPayloadError extends Error {
  override readonly name = 'InvalidJobPayloadError';
  readonly code = 'INVALID_JOB_PAYLOAD';

  /**
   * @param field dotted path of the first wrong field, e.g. `serialNumber`; `(payload)` for the whole value
   * @param reason what is wrong with it
   */
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`Invalid job payload: ${field}: ${reason}`);
  }
}

/** An insight handed to the store does not match the `Insight` contract (a worker bug). */
export class InvalidInsightError extends Error {
  override readonly name = 'InvalidInsightError';
  readonly code = 'INVALID_INSIGHT';

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`Invalid insight: ${field}: ${reason}`);
  }
}

/** Redis refused or failed the scoring request (not a timeout: a budget that runs out answers `pending`). */
export class ScoringUnavailableError extends Error {
  override readonly name = 'ScoringUnavailableError';
  readonly code = 'SCORING_UNAVAILABLE';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/**
 * An Opcenter event does not match the contract in `events.ts`. Posting it again cannot succeed:
 * ingest answers 400 and enqueues nothing.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  readonly code = 'INVALID_EVENT';

  /**
   * @param field dotted path of the first wrong field, e.g. `componentList.0.feederSlot`; `(event)` for the whole value
   * @param reason what is wrong with it and what is expected
   */
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid event: ${field}: ${reason}`);
  }
}

/** Redis did not acknowledge an event in time, or failed it: the event is not durable, the sender should retry. */
export class EventQueueUnavailableError extends Error {
  override readonly name = 'EventQueueUnavailableError';
  readonly code = 'EVENT_QUEUE_UNAVAILABLE';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** An alert handed to the alert stream does not match the `AlertInput` contract (a producer bug). */
export class InvalidAlertError extends Error {
  override readonly name = 'InvalidAlertError';
  readonly code = 'INVALID_ALERT';

  /**
   * @param field dotted path of the first wrong field, e.g. `subjects.serialNumber`; `(alert)` for the whole value
   * @param reason what is wrong with it
   */
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`Invalid alert: ${field}: ${reason}`);
  }
}

/** A cursor given to the alert stream is not a stream entry id (`<milliseconds>-<sequence>`, e.g. `1712345678901-0`). */
export class InvalidAlertCursorError extends Error {
  override readonly name = 'InvalidAlertCursorError';
  readonly code = 'INVALID_ALERT_CURSOR';

  constructor(readonly cursor: string) {
    super(`Invalid alert cursor "${cursor.slice(0, 40)}": pass the id of an alert already received (digits-digits, e.g. 1712345678901-0), or none to start from new alerts.`);
  }
}
