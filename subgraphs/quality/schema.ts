import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../shared';
import { AiStatusResolver } from './ai-status/ai-status.resolver';
import { AlertResolver } from './alerts/alert.resolver';
import { AoiInspectionResolver } from './aoi/aoi-inspection.resolver';
import { resolveBoardReference } from './board/board.reference';
import { BoardResolver } from './board/board.resolver';
import { NonconformanceResolver } from './nonconformance/nonconformance.resolver';
import { resolveProductionOrderReference } from './production-order/production-order.reference';
import { ProductionOrderResolver } from './production-order/production-order.resolver';
import { SpiInspectionResolver } from './spi/spi-inspection.resolver';

/** The quality subgraph: SPI and AOI results and NCRs, on Board and ProductionOrder, and the alerts. */
export async function buildSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [AiStatusResolver, AlertResolver, BoardResolver, SpiInspectionResolver, AoiInspectionResolver, NonconformanceResolver, ProductionOrderResolver],
      // type-graphql requires a pub/sub once a schema has a subscription; Subscription.alerts reads the
      // Redis alert stream itself, so nothing is ever published to this one.
      pubSub: createPubSub(),
    },
    {
      Board: { __resolveReference: resolveBoardReference },
      ProductionOrder: { __resolveReference: resolveProductionOrderReference },
    },
  );
}
