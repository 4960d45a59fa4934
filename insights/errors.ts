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
