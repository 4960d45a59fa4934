import type { Row } from '../../../opcenter/client';
import type { TestStep } from './test-step.type';

/** The test step fields this subgraph selects. */
export const TEST_STEP_FIELDS = ['testRunGuid', 'sequence', 'name', 'referenceDesignator', 'measuredValue', 'lowLimit', 'highLimit', 'unit', 'result'];

/** An Opcenter test step row (logical names) as a TestStep. */
export function toTestStep(row: Row): TestStep {
  const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    sequence: Number(row.sequence),
    name: String(row.name),
    referenceDesignator: (row.referenceDesignator as string | null) ?? null,
    measuredValue: numberOrNull(row.measuredValue),
    lowLimit: numberOrNull(row.lowLimit),
    highLimit: numberOrNull(row.highLimit),
    unit: String(row.unit),
    passed: row.result === 'Pass',
  };
}
