import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, type ConnectionPage, readOpcenter, pageWindow, type SubgraphContext, toConnection } from '../../shared';
import { loadMaterialLot } from './load-material-lot';
import { MaterialLotFilter } from './material-lot-filter.input';
import { MATERIAL_LOT_FIELDS, REEL_FIELDS, toMaterialLot, toReel } from './material-lot.mapper';
import { MaterialLot, MaterialLotConnection } from './material-lot.type';
import { Reel } from './reel.type';

@Resolver(() => MaterialLot)
export class MaterialLotResolver {
  @Query(() => MaterialLot, { nullable: true, description: 'One lot by its NId, or null.' })
  materialLot(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<MaterialLot | null> {
    return loadMaterialLot(ctx, id);
  }

  @Query(() => MaterialLotConnection, { nullable: true, description: 'Lots ordered by NId.' })
  async materialLots(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => MaterialLotFilter, { nullable: true }) filter: MaterialLotFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ConnectionPage<MaterialLot>> {
    const { offset, limit } = pageWindow(args);
    const page = await readOpcenter(() =>
      ctx.opcenter.list('materialLot', {
        filter: {
          ...(filter?.partNumber ? { materialId: filter.partNumber } : {}),
          ...(filter?.supplier ? { supplier: filter.supplier } : {}),
        },
        select: [...MATERIAL_LOT_FIELDS],
        orderBy: 'id',
        top: limit,
        skip: offset,
        count: true,
      }),
    );
    const total = page.count ?? offset + page.items.length;
    return toConnection(page.items.map(toMaterialLot), offset, offset + page.items.length < total, total);
  }

  @FieldResolver(() => [Reel], { nullable: true, description: 'The reels, trays or tubes the lot was split into.' })
  async reels(@Root() lot: MaterialLot, @Ctx() ctx: SubgraphContext): Promise<Reel[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('reel', 'materialLotId', lot.id, REEL_FIELDS));
    return rows.map(toReel).sort((a, b) => a.id.localeCompare(b.id));
  }
}
