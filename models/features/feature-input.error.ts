/**
 * The data handed to a feature module is unusable (a missing or non-numeric measurement, an
 * unknown shift). Scoring such a subject again cannot succeed: a worker fails the job at once.
 */
export class FeatureInputError extends Error {
  readonly code = 'INVALID_FEATURE_INPUT';

  /**
   * @param subject what was being featurized, e.g. `board GWM261118000001`
   * @param field the logical field that is wrong, e.g. `spiPad[U1-A1].volumePct`
   * @param reason what is wrong with it and what it should be
   */
  constructor(
    readonly subject: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${subject}: ${field} ${reason}`);
    this.name = 'FeatureInputError';
  }
}
