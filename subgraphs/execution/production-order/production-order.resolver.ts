import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Connection, ConnectionArgs, type ConnectionPage, loadPage, pageWindow, readOpcenter, type SubgraphContext, toConnection, UpstreamUnavailableError, withoutNulls } from '../../shared';
import { toBoard } from '../board/board.mapper';
import { Board } from '../board/board.type';
import { loadWorkCenter } from '../work-center/load-work-center';
import { WorkCenter } from '../work-center/work-center.type';
import { BOM_ITEM_FIELDS, toBomItem } from './bom-item.mapper';
import { BomItem } from './bom-item.type';
import { loadOrderBoards } from './load-order-boards';
import { loadProductionOrder } from './load-production-order';
import { OPERATION_FIELDS, toOperation } from './operation.mapper';
import { Operation } from './operation.type';
import { ProductionOrderFilter } from './production-order-filter.input';
import { toProductionOrder, WORK_ORDER_FIELDS } from './production-order.mapper';
import { ProductionOrder } from './production-order.type';
import { toYieldPrediction, YieldPrediction } from './yield-prediction.type';

const ProductionOrderConnection = Connection(ProductionOrder);
const BoardConnection = Connection(Board);

@Resolver(() => ProductionOrder)
export class ProductionOrderResolver {
  @Query(() => ProductionOrder, { nullable: true, description: 'A production order by its Opcenter order number.' })
  productionOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<ProductionOrder | null> {
    return loadProductionOrder(ctx, id);
  }

  @Query(() => ProductionOrderConnection, { nullable: true, description: 'Production orders, latest planned start first.' })
  productionOrders(
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => ProductionOrderFilter, { nullable: true }) filter?: ProductionOrderFilter,
  ): Promise<ConnectionPage<ProductionOrder>> {
    const where = {
      ...(filter?.status ? { status: filter.status } : {}),
      ...(filter?.lineId ? { lineId: filter.lineId } : {}),
      ...(filter?.productId ? { finalMaterialId: filter.productId } : {}),
    };
    const query = { filter: where, select: WORK_ORDER_FIELDS, orderBy: ['plannedStartTime desc', 'id'] };
    return loadPage(ctx.opcenter, 'workOrder', query, args, toProductionOrder);
  }

  @FieldResolver(() => WorkCenter, { nullable: true, description: 'The SMT line (or cell) the order runs on.' })
  line(@Root() order: ProductionOrder, @Ctx() ctx: SubgraphContext): Promise<WorkCenter | null> {
    return loadWorkCenter(ctx, order.lineId);
  }

  @FieldResolver(() => YieldPrediction, {
    description: "The order's expected final first-pass yield with a 90 % interval: stored, or predicted within the AI budget, else PENDING.",
  })
  async predictedYield(@Root() order: ProductionOrder, @Ctx() ctx: SubgraphContext): Promise<YieldPrediction> {
    if (ctx.ai === undefined) throw new UpstreamUnavailableError('This execution subgraph runs without the AI layer (no Redis configured).');
    return toYieldPrediction(await ctx.ai.load({ modelName: 'yield-predictor', orderId: order.id }));
  }

  @FieldResolver(() => [Operation], { nullable: true, description: 'The routing steps, in sequence.' })
  async operations(@Root() order: ProductionOrder, @Ctx() ctx: SubgraphContext): Promise<Operation[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('workOrderOperation', 'workOrderId', order.id, OPERATION_FIELDS));
    return rows.map(toOperation).sort((a, b) => a.sequence - b.sequence);
  }

  @FieldResolver(() => [BomItem], { nullable: true, description: 'The bill of materials of the product revision; empty when Opcenter has none.' })
  async bom(@Root() order: ProductionOrder, @Ctx() ctx: SubgraphContext): Promise<BomItem[]> {
    const boms = await readOpcenter(() => ctx.loader.loadMany('billOfMaterials', 'materialId', order.productId, ['id', 'materialRevision']));
    const bom = boms.find((candidate) => candidate.materialRevision === order.productRevision);
    if (!bom) return [];
    const rows = await readOpcenter(() => ctx.loader.loadMany('billOfMaterialsItem', 'billOfMaterialsId', String(bom.id), BOM_ITEM_FIELDS));
    return rows.map(toBomItem).sort((a, b) => a.sequence - b.sequence);
  }

  @FieldResolver(() => BoardConnection, { nullable: true, description: 'The order’s serialized units, by serial number.' })
  async boards(
    @Root() order: ProductionOrder,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('status', () => String, { nullable: true, description: '`InProcess`, `Completed`, `Scrapped` or `Consumed`.' }) status?: string,
  ): Promise<ConnectionPage<Board>> {
    const { offset, limit } = pageWindow(withoutNulls(args));
    const page = await readOpcenter(() => loadOrderBoards(ctx, order.id, { status, offset, limit }));
    return toConnection(page.rows.map(toBoard), offset, page.hasMore);
  }
}
