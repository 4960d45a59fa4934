import type { TestRun } from '../test-run/test-run.type';
import type { TestSummary } from './test-summary.type';

/** Counts runs and first-pass boards: a board passes first time when every attempt-1 run of it passed. */
export function summarizeTestRuns(runs: readonly TestRun[]): TestSummary {
  const firstPassBySerial = new Map<string, boolean>();
  for (const run of runs) {
    const passedSoFar = firstPassBySerial.get(run.serialNumber) ?? true;
    firstPassBySerial.set(run.serialNumber, passedSoFar && (run.attempt !== 1 || run.result === 'Pass'));
  }
  const boardCount = firstPassBySerial.size;
  const firstPassBoardCount = [...firstPassBySerial.values()].filter(Boolean).length;
  return {
    runCount: runs.length,
    failedRunCount: runs.filter((run) => run.result !== 'Pass').length,
    boardCount,
    firstPassBoardCount,
    firstPassRate: boardCount === 0 ? null : firstPassBoardCount / boardCount,
  };
}
