import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../shared';
import { BoardTestRunsResolver } from './board/board.resolver';
import { ProductionOrderTestSummaryResolver } from './production-order/production-order.resolver';
import { resolveTestRunReference } from './test-run/test-run.reference';
import { TestRunResolver } from './test-run/test-run.resolver';

/** The test subgraph: ICT and FCT runs with their steps, and the test runs of boards and orders. */
export async function buildSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [TestRunResolver, BoardTestRunsResolver, ProductionOrderTestSummaryResolver] },
    { TestRun: { __resolveReference: resolveTestRunReference } },
  );
}
