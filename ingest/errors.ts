/** An environment variable of the ingest process is missing or malformed. Raised once, at start-up. */
export class InvalidIngestConfigError extends Error {
  override readonly name = 'InvalidIngestConfigError';
  readonly code = 'INVALID_INGEST_CONFIG';

  /**
   * @param variables the offending variables, e.g. `['INGEST_SECRET']`
   * @param problems one line per problem, each naming its variable (never its value: it may be the secret)
   */
  constructor(
    readonly variables: string[],
    problems: string[],
  ) {
    super(`Invalid ingest configuration:\n  ${problems.join('\n  ')}`);
  }
}
