import { startSubgraphTestbed, type GraphQLAnswer, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

type Row = Record<string, unknown>;

interface NcrPage {
  nonconformances: { totalCount: number; nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const NCRS = `
  query ($first: Int, $after: String, $filter: NonconformanceFilter) {
    nonconformances(first: $first, after: $after, filter: $filter) {
      totalCount
      nodes { id title status severity source referenceDesignators modelName confidence board { serialNumber } productionOrder { id } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('Nonconformance', () => {
  let testbed: SubgraphTestbed;
  let serialNumber: string;
  let workOrderId: string;
  const created: string[] = [];

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('quality', buildSchema);
    const board = (await testbed.opcenter.list('board', { filter: { unitType: 'Board' }, top: 1 })).items[0]!;
    serialNumber = String(board.serialNumber);
    workOrderId = String(board.workOrderId);
    for (let i = 0; i < 23; i++) {
      const ai = i % 3 === 0;
      const { id } = await testbed.opcenter.command<{ id: string }>('createNonConformance', {
        title: `Insufficient paste ${i}`,
        description: 'Volume under 50 % on two pads.',
        severity: 'Major',
        source: ai ? 'AI' : 'Manual',
        ...(ai ? { modelName: 'spi-risk', modelVersion: '1.0.0', confidence: 0.9 } : {}),
        serialNumber: i < 5 ? serialNumber : undefined,
        workOrderId,
        referenceDesignators: 'U7,C12',
      });
      created.push(id);
    }
  });
  afterAll(() => testbed.close());

  async function pageAll(filter: Record<string, unknown> | undefined, first: number): Promise<Row[]> {
    const nodes: Row[] = [];
    let after: string | null = null;
    for (;;) {
      const answer: GraphQLAnswer<NcrPage> = await testbed.query<NcrPage>(NCRS, { first, after, filter });
      expect(answer.errors).toBeUndefined();
      const page = answer.data!.nonconformances;
      nodes.push(...page.nodes);
      expect(page.totalCount).toBeGreaterThanOrEqual(nodes.length);
      if (!page.pageInfo.hasNextPage) {
        expect(nodes).toHaveLength(page.totalCount);
        return nodes;
      }
      after = page.pageInfo.endCursor;
    }
  }

  it('pages through every NCR to the end, each once', async () => {
    const nodes = await pageAll(undefined, 5);
    expect(nodes.map((ncr) => ncr.id).sort()).toEqual([...created].sort());
  });

  it('filters NCRs by source, serial number and production order in Opcenter', async () => {
    const ai = await pageAll({ source: 'AI' }, 100);
    expect(ai).toHaveLength(8);
    expect(ai.every((ncr) => ncr.source === 'AI' && ncr.modelName === 'spi-risk' && ncr.confidence === 0.9)).toBe(true);
    const onBoard = await pageAll({ serialNumber, productionOrderId: workOrderId, status: 'Open' }, 100);
    const expected = await testbed.opcenter.listAll('nonConformance', { filter: { serialNumber, workOrderId, status: 'Open' } });
    expect(onBoard.map((ncr) => ncr.id).sort()).toEqual(expected.map((row) => row.id).sort());
  });

  it('answers one NCR by id with its board, production order and reference designators', async () => {
    const answer = await testbed.query<{ nonconformance: Row }>(
      `query ($id: ID!) { nonconformance(id: $id) { id title severity referenceDesignators board { serialNumber } productionOrder { id } } }`,
      { id: created[0] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.nonconformance).toEqual({
      id: created[0],
      title: 'Insufficient paste 0',
      severity: 'Major',
      referenceDesignators: ['U7', 'C12'],
      board: { serialNumber },
      productionOrder: { id: workOrderId },
    });
  });

  it('lists the NCRs of a board on the Board entity', async () => {
    const answer = await testbed.query<{ _entities: Array<{ nonconformances: Row[] }> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Board { nonconformances { id } } } }`,
      { r: [{ __typename: 'Board', serialNumber }] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities[0]!.nonconformances.map((ncr) => ncr.id).sort()).toEqual(created.slice(0, 5).sort());
  });

  it('rejects a page size over 100 with BAD_USER_INPUT', async () => {
    const answer = await testbed.query(NCRS, { first: 500 });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
