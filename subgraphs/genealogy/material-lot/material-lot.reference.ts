import type { SubgraphContext } from '../../shared';
import { loadMaterialLot } from './load-material-lot';
import type { MaterialLot } from './material-lot.type';

/** Resolves MaterialLot representations, one batched Opcenter read for all of a request. */
export function resolveMaterialLotReference(reference: { id: string }, ctx: SubgraphContext): Promise<MaterialLot | null> {
  return loadMaterialLot(ctx, reference.id);
}
