import { readOpcenter, type SubgraphContext } from '../../shared';
import { EQUIPMENT_FIELDS, toWorkCenter } from './work-center.mapper';
import type { WorkCenter } from './work-center.type';

/** The work center with this NId, batched with every other one this request asks for; null when unknown. */
export async function loadWorkCenter(ctx: SubgraphContext, id: string): Promise<WorkCenter | null> {
  const row = await readOpcenter(() => ctx.loader.loadOne('equipment', 'id', id, EQUIPMENT_FIELDS));
  return row ? toWorkCenter(row) : null;
}
