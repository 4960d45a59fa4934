import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../shared';
import { AiStatusResolver } from './ai-status/ai-status.resolver';
import { AoiInspectionResolver } from './aoi/aoi-inspection.resolver';
import { resolveBoardReference } from './board/board.reference';
import { BoardResolver } from './board/board.resolver';
import { NonconformanceResolver } from './nonconformance/nonconformance.resolver';
import { resolveProductionOrderReference } from './production-order/production-order.reference';
import { ProductionOrderResolver } from './production-order/production-order.resolver';
import { SpiInspectionResolver } from './spi/spi-inspection.resolver';

/** The quality subgraph: SPI and AOI results and NCRs, on Board and ProductionOrder. */
export async function buildSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [AiStatusResolver, BoardResolver, SpiInspectionResolver, AoiInspectionResolver, NonconformanceResolver, ProductionOrderResolver] },
    {
      Board: { __resolveReference: resolveBoardReference },
      ProductionOrder: { __resolveReference: resolveProductionOrderReference },
    },
  );
}
