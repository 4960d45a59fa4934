import { startSubgraphTestbed, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

type Row = Record<string, unknown>;

const ENTITIES = `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Board {
        serialNumber
        spiInspections { id inspectedOn machineId lineId stencilId printsSinceWipe squeegeeDirection shift result padCount failedPadCount }
        aoiInspections { id machineId result componentCount defectCallCount confirmedDefectCount components(onlyCalls: true) { referenceDesignator result defectCode reviewVerdict } }
        nonconformances { id }
      }
    }
  }`;

interface BoardAnswer {
  serialNumber: string;
  spiInspections: Row[];
  aoiInspections: Array<Row & { components: Row[] }>;
  nonconformances: Row[];
}

describe('Board in the quality subgraph', () => {
  let testbed: SubgraphTestbed;
  let serials: string[];

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('quality', buildSchema);
    const page = await testbed.opcenter.list('spiInspection', { select: ['serialNumber'], orderBy: 'inspectedOn', top: 50 });
    serials = page.items.map((row) => String(row.serialNumber));
  });
  afterAll(() => testbed.close());

  const representations = (list: string[]) => list.map((serialNumber) => ({ __typename: 'Board', serialNumber }));

  it('resolves a batch of Board representations with the inspections Opcenter records for each board', async () => {
    const some = serials.slice(0, 5);
    const answer = await testbed.query<{ _entities: BoardAnswer[] }>(ENTITIES, { representations: representations(some) });
    expect(answer.errors).toBeUndefined();
    const boards = answer.data!._entities;
    expect(boards.map((board) => board.serialNumber)).toEqual(some);

    for (const board of boards) {
      const spi = await testbed.opcenter.listAll('spiInspection', { filter: { serialNumber: board.serialNumber } });
      expect(board.spiInspections.map((inspection) => inspection.id).sort()).toEqual(spi.map((row) => row.id).sort());
      for (const inspection of board.spiInspections) {
        const row = spi.find((candidate) => candidate.id === inspection.id)!;
        expect(inspection).toEqual({
          id: row.id,
          inspectedOn: new Date(String(row.inspectedOn)).toISOString(),
          machineId: row.equipmentId,
          lineId: row.lineId,
          stencilId: row.stencilId,
          printsSinceWipe: row.printsSinceWipe,
          squeegeeDirection: row.squeegeeDirection,
          shift: row.shift,
          result: row.result,
          padCount: row.padCount,
          failedPadCount: row.failedPadCount,
        });
      }

      const aoi = await testbed.opcenter.listAll('aoiInspection', { filter: { serialNumber: board.serialNumber } });
      expect(board.aoiInspections.map((inspection) => inspection.id).sort()).toEqual(aoi.map((row) => row.id).sort());
      for (const inspection of board.aoiInspections) {
        const row = aoi.find((candidate) => candidate.id === inspection.id)!;
        expect(inspection).toMatchObject({ machineId: row.equipmentId, result: row.result, componentCount: row.componentCount });
        const calls = await testbed.opcenter.listAll('aoiComponent', { filter: { aoiInspectionGuid: String(row.guid), result: 'Fail' } });
        expect(inspection.components).toHaveLength(calls.length);
        expect(inspection.components.length).toBe(row.defectCallCount);
      }
      expect(board.nonconformances).toEqual([]);
    }
  });

  it('reads the SPI inspections of 50 boards with a bounded number of OData calls', async () => {
    expect(serials).toHaveLength(50);
    const before = testbed.emulator.requestCounts.get('SpiInspection') ?? 0;
    const answer = await testbed.query<{ _entities: BoardAnswer[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Board { serialNumber spiInspections { id result } } } }`,
      { representations: representations(serials) },
    );
    const calls = (testbed.emulator.requestCounts.get('SpiInspection') ?? 0) - before;
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities.every((board) => board.spiInspections.length > 0)).toBe(true);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('returns an empty list for a board Opcenter has no inspections of', async () => {
    const answer = await testbed.query<{ _entities: BoardAnswer[] }>(ENTITIES, { representations: representations(['NO-SUCH-SERIAL']) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([{ serialNumber: 'NO-SUCH-SERIAL', spiInspections: [], aoiInspections: [], nonconformances: [] }]);
  });
});
