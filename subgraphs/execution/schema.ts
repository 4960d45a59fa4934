import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../shared';
import { resolveBoardReference } from './board/board.reference';
import { BoardResolver } from './board/board.resolver';
import { BomItemResolver } from './production-order/bom-item.resolver';
import { OperationResolver } from './production-order/operation.resolver';
import { resolveProductionOrderReference } from './production-order/production-order.reference';
import { ProductionOrderResolver } from './production-order/production-order.resolver';
import { resolveWorkCenterReference } from './work-center/work-center.reference';
import { WorkCenterResolver } from './work-center/work-center.resolver';

/** The execution subgraph: production orders, their operations and BOM, boards and the plant hierarchy. */
export async function buildSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [ProductionOrderResolver, OperationResolver, BomItemResolver, BoardResolver, WorkCenterResolver] },
    {
      ProductionOrder: { __resolveReference: resolveProductionOrderReference },
      Board: { __resolveReference: resolveBoardReference },
      WorkCenter: { __resolveReference: resolveWorkCenterReference },
    },
  );
}
