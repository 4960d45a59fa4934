import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { readOpcenter, type SubgraphContext, text } from '../../shared';
import { ProductionOrder } from './production-order.type';
import { SpiSummary } from './spi-summary.type';

@Resolver(() => ProductionOrder)
export class ProductionOrderResolver {
  @FieldResolver(() => SpiSummary, { nullable: true, description: "SPI figures computed from the order's inspections." })
  async spiSummary(@Root() order: ProductionOrder, @Ctx() ctx: SubgraphContext): Promise<SpiSummary> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('spiInspection', 'workOrderId', order.id, ['serialNumber', 'result']));
    const inspected = new Set<string>();
    const failed = new Set<string>();
    for (const row of rows) {
      inspected.add(text(row.serialNumber));
      if (row.result === 'Fail') failed.add(text(row.serialNumber));
    }
    return {
      inspectedBoards: inspected.size,
      failedBoards: failed.size,
      failRate: inspected.size === 0 ? 0 : failed.size / inspected.size,
    };
  }
}
