import { startSubgraphTestbed, type SubgraphTestbed } from '../../../test/support/subgraph-testbed';
import { buildSchema } from '../schema';

describe('ProductionOrder.spiSummary', () => {
  let testbed: SubgraphTestbed;

  beforeAll(async () => {
    testbed = await startSubgraphTestbed('quality', buildSchema);
  });
  afterAll(() => testbed.close());

  it("counts the inspected and failed boards of each order from the order's SPI inspections, in one batched read", async () => {
    const orders = (await testbed.opcenter.list('workOrder', { select: ['id'], orderBy: 'id', top: 6 })).items.map((row) => String(row.id));
    const before = testbed.emulator.requestCounts.get('SpiInspection') ?? 0;
    const answer = await testbed.query<{ _entities: Array<{ id: string; spiSummary: { inspectedBoards: number; failedBoards: number; failRate: number } }> }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ProductionOrder { id spiSummary { inspectedBoards failedBoards failRate } } } }`,
      { r: orders.map((id) => ({ __typename: 'ProductionOrder', id })) },
    );
    expect(answer.errors).toBeUndefined();
    const calls = (testbed.emulator.requestCounts.get('SpiInspection') ?? 0) - before;

    let sawFailures = false;
    let rowCount = 0;
    for (const order of answer.data!._entities) {
      const rows = await testbed.opcenter.listAll('spiInspection', { filter: { workOrderId: order.id } });
      const inspected = new Set(rows.map((row) => row.serialNumber));
      const failed = new Set(rows.filter((row) => row.result === 'Fail').map((row) => row.serialNumber));
      expect(order.spiSummary).toEqual({
        inspectedBoards: inspected.size,
        failedBoards: failed.size,
        failRate: inspected.size === 0 ? 0 : failed.size / inspected.size,
      });
      sawFailures ||= failed.size > 0;
      rowCount += rows.length;
    }
    // One getMany for all orders; the emulator pages its answer at 1,000 rows.
    expect(calls).toBe(Math.ceil(rowCount / 1000));
    expect(sawFailures).toBe(true);
  });
});
