import type { Row } from '../../../opcenter/client';
import { toDate } from '../../shared';
import type { TestRun } from './test-run.type';

/** The test run fields every read of this subgraph selects (one selection, so reads batch together). */
export const TEST_RUN_FIELDS = [
  'guid', 'id', 'serialNumber', 'workOrderId', 'testType', 'equipmentId', 'fixtureId', 'programVersion',
  'firmwareVersion', 'attempt', 'startedOn', 'durationSeconds', 'result', 'stepCount', 'failedStepCount',
];

/** An Opcenter test run row (logical names) as a TestRun. */
export function toTestRun(row: Row): TestRun {
  return {
    id: String(row.id),
    guid: String(row.guid),
    testType: String(row.testType),
    stationId: String(row.equipmentId),
    fixtureId: (row.fixtureId as string | null) ?? null,
    programVersion: String(row.programVersion),
    firmwareVersion: (row.firmwareVersion as string | null) ?? null,
    attempt: Number(row.attempt),
    startedOn: toDate(row.startedOn) as Date,
    durationSeconds: Number(row.durationSeconds),
    result: String(row.result),
    stepCount: Number(row.stepCount),
    failedStepCount: Number(row.failedStepCount),
    serialNumber: String(row.serialNumber),
    productionOrderId: String(row.workOrderId),
  };
}
