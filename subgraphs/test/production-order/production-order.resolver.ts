import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared';
import { loadTestRuns } from '../test-run/load-test-runs';
import { ProductionOrder } from './production-order.type';
import { summarizeTestRuns } from './summarize-test-runs';
import { TestSummary } from './test-summary.type';

@Resolver(() => ProductionOrder)
export class ProductionOrderTestSummaryResolver {
  @FieldResolver(() => TestSummary, { nullable: true, description: 'Runs, failures and first-pass rate of the order’s boards (all orders of a request in one Opcenter read).' })
  async testSummary(
    @Root() order: ProductionOrder,
    @Ctx() ctx: SubgraphContext,
    @Arg('testType', () => String, { nullable: true, description: '`ICT` or `FCT`; default both.' }) testType?: string,
  ): Promise<TestSummary> {
    const runs = await loadTestRuns(ctx, 'workOrderId', order.id);
    return summarizeTestRuns(testType ? runs.filter((run) => run.testType === testType) : runs);
  }
}
