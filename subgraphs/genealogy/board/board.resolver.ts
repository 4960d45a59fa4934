import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { readOpcenter, type SubgraphContext } from '../../shared';
import { AS_BUILT_CONSUMPTION_FIELDS, AS_BUILT_PLACEMENT_FIELDS, toAsBuilt } from './as-built.mapper';
import { AsBuilt } from './as-built.type';
import { Board } from './board.type';
import { loadMaterialLot } from '../material-lot/load-material-lot';
import { MaterialLot } from '../material-lot/material-lot.type';

@Resolver(() => Board)
export class BoardResolver {
  @FieldResolver(() => AsBuilt, {
    nullable: true,
    description: 'What the unit was built from (two batched Opcenter reads for all units of a request).',
  })
  async asBuilt(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<AsBuilt> {
    const [consumptions, placements] = await readOpcenter(() =>
      Promise.all([
        ctx.loader.loadMany('consumption', 'serialNumber', board.serialNumber, AS_BUILT_CONSUMPTION_FIELDS),
        ctx.loader.loadMany('placement', 'serialNumber', board.serialNumber, AS_BUILT_PLACEMENT_FIELDS),
      ]),
    );
    return toAsBuilt(consumptions, placements);
  }

  @FieldResolver(() => [MaterialLot], {
    nullable: true,
    description: 'The distinct material lots consumed into the unit (one batched read of consumption records for all units of a request).',
  })
  async materialLots(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<MaterialLot[]> {
    const consumptions = await readOpcenter(() =>
      ctx.loader.loadMany('consumption', 'serialNumber', board.serialNumber, AS_BUILT_CONSUMPTION_FIELDS),
    );
    const lotIds = [...new Set(consumptions.map((row) => row.materialLotId).filter((id): id is string => typeof id === 'string'))];
    const lots = await Promise.all(lotIds.map((id) => loadMaterialLot(ctx, id)));
    return lots.filter((lot): lot is MaterialLot => lot !== null);
  }
}
