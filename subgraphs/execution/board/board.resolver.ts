import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { selectsField, type SubgraphContext } from '../../shared';
import { loadProductionOrder } from '../production-order/load-production-order';
import { ProductionOrder } from '../production-order/production-order.type';
import { loadWorkCenter } from '../work-center/load-work-center';
import { WorkCenter } from '../work-center/work-center.type';
import { loadBoard } from './load-board';
import { Board } from './board.type';

@Resolver(() => Board)
export class BoardResolver {
  @Query(() => Board, { nullable: true, description: 'A board (or box build) by its serial number.' })
  board(
    @Arg('serialNumber', () => ID) serialNumber: string,
    @Ctx() ctx: SubgraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Board | null> {
    return loadBoard(ctx, serialNumber, { withOrder: selectsField(info, 'productionOrder') });
  }

  @FieldResolver(() => ProductionOrder, { nullable: true })
  productionOrder(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<ProductionOrder | null> {
    return loadProductionOrder(ctx, board.productionOrderId);
  }

  @FieldResolver(() => WorkCenter, { nullable: true, description: 'The line the unit was built on.' })
  line(@Root() board: Board, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> {
    return loadWorkCenter(ctx, board.lineId);
  }
}
