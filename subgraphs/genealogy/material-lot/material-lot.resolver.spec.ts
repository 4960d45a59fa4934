import { startSubgraphTestbed, type SubgraphTestbed, type GraphQLAnswer } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

type Row = Record<string, unknown>;

interface LotPage {
  materialLots: { totalCount: number; nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const LOTS = `
  query ($first: Int, $after: String, $filter: MaterialLotFilter) {
    materialLots(first: $first, after: $after, filter: $filter) { totalCount nodes { id partNumber supplier } pageInfo { hasNextPage endCursor } }
  }`;

describe('MaterialLot', () => {
  let testbed: SubgraphTestbed;
  let lot: Row;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('genealogy', buildSchema);
    lot = (await testbed.opcenter.list('materialLot', { filter: { openedOn: { ne: null } }, orderBy: 'id', top: 1 })).items[0]!;
  });
  afterAll(() => testbed.close());

  it('answers a lot with the fields and reels Opcenter records', async () => {
    const answer = await testbed.query<{ materialLot: Row }>(
      `query ($id: ID!) { materialLot(id: $id) { id partNumber supplier manufacturer manufacturerPartNumber quantity initialQuantity unitOfMeasure moistureSensitivityLevel dateCode receivedOn openedOn status reels { id carrierType quantity } } }`,
      { id: lot.id },
    );
    expect(answer.errors).toBeUndefined();
    const reels = await testbed.opcenter.listAll('reel', { filter: { materialLotId: String(lot.id) } });
    expect(answer.data!.materialLot).toEqual({
      id: lot.id,
      partNumber: lot.materialId,
      supplier: lot.supplier,
      manufacturer: lot.manufacturer,
      manufacturerPartNumber: lot.manufacturerPartNumber,
      quantity: lot.quantity,
      initialQuantity: lot.initialQuantity,
      unitOfMeasure: lot.unitOfMeasure,
      moistureSensitivityLevel: lot.moistureSensitivityLevel,
      dateCode: lot.dateCode,
      receivedOn: new Date(String(lot.receivedOn)).toISOString(),
      openedOn: new Date(String(lot.openedOn)).toISOString(),
      status: lot.status,
      reels: reels
        .map((reel) => ({ id: reel.id, carrierType: reel.carrierType, quantity: reel.quantity }))
        .sort((a, b) => String(a.id).localeCompare(String(b.id))),
    });
  });

  it('resolves a batch of MaterialLot representations with one Opcenter read', async () => {
    const ids = (await testbed.opcenter.list('materialLot', { select: ['id'], orderBy: 'id', top: 30 })).items.map((row) => String(row.id));
    const before = testbed.emulator.requestCounts.get('MaterialLot') ?? 0;
    const answer = await testbed.query<{ _entities: Array<{ id: string } | null> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialLot { id } } }`,
      { r: [...ids, 'NO-SUCH-LOT'].map((id) => ({ __typename: 'MaterialLot', id })) },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([...ids.map((id) => ({ id })), null]);
    expect((testbed.emulator.requestCounts.get('MaterialLot') ?? 0) - before).toBe(1);
  });

  it('pages through the lots of a part number to the end, each once', async () => {
    const expected = await testbed.opcenter.listAll('materialLot', { filter: { materialId: String(lot.materialId) }, select: ['id'] });
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer: GraphQLAnswer<LotPage> = await testbed.query<LotPage>(LOTS, { first: 2, after, filter: { partNumber: lot.materialId } });
      expect(answer.errors).toBeUndefined();
      const page = answer.data!.materialLots;
      expect(page.totalCount).toBe(expected.length);
      ids.push(...page.nodes.map((node) => String(node.id)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids.sort()).toEqual(expected.map((row) => String(row.id)).sort());
  });

  it('rejects a page size over 100 with BAD_USER_INPUT', async () => {
    const answer = await testbed.query(LOTS, { first: 101 });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
