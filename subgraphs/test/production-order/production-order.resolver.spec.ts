import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

type Summary = { runCount: number; failedRunCount: number; boardCount: number; firstPassBoardCount: number; firstPassRate: number | null };

describe('test subgraph: test summary of production orders', () => {
  let emulator: Emulator;
  let subgraph: SubgraphUnderTest;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    subgraph = await serveSubgraphForTest(await buildSchema(), emulator.url);
  });

  afterAll(async () => {
    await subgraph.close();
    await emulator.close();
  });

  it('counts runs, failures and first-pass boards of several orders in one Opcenter call', async () => {
    const ids = ['WO0026001', 'WO0026002', 'WO0026015'];
    const runs = await subgraph.opcenter.getMany('testRun', 'workOrderId', ids, { select: ['workOrderId', 'serialNumber', 'attempt', 'result'] });
    const before = emulator.requestCounts.get('TestRun') ?? 0;

    const reply = await subgraph.query<{ _entities: Array<{ id: string; testSummary: Summary }> }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on ProductionOrder { id testSummary { runCount failedRunCount boardCount firstPassBoardCount firstPassRate } } }
      }`,
      { representations: ids.map((id) => ({ __typename: 'ProductionOrder', id })) },
    );

    expect(reply.errors).toBeUndefined();
    expect((emulator.requestCounts.get('TestRun') ?? 0) - before).toBe(1);
    const [first, second, released] = reply.data!._entities;
    const ofFirst = runs.filter((run) => run.workOrderId === 'WO0026001');
    const failedFirstTime = new Set(ofFirst.filter((run) => run.attempt === 1 && run.result !== 'Pass').map((run) => run.serialNumber));
    const boards = new Set(ofFirst.map((run) => run.serialNumber));
    expect(first!.testSummary).toEqual({
      runCount: ofFirst.length,
      failedRunCount: ofFirst.filter((run) => run.result !== 'Pass').length,
      boardCount: boards.size,
      firstPassBoardCount: boards.size - failedFirstTime.size,
      firstPassRate: (boards.size - failedFirstTime.size) / boards.size,
    });
    expect(second!.testSummary.runCount).toBe(runs.filter((run) => run.workOrderId === 'WO0026002').length);
    expect(released!.testSummary).toEqual({ runCount: 0, failedRunCount: 0, boardCount: 0, firstPassBoardCount: 0, firstPassRate: null });
  });
});
