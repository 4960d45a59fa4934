import { registerEnumType } from 'type-graphql';

/** Where an AI field's answer stands. */
export enum AiFieldStatus {
  /** Scored by the model version the graph serves. */
  READY = 'READY',
  /** Being scored; ask again in a moment. */
  PENDING = 'PENDING',
  /** Scoring failed; `reason` says why. */
  FAILED = 'FAILED',
  /** The model does not apply to this subject (e.g. a board without SPI data); `reason` says why. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

registerEnumType(AiFieldStatus, { name: 'AiFieldStatus', description: 'Where an AI-computed field stands.' });
