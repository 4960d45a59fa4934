import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared';
import { loadMaterialLot } from '../material-lot/load-material-lot';
import { MaterialLot } from '../material-lot/material-lot.type';
import { AsBuiltComponent } from './as-built.type';

@Resolver(() => AsBuiltComponent)
export class AsBuiltComponentResolver {
  @FieldResolver(() => MaterialLot, { nullable: true, description: 'The lot (batched with every lot read of the request).' })
  lot(@Root() component: AsBuiltComponent, @Ctx() ctx: SubgraphContext): Promise<MaterialLot | null> | null {
    return component.lotId ? loadMaterialLot(ctx, component.lotId) : null;
  }
}
