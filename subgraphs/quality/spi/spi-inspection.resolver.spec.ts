import { startSubgraphTestbed, type GraphQLAnswer, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

type Row = Record<string, unknown>;

interface PadPage {
  spiInspection: {
    pads: { totalCount: number; nodes: Row[]; edges: Array<{ cursor: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

const PADS = `
  query ($id: ID!, $first: Int, $after: String, $filter: SpiPadFilter) {
    spiInspection(id: $id) {
      pads(first: $first, after: $after, filter: $filter) {
        totalCount
        nodes { padId referenceDesignator pinNumber packageType padShape padSizeXUm padSizeYUm pitchUm apertureAreaRatio volumePct areaPct heightUm offsetXUm offsetYUm result }
        edges { cursor }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

describe('SpiInspection', () => {
  let testbed: SubgraphTestbed;
  let failing: Row;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('quality', buildSchema);
    const page = await testbed.opcenter.list('spiInspection', { filter: { result: 'Fail' }, orderBy: 'inspectedOn', top: 1 });
    failing = page.items[0]!;
  });
  afterAll(() => testbed.close());

  async function allPads(filter: Record<string, unknown> | undefined, first: number): Promise<Row[]> {
    const pads: Row[] = [];
    let after: string | null = null;
    for (let pageCount = 0; pageCount < 1000; pageCount++) {
      const answer: GraphQLAnswer<PadPage> = await testbed.query<PadPage>(PADS, { id: failing.id, first, after, filter });
      expect(answer.errors).toBeUndefined();
      const page = answer.data!.spiInspection.pads;
      pads.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) {
        expect(pads).toHaveLength(page.totalCount);
        return pads;
      }
      after = page.pageInfo.endCursor;
    }
    throw new Error('the pads never ended');
  }

  it('answers an inspection by id with the fields Opcenter records', async () => {
    const answer = await testbed.query<{ spiInspection: Row }>(
      `query ($id: ID!) { spiInspection(id: $id) { id machineId stencilId result padCount failedPadCount board { serialNumber } } }`,
      { id: failing.id },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.spiInspection).toEqual({
      id: failing.id,
      machineId: failing.equipmentId,
      stencilId: failing.stencilId,
      result: 'Fail',
      padCount: failing.padCount,
      failedPadCount: failing.failedPadCount,
      board: { serialNumber: failing.serialNumber },
    });
  });

  it('answers null for an inspection Opcenter does not have', async () => {
    const answer = await testbed.query(`{ spiInspection(id: "SPI-NONE") { id } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ spiInspection: null });
  });

  it('returns exactly the failed pads when onlyOutOfSpec is set', async () => {
    const expected = await testbed.opcenter.listAll('spiPad', { filter: { spiInspectionGuid: String(failing.guid) } });
    const failed = expected.filter((pad) => pad.result === 'Fail');
    expect(failed.length).toBeGreaterThan(0);
    const pads = await allPads({ onlyOutOfSpec: true }, 100);
    expect(pads.map((pad) => pad.padId).sort()).toEqual(failed.map((pad) => String(pad.padId)).sort());
    expect(pads.every((pad) => pad.result === 'Fail')).toBe(true);
    expect(failed).toHaveLength(Number(failing.failedPadCount));
  });

  it('pages through every pad of an inspection to the end, each once, as Opcenter measured them', async () => {
    const expected = await testbed.opcenter.listAll('spiPad', { filter: { spiInspectionGuid: String(failing.guid) } });
    const pads = await allPads(undefined, 100);
    expect(pads).toHaveLength(expected.length);
    expect(new Set(pads.map((pad) => pad.padId)).size).toBe(expected.length);
    const sample = pads[7]!;
    const row = expected.find((pad) => pad.padId === sample.padId)!;
    expect(sample).toEqual({
      padId: row.padId,
      referenceDesignator: row.referenceDesignator,
      pinNumber: row.pinNumber,
      packageType: row.packageType,
      padShape: row.padShape,
      padSizeXUm: row.padSizeXUm,
      padSizeYUm: row.padSizeYUm,
      pitchUm: row.pitchUm,
      apertureAreaRatio: row.apertureAreaRatio,
      volumePct: row.volumePct,
      areaPct: row.areaPct,
      heightUm: row.heightUm,
      offsetXUm: row.offsetXUm,
      offsetYUm: row.offsetYUm,
      result: row.result,
    });
  });

  it('narrows pads by reference designator and package type', async () => {
    const expected = await testbed.opcenter.listAll('spiPad', { filter: { spiInspectionGuid: String(failing.guid) } });
    const first = expected[0]!;
    const byDesignator = await allPads({ referenceDesignator: first.referenceDesignator }, 50);
    expect(byDesignator.length).toBe(expected.filter((pad) => pad.referenceDesignator === first.referenceDesignator).length);
    const byPackage = await allPads({ packageType: first.packageType }, 100);
    expect(byPackage.length).toBe(expected.filter((pad) => pad.packageType === first.packageType).length);
  });

  it('rejects a page size over 100 with BAD_USER_INPUT', async () => {
    const answer = await testbed.query<PadPage>(PADS, { id: failing.id, first: 101 });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.data?.spiInspection).toEqual({ pads: null });
  });
});
