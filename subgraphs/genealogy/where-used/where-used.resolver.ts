import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, connectionFromArray, pageWindow, type ConnectionPage, type SubgraphContext } from '../../shared';
import { MaterialLot } from '../material-lot/material-lot.type';
import { loadWhereUsed } from './where-used.loader';
import { WhereUsedConnection, type WhereUsedUnit } from './where-used-unit.type';

@Resolver(() => MaterialLot)
export class WhereUsedResolver {
  @FieldResolver(() => WhereUsedConnection, {
    nullable: true,
    description: 'Every unit that contains material of this lot, directly or through sub-assemblies, with the path that links it.',
  })
  async whereUsed(@Root() lot: MaterialLot, @Args() args: ConnectionArgs, @Ctx() ctx: SubgraphContext): Promise<ConnectionPage<WhereUsedUnit>> {
    // Refuse a bad page before walking the genealogy.
    pageWindow(args);
    const units = await loadWhereUsed(ctx, lot.id);
    return connectionFromArray(units, args);
  }
}
