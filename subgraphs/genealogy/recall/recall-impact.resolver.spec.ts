import { startSubgraphTestbed, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

interface ImpactAnswer {
  recallImpact: {
    lotIds: string[];
    totalBoards: number;
    boxBuildsAffected: number;
    boardsByStatus: Array<{ status: string; count: number }>;
    productionOrders: Array<{ productionOrder: { id: string }; boardCount: number; boxBuildCount: number }>;
  };
}

const IMPACT = `
  query ($lotIds: [ID!]!) {
    recallImpact(lotIds: $lotIds) {
      lotIds totalBoards boxBuildsAffected
      boardsByStatus { status count }
      productionOrders { productionOrder { id } boardCount boxBuildCount }
    }
  }`;

describe('Query.recallImpact', () => {
  let testbed: SubgraphTestbed;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('genealogy', buildSchema);
  });
  afterAll(() => testbed.close());

  it('counts the affected boards by status, the box builds and the orders, as the MaterialConsumption records give them', async () => {
    const boxRow = (await testbed.opcenter.list('consumption', { filter: { consumedSerialNumber: { ne: null } }, top: 1 })).items[0]!;
    const lotRows = await testbed.opcenter.listAll('consumption', { filter: { serialNumber: String(boxRow.consumedSerialNumber), materialLotId: { ne: null } } });
    const lotIds = [...new Set(lotRows.slice(0, 3).map((row) => String(row.materialLotId)))];

    const direct = await testbed.opcenter.listAll('consumption', { filter: { materialLotId: { in: lotIds } }, select: ['serialNumber'] });
    const boards = new Set(direct.map((row) => String(row.serialNumber)));
    const parents = await testbed.opcenter.listAll('consumption', { filter: { consumedSerialNumber: { ne: null } }, select: ['serialNumber', 'consumedSerialNumber'] });
    const boxBuilds = new Set(parents.filter((row) => boards.has(String(row.consumedSerialNumber))).map((row) => String(row.serialNumber)));
    const units = await testbed.opcenter.getMany('board', 'serialNumber', [...boards, ...boxBuilds], { select: ['serialNumber', 'status', 'unitType', 'workOrderId'] });
    const statuses: Record<string, number> = {};
    const orders: Record<string, number> = {};
    for (const unit of units) {
      orders[String(unit.workOrderId)] = (orders[String(unit.workOrderId)] ?? 0) + 1;
      if (unit.unitType === 'Board') statuses[String(unit.status)] = (statuses[String(unit.status)] ?? 0) + 1;
    }

    const answer = await testbed.query<ImpactAnswer>(IMPACT, { lotIds });
    expect(answer.errors).toBeUndefined();
    const impact = answer.data!.recallImpact;
    expect(impact.lotIds).toEqual(lotIds);
    expect(impact.totalBoards).toBe(boards.size);
    expect(impact.boxBuildsAffected).toBe(boxBuilds.size);
    expect(impact.boxBuildsAffected).toBeGreaterThan(0);
    expect(Object.fromEntries(impact.boardsByStatus.map((entry) => [entry.status, entry.count]))).toEqual(statuses);
    expect(Object.fromEntries(impact.productionOrders.map((entry) => [entry.productionOrder.id, entry.boardCount + entry.boxBuildCount]))).toEqual(orders);
  });

  it('rejects more than 50 lots with BAD_USER_INPUT', async () => {
    const answer = await testbed.query<ImpactAnswer>(IMPACT, { lotIds: Array.from({ length: 51 }, (_, i) => `LOT-${i}`) });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.data).toEqual({ recallImpact: null });
  });

  it('answers zero impact for lots nothing consumed', async () => {
    const answer = await testbed.query<ImpactAnswer>(IMPACT, { lotIds: ['NO-SUCH-LOT'] });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.recallImpact).toEqual({ lotIds: ['NO-SUCH-LOT'], totalBoards: 0, boxBuildsAffected: 0, boardsByStatus: [], productionOrders: [] });
  });
});
