import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Connection, ConnectionArgs, type ConnectionPage, loadPage, readOpcenter, type SubgraphContext } from '../../shared';
import { Board } from '../board/board.type';
import { ProductionOrder } from '../production-order/production-order.type';
import { WorkCenter } from '../work-center/work-center.type';
import { loadTestRuns } from './load-test-runs';
import { TestRunFilter } from './test-run-filter.input';
import { TEST_RUN_FIELDS, toTestRun } from './test-run.mapper';
import { TestRun } from './test-run.type';
import { TEST_STEP_FIELDS, toTestStep } from './test-step.mapper';
import { TestStep } from './test-step.type';

const TestRunConnection = Connection(TestRun);

@Resolver(() => TestRun)
export class TestRunResolver {
  @Query(() => TestRun, { nullable: true, description: 'A test run by its Opcenter NId.' })
  async testRun(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<TestRun | null> {
    return (await loadTestRuns(ctx, 'id', id))[0] ?? null;
  }

  @Query(() => TestRunConnection, { nullable: true, description: 'Test runs, latest first.' })
  testRuns(
    @Args() args: ConnectionArgs,
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => TestRunFilter, { nullable: true }) filter?: TestRunFilter,
  ): Promise<ConnectionPage<TestRun>> {
    const where = {
      ...(filter?.result ? { result: filter.result } : {}),
      ...(filter?.testType ? { testType: filter.testType } : {}),
      ...(filter?.stationId ? { equipmentId: filter.stationId } : {}),
      ...(filter?.serialNumber ? { serialNumber: filter.serialNumber } : {}),
      ...(filter?.productionOrderId ? { workOrderId: filter.productionOrderId } : {}),
    };
    const query = { filter: where, select: TEST_RUN_FIELDS, orderBy: ['startedOn desc', 'id'] };
    return loadPage(ctx.opcenter, 'testRun', query, args, toTestRun);
  }

  @FieldResolver(() => [TestStep], { nullable: true, description: 'The measured steps in sequence (all runs of a request in one Opcenter read).' })
  async steps(
    @Root() run: TestRun,
    @Ctx() ctx: SubgraphContext,
    @Arg('onlyFailed', () => Boolean, { nullable: true, description: 'Only the steps that failed. Default false.' }) onlyFailed?: boolean,
  ): Promise<TestStep[]> {
    const rows = await readOpcenter(() => ctx.loader.loadMany('testStep', 'testRunGuid', run.guid, TEST_STEP_FIELDS));
    const steps = rows.map(toTestStep).sort((a, b) => a.sequence - b.sequence);
    return onlyFailed ? steps.filter((step) => !step.passed) : steps;
  }

  @FieldResolver(() => WorkCenter, { description: 'The test station.' })
  station(@Root() run: TestRun): WorkCenter {
    return { id: run.stationId };
  }

  @FieldResolver(() => Board)
  board(@Root() run: TestRun): Board {
    return { serialNumber: run.serialNumber };
  }

  @FieldResolver(() => ProductionOrder)
  productionOrder(@Root() run: TestRun): ProductionOrder {
    return { id: run.productionOrderId };
  }
}
