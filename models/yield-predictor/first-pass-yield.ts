/**
 * The label of `yield-predictor`: an order's final first-pass yield, from what the plant records.
 * Training labels its snapshots with it (models/training/yield-dataset.ts) and the worker scores its
 * served intervals against it when an order completes (workers/events/event-actions.ts), so both
 * read one definition.
 */
import type { Row } from '../../opcenter/client';

/**
 * The share of an order's boards that passed first time: no confirmed AOI call, first ICT and first
 * FCT passed (box builds: first FCT). A board scrapped before FCT did not. This is what the plant
 * reports, and equals the simulator's ground truth board by board.
 * @param boards every `board` row of the order (logical names: serialNumber, unitType)
 * @param aoi the order's `aoiInspection` rows (logical names: serialNumber, confirmedDefectCount)
 * @param tests the order's `testRun` rows (serialNumber, testType, attempt, result)
 * @returns a ratio in 0..1; NaN for an order without boards
 */
export function finalFirstPassYield(boards: readonly Row[], aoi: readonly Row[], tests: readonly Row[]): number {
  const confirmed = new Set(aoi.filter((a) => Number(a.confirmedDefectCount) > 0).map((a) => String(a.serialNumber)));
  const firstPass = new Map<string, { ict?: boolean; fct?: boolean }>();
  for (const row of tests) {
    if (row.attempt !== 1) continue;
    const entry = firstPass.get(String(row.serialNumber)) ?? {};
    entry[row.testType === 'ICT' ? 'ict' : 'fct'] = row.result === 'Pass';
    firstPass.set(String(row.serialNumber), entry);
  }
  let passed = 0;
  for (const board of boards) {
    const serial = String(board.serialNumber);
    const runs = firstPass.get(serial);
    const box = board.unitType === 'BoxBuild';
    if (runs?.fct === true && !confirmed.has(serial) && (box || runs.ict === true)) passed++;
  }
  return passed / boards.length;
}
