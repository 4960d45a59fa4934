import type { OpcenterClient } from '../../../opcenter/client';
import { startSubgraphTestbed, type SubgraphTestbed, type GraphQLAnswer } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

interface Link {
  unitSerialNumber: string;
  consumedLotId: string | null;
  consumedSerialNumber: string | null;
  referenceDesignators: string[];
  operationId: string | null;
}
interface WhereUsedPage {
  materialLot: {
    whereUsed: { totalCount: number; nodes: Array<{ board: { serialNumber: string }; level: number; path: Link[] }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

const WHERE_USED = `
  query ($id: ID!, $first: Int, $after: String) {
    materialLot(id: $id) {
      whereUsed(first: $first, after: $after) {
        totalCount
        nodes { board { serialNumber } level path { unitSerialNumber consumedLotId consumedSerialNumber referenceDesignators operationId } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

/** The units containing a lot, found by walking MaterialConsumption without the subgraph. */
async function walkIndependently(opcenter: OpcenterClient, lotId: string): Promise<Map<string, number>> {
  const subAssemblyRows = await opcenter.listAll('consumption', { filter: { consumedSerialNumber: { ne: null } }, select: ['serialNumber', 'consumedSerialNumber'] });
  const parentsOf = new Map<string, string[]>();
  for (const row of subAssemblyRows) {
    const child = String(row.consumedSerialNumber);
    parentsOf.set(child, [...(parentsOf.get(child) ?? []), String(row.serialNumber)]);
  }
  const direct = await opcenter.listAll('consumption', { filter: { materialLotId: lotId }, select: ['serialNumber'] });
  const levels = new Map<string, number>(direct.map((row) => [String(row.serialNumber), 0]));
  let frontier = [...levels.keys()];
  for (let level = 1; frontier.length > 0; level++) {
    const next: string[] = [];
    for (const child of frontier) {
      for (const parent of parentsOf.get(child) ?? []) {
        if (levels.has(parent)) continue;
        levels.set(parent, level);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return levels;
}

describe('MaterialLot.whereUsed', () => {
  let testbed: SubgraphTestbed;
  let lotId: string;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('genealogy', buildSchema);
    const boxRow = (await testbed.opcenter.list('consumption', { filter: { consumedSerialNumber: { ne: null } }, top: 1 })).items[0]!;
    const boardRows = await testbed.opcenter.listAll('consumption', { filter: { serialNumber: String(boxRow.consumedSerialNumber), materialLotId: { ne: null } } });
    const sizes = await Promise.all(
      boardRows.slice(0, 15).map(async (row) => ({
        lotId: String(row.materialLotId),
        count: (await testbed.opcenter.list('consumption', { filter: { materialLotId: String(row.materialLotId) }, top: 0, count: true })).count ?? 0,
      })),
    );
    lotId = sizes.sort((a, b) => a.count - b.count)[0]!.lotId;
  });
  afterAll(() => testbed.close());

  async function whereUsedPages(first: number) {
    const nodes: NonNullable<WhereUsedPage['materialLot']>['whereUsed']['nodes'] = [];
    let after: string | null = null;
    for (;;) {
      const answer: GraphQLAnswer<WhereUsedPage> = await testbed.query<WhereUsedPage>(WHERE_USED, { id: lotId, first, after });
      expect(answer.errors).toBeUndefined();
      const page = answer.data!.materialLot!.whereUsed;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) {
        expect(nodes).toHaveLength(page.totalCount);
        return nodes;
      }
      after = page.pageInfo.endCursor;
    }
  }

  it('returns exactly the units found by walking the MaterialConsumption records directly, box builds included', async () => {
    const expected = await walkIndependently(testbed.opcenter, lotId);
    const nodes = await whereUsedPages(100);
    expect(new Map(nodes.map((node) => [node.board.serialNumber, node.level]))).toEqual(expected);
    expect(nodes).toHaveLength(expected.size);
    expect(nodes.some((node) => node.level > 0)).toBe(true);
  });

  it('links every unit to the lot through a path of consumption links', async () => {
    const nodes = await whereUsedPages(100);
    for (const node of nodes) {
      expect(node.path).toHaveLength(node.level + 1);
      expect(node.path[0]!.consumedLotId).toBe(lotId);
      for (let i = 1; i < node.path.length; i++) {
        expect(node.path[i]!.consumedSerialNumber).toBe(node.path[i - 1]!.unitSerialNumber);
      }
      expect(node.path.at(-1)!.unitSerialNumber).toBe(node.board.serialNumber);
    }
  });

  it('walks the genealogy level by level with batched reads, not one read per unit', async () => {
    const before = testbed.emulator.requestCounts.get('MaterialConsumption') ?? 0;
    const answer = await testbed.query<WhereUsedPage>(WHERE_USED, { id: lotId, first: 1 });
    const calls = (testbed.emulator.requestCounts.get('MaterialConsumption') ?? 0) - before;
    const units = answer.data!.materialLot!.whereUsed.totalCount;
    expect(units).toBeGreaterThan(50);
    // Three levels (lot, boards, box builds), the middle one split into URL-sized chunks.
    expect(calls).toBeLessThanOrEqual(6);
  });

  it('rejects a page size over 100 with BAD_USER_INPUT', async () => {
    const answer = await testbed.query<WhereUsedPage>(WHERE_USED, { id: lotId, first: 101 });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers null for a lot Opcenter does not have', async () => {
    const answer = await testbed.query<WhereUsedPage>(WHERE_USED, { id: 'NO-SUCH-LOT' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ materialLot: null });
  });
});
