import { readOpcenter, type SubgraphContext } from '../../shared';
import { MATERIAL_LOT_FIELDS, toMaterialLot } from './material-lot.mapper';
import type { MaterialLot } from './material-lot.type';

/** A lot by NId (batched with every other lot read of the request), or null. */
export async function loadMaterialLot(ctx: SubgraphContext, id: string): Promise<MaterialLot | null> {
  const row = await readOpcenter(() => ctx.loader.loadOne('materialLot', 'id', id, MATERIAL_LOT_FIELDS));
  return row ? toMaterialLot(row) : null;
}
