import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FilterObject } from '../../../opcenter/client';
import { ConnectionArgs, type ConnectionPage, readOpcenter, pageWindow, type SubgraphContext, toConnection } from '../../shared';
import { Board } from '../board/board.type';
import { ProductionOrder } from '../production-order/production-order.type';
import { NonconformanceFilter } from './nonconformance-filter.input';
import { NONCONFORMANCE_FIELDS, toNonconformance } from './nonconformance.mapper';
import { Nonconformance, NonconformanceConnection } from './nonconformance.type';

@Resolver(() => Nonconformance)
export class NonconformanceResolver {
  @Query(() => Nonconformance, { nullable: true, description: 'One NCR by its Opcenter number, or null.' })
  async nonconformance(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Nonconformance | null> {
    const row = await readOpcenter(() => ctx.loader.loadOne('nonConformance', 'id', id, NONCONFORMANCE_FIELDS));
    return row ? toNonconformance(row) : null;
  }

  @Query(() => NonconformanceConnection, { nullable: true, description: 'NCRs, newest first.' })
  async nonconformances(
    @Args() args: ConnectionArgs,
    @Arg('filter', () => NonconformanceFilter, { nullable: true }) filter: NonconformanceFilter | undefined,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ConnectionPage<Nonconformance>> {
    const { offset, limit } = pageWindow(args);
    const page = await readOpcenter(() =>
      ctx.opcenter.list('nonConformance', {
        filter: toFilter(filter),
        select: [...NONCONFORMANCE_FIELDS],
        orderBy: ['createdOn desc', 'id desc'],
        top: limit,
        skip: offset,
        count: true,
      }),
    );
    const total = page.count ?? offset + page.items.length;
    return toConnection(page.items.map(toNonconformance), offset, offset + page.items.length < total, total);
  }

  @FieldResolver(() => Board, { nullable: true, description: 'The board it concerns, if any.' })
  board(@Root() ncr: Nonconformance): Board | null {
    return ncr.serialNumber ? Object.assign(new Board(), { serialNumber: ncr.serialNumber }) : null;
  }

  @FieldResolver(() => ProductionOrder, { nullable: true, description: 'The production order it concerns, if any.' })
  productionOrder(@Root() ncr: Nonconformance): ProductionOrder | null {
    return ncr.workOrderId ? Object.assign(new ProductionOrder(), { id: ncr.workOrderId }) : null;
  }
}

function toFilter(filter: NonconformanceFilter | undefined): FilterObject {
  return {
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.source ? { source: filter.source } : {}),
    ...(filter?.serialNumber ? { serialNumber: filter.serialNumber } : {}),
    ...(filter?.productionOrderId ? { workOrderId: filter.productionOrderId } : {}),
  };
}
