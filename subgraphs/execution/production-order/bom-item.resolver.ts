import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Row } from '../../../opcenter/client';
import { readOpcenter, type SubgraphContext } from '../../shared';
import { BomItem } from './bom-item.type';

const MATERIAL_FIELDS = ['id', 'name', 'description', 'packageType'];

function loadComponent(ctx: SubgraphContext, item: BomItem): Promise<Row | null> {
  return readOpcenter(() => ctx.loader.loadOne('material', 'id', item.componentId, MATERIAL_FIELDS));
}

@Resolver(() => BomItem)
export class BomItemResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Component package, e.g. `0402` or `QFN-48` (all items of a request in one Opcenter read).' })
  async packageType(@Root() item: BomItem, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return ((await loadComponent(ctx, item))?.packageType as string | null | undefined) ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Component description from the part master.' })
  async description(@Root() item: BomItem, @Ctx() ctx: SubgraphContext): Promise<string | null> {
    return ((await loadComponent(ctx, item))?.description as string | null | undefined) ?? null;
  }
}
