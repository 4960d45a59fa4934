import { readOpcenter, type SubgraphContext } from '../../shared';
import { TEST_RUN_FIELDS, toTestRun } from './test-run.mapper';
import type { TestRun } from './test-run.type';

/** The runs whose `field` (`id`, `serialNumber`, `workOrderId`) equals `value`, oldest first; one Opcenter read per request and field. */
export async function loadTestRuns(ctx: SubgraphContext, field: 'id' | 'serialNumber' | 'workOrderId', value: string): Promise<TestRun[]> {
  const rows = await readOpcenter(() => ctx.loader.loadMany('testRun', field, value, TEST_RUN_FIELDS));
  return rows.map(toTestRun).sort((a, b) => a.startedOn.getTime() - b.startedOn.getTime() || a.id.localeCompare(b.id));
}
