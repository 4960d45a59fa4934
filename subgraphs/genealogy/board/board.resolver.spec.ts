import { startSubgraphTestbed, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

type Row = Record<string, unknown>;

interface AsBuiltAnswer {
  serialNumber: string;
  asBuilt: {
    components: Array<Row & { lot: Row | null }>;
    consumedUnits: Array<{ board: { serialNumber: string }; referenceDesignators: string[] }>;
  };
}

const AS_BUILT = `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Board {
        serialNumber
        asBuilt {
          components { referenceDesignator partNumber lotId reelId operationId machineId feederSlot nozzleId lot { id partNumber } }
          consumedUnits { board { serialNumber } referenceDesignators }
        }
      }
    }
  }`;

describe('Board.asBuilt', () => {
  let testbed: SubgraphTestbed;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('genealogy', buildSchema);
  });
  afterAll(() => testbed.close());

  it('lists the distinct lots a board consumed, as its consumption records name them, in one batched read for many boards', async () => {
    const boards = (await testbed.opcenter.list('board', { filter: { unitType: 'Board', status: 'Completed' }, top: 30 })).items;
    const before = testbed.emulator.requestCounts.get('MaterialConsumption') ?? 0;
    const answer = await testbed.query<{ _entities: Array<{ serialNumber: string; materialLots: Array<{ id: string }> }> }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Board { serialNumber materialLots { id } } } }',
      { r: boards.map((board) => ({ __typename: 'Board', serialNumber: board.serialNumber })) },
    );
    expect(answer.errors).toBeUndefined();
    expect((testbed.emulator.requestCounts.get('MaterialConsumption') ?? 0) - before).toBeLessThanOrEqual(2);
    const first = answer.data!._entities[0]!;
    const consumptions = await testbed.opcenter.listAll('consumption', { filter: { serialNumber: first.serialNumber } });
    const expected = [...new Set(consumptions.map((row) => row.materialLotId).filter(Boolean))].sort();
    expect(first.materialLots.map((lot) => lot.id).sort()).toEqual(expected);
  });

  it("lists per reference designator the lot, reel, part and placement machine, feeder slot and nozzle of Opcenter's records", async () => {
    const serial = String((await testbed.opcenter.list('board', { filter: { unitType: 'Board', status: 'Completed' }, top: 1 })).items[0]!.serialNumber);
    const answer = await testbed.query<{ _entities: AsBuiltAnswer[] }>(AS_BUILT, { r: [{ __typename: 'Board', serialNumber: serial }] });
    expect(answer.errors).toBeUndefined();
    const { components, consumedUnits } = answer.data!._entities[0]!.asBuilt;
    expect(consumedUnits).toEqual([]);

    const placements = await testbed.opcenter.listAll('placement', { filter: { serialNumber: serial } });
    expect(placements.length).toBeGreaterThan(0);
    for (const placement of placements) {
      const component = components.find((candidate) => candidate.referenceDesignator === placement.referenceDesignator);
      expect(component).toMatchObject({
        partNumber: placement.materialId,
        lotId: placement.materialLotId,
        reelId: placement.reelId,
        machineId: placement.equipmentId,
        feederSlot: placement.feederSlot,
        nozzleId: placement.nozzleId,
        lot: { id: placement.materialLotId, partNumber: placement.materialId },
      });
    }
    const consumptions = await testbed.opcenter.listAll('consumption', { filter: { serialNumber: serial } });
    const designators = consumptions.flatMap((row) => String(row.referenceDesignators ?? '').split(',').filter(Boolean));
    const unplaced = consumptions.filter((row) => !row.referenceDesignators);
    expect(components).toHaveLength(designators.length + unplaced.length);
  });

  it('lists the boards a box build consumed', async () => {
    const rows = await testbed.opcenter.listAll('consumption', { filter: { consumedSerialNumber: { ne: null } }, select: ['serialNumber', 'consumedSerialNumber'] });
    const boxBuild = String(rows[0]!.serialNumber);
    const expected = rows.filter((row) => row.serialNumber === boxBuild).map((row) => String(row.consumedSerialNumber));
    const answer = await testbed.query<{ _entities: AsBuiltAnswer[] }>(AS_BUILT, { r: [{ __typename: 'Board', serialNumber: boxBuild }] });
    expect(answer.errors).toBeUndefined();
    const consumed = answer.data!._entities[0]!.asBuilt.consumedUnits.map((unit) => unit.board.serialNumber);
    expect(consumed.sort()).toEqual(expected.sort());
  });

  it('reads the as-built of 20 boards with a bounded number of OData calls', async () => {
    const serials = (await testbed.opcenter.list('board', { filter: { unitType: 'Board' }, select: ['serialNumber'], top: 20 })).items.map((row) => String(row.serialNumber));
    const count = (set: string) => testbed.emulator.requestCounts.get(set) ?? 0;
    const before = { placement: count('PlacementRecord'), consumption: count('MaterialConsumption'), lot: count('MaterialLot') };
    const answer = await testbed.query<{ _entities: AsBuiltAnswer[] }>(AS_BUILT, { r: serials.map((serialNumber) => ({ __typename: 'Board', serialNumber })) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities.every((board) => board.asBuilt.components.length > 0)).toBe(true);
    // Placement and consumption answers run to several 1,000-row pages for 20 boards; still no read per board.
    expect(count('PlacementRecord') - before.placement).toBeLessThan(10);
    expect(count('MaterialConsumption') - before.consumption).toBeLessThan(10);
    expect(count('MaterialLot') - before.lot).toBeLessThanOrEqual(2);
  });
});
