import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { readOpcenter, type SubgraphContext } from '../../shared';
import { AoiComponent } from './aoi-component.type';
import { AOI_COMPONENT_FIELDS, toAoiComponent } from './aoi-inspection.mapper';
import { AoiInspection } from './aoi-inspection.type';

@Resolver(() => AoiInspection)
export class AoiInspectionResolver {
  @FieldResolver(() => [AoiComponent], { nullable: true, description: 'Per-component results (batched for all inspections of a request).' })
  async components(
    @Root() inspection: AoiInspection,
    @Arg('onlyCalls', () => Boolean, { nullable: true, description: 'Only components the machine called defective.' }) onlyCalls: boolean | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AoiComponent[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('aoiComponent', 'aoiInspectionGuid', inspection.guid, AOI_COMPONENT_FIELDS));
    return (onlyCalls ? rows.filter((row) => row.result === 'Fail') : rows).map(toAoiComponent);
  }
}
