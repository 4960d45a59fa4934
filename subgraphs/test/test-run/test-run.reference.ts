import type { SubgraphContext } from '../../shared';
import { loadTestRuns } from './load-test-runs';
import type { TestRun } from './test-run.type';

/** Resolves `TestRun` representations; all of one request go to Opcenter in one batch. */
export async function resolveTestRunReference(reference: { id: string }, ctx: SubgraphContext): Promise<TestRun | null> {
  return (await loadTestRuns(ctx, 'id', reference.id))[0] ?? null;
}
