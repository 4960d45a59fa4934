import type { SubgraphContext } from '../../shared';
import { loadWorkCenter } from './load-work-center';
import type { WorkCenter } from './work-center.type';

/** Resolves `WorkCenter` representations; all of one request go to Opcenter in one batch. */
export function resolveWorkCenterReference(reference: { id: string }, ctx: SubgraphContext): Promise<WorkCenter | null> {
  return loadWorkCenter(ctx, reference.id);
}
