import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared';
import { loadTestRuns } from '../test-run/load-test-runs';
import { TestRun } from '../test-run/test-run.type';
import { Board } from './board.type';

@Resolver(() => Board)
export class BoardTestRunsResolver {
  @FieldResolver(() => [TestRun], { nullable: true, description: 'The board’s ICT and FCT runs, oldest first (all boards of a request in one Opcenter read).' })
  async testRuns(
    @Root() board: Board,
    @Ctx() ctx: SubgraphContext,
    @Arg('testType', () => String, { nullable: true, description: '`ICT` or `FCT`; default both.' }) testType?: string,
  ): Promise<TestRun[]> {
    const runs = await loadTestRuns(ctx, 'serialNumber', board.serialNumber);
    return testType ? runs.filter((run) => run.testType === testType) : runs;
  }
}
