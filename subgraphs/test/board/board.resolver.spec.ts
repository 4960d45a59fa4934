import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

type Entities = { _entities: Array<{ serialNumber: string; testRuns: Array<{ id: string; testType: string; attempt: number }> }> };

const BOARD_RUNS = `query ($representations: [_Any!]!, $testType: String) {
  _entities(representations: $representations) { ... on Board { serialNumber testRuns(testType: $testType) { id testType attempt } } }
}`;

describe('test subgraph: the test runs of boards', () => {
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

  it('returns the runs of 50 boards with at most 3 calls to Opcenter’s TestRun', async () => {
    const serials = (await subgraph.opcenter.list('board', { filter: { unitType: 'Board' }, select: ['serialNumber'], orderBy: 'serialNumber', top: 50 })).items.map(
      (unit) => String(unit.serialNumber),
    );
    const runs = await subgraph.opcenter.getMany('testRun', 'serialNumber', serials, { select: ['id', 'serialNumber'] });
    const before = emulator.requestCounts.get('TestRun') ?? 0;

    const reply = await subgraph.query<Entities>(BOARD_RUNS, { representations: serials.map((serialNumber) => ({ __typename: 'Board', serialNumber })) });

    expect(reply.errors).toBeUndefined();
    expect((emulator.requestCounts.get('TestRun') ?? 0) - before).toBeLessThanOrEqual(3);
    const entities = reply.data!._entities;
    expect(entities.map((board) => board.serialNumber)).toEqual(serials);
    for (const board of entities) {
      const expected = runs.filter((run) => run.serialNumber === board.serialNumber).map((run) => run.id);
      expect(board.testRuns.map((run) => run.id).sort()).toEqual(expected.sort());
    }
    expect(runs.length).toBeGreaterThan(50);
  });

  it('keeps only the runs of the test type asked for', async () => {
    const reply = await subgraph.query<Entities>(BOARD_RUNS, { representations: [{ __typename: 'Board', serialNumber: 'GWM261118000001' }], testType: 'FCT' });
    expect(reply.data?._entities[0]?.testRuns).toEqual([{ id: 'GWM261118000001-FCT-1', testType: 'FCT', attempt: 1 }]);
  });

  it('answers an empty list for a board that was never tested', async () => {
    const reply = await subgraph.query<Entities>(BOARD_RUNS, { representations: [{ __typename: 'Board', serialNumber: 'NEVER-TESTED' }] });
    expect(reply.data?._entities).toEqual([{ serialNumber: 'NEVER-TESTED', testRuns: [] }]);
  });
});
