import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared';
import { fromOpcenter } from '../opcenter/from-opcenter';
import { AS_BUILT_CONSUMPTION_FIELDS, AS_BUILT_PLACEMENT_FIELDS, toAsBuilt } from './as-built.mapper';
import { AsBuilt } from './as-built.type';
import { Board } from './board.type';

@Resolver(() => Board)
export class BoardResolver {
  @FieldResolver(() => AsBuilt, {
    nullable: true,
    description: 'What the unit was built from (two batched Opcenter reads for all units of a request).',
  })
  async asBuilt(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<AsBuilt> {
    const [consumptions, placements] = await fromOpcenter(() =>
      Promise.all([
        ctx.loader.loadMany('consumption', 'serialNumber', board.serialNumber, AS_BUILT_CONSUMPTION_FIELDS),
        ctx.loader.loadMany('placement', 'serialNumber', board.serialNumber, AS_BUILT_PLACEMENT_FIELDS),
      ]),
    );
    return toAsBuilt(consumptions, placements);
  }
}
