import DataLoader from 'dataloader';
import { readOpcenter, type SubgraphContext } from '../../shared';
import { walkWhereUsed } from './walk-where-used';
import type { WhereUsedUnit } from './where-used-unit.type';

const loaders = new WeakMap<SubgraphContext, DataLoader<string, WhereUsedUnit[]>>();

/** The where-used units of a lot; the lots asked for in one request are walked together. */
export function loadWhereUsed(ctx: SubgraphContext, lotId: string): Promise<WhereUsedUnit[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, WhereUsedUnit[]>(async (lotIds) => {
      const units = await readOpcenter(() => walkWhereUsed(ctx.opcenter, lotIds));
      return lotIds.map((lotId) => units.get(lotId) ?? []);
    });
    loaders.set(ctx, loader);
  }
  return loader.load(lotId);
}
