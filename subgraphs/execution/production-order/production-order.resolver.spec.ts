import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

interface OrderPage {
  productionOrders: {
    nodes: Array<{ id: string; status: string; lineId: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  } | null;
}

const ORDERS = `query ($first: Int, $after: String, $filter: ProductionOrderFilter) {
  productionOrders(first: $first, after: $after, filter: $filter) {
    nodes { id status lineId }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

describe('execution subgraph: production orders', () => {
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

  it('returns an order with the fields of its Opcenter work order, its line, operations and BOM', async () => {
    const [order] = await subgraph.opcenter.listAll('workOrder', { filter: { id: 'WO0026001' } });
    const operations = await subgraph.opcenter.listAll('workOrderOperation', { filter: { workOrderId: 'WO0026001' }, orderBy: 'sequence' });
    const [bom] = await subgraph.opcenter.listAll('billOfMaterials', { filter: { materialId: order!.finalMaterialId as string, materialRevision: order!.finalMaterialRevision as string } });
    const bomItems = await subgraph.opcenter.listAll('billOfMaterialsItem', { filter: { billOfMaterialsId: bom!.id as string }, orderBy: 'sequence' });

    const reply = await subgraph.query<{ productionOrder: Record<string, unknown> & { line: { id: string; level: string }; operations: Array<Record<string, unknown>>; bom: Array<Record<string, unknown>> } }>(`{
      productionOrder(id: "WO0026001") {
        id status productId productRevision plannedQuantity producedQuantity scrappedQuantity targetYield priority customer
        plannedStart actualEnd dueDate
        line { id level name }
        operations { id name sequence status workCenterId workCenter { id level } processedQuantity actualStart }
        bom { sequence componentId quantity referenceDesignators placementSide packageType description }
      }
    }`);

    expect(reply.errors).toBeUndefined();
    const result = reply.data!.productionOrder;
    expect(result).toMatchObject({
      id: 'WO0026001',
      status: order!.status,
      productId: order!.finalMaterialId,
      productRevision: order!.finalMaterialRevision,
      plannedQuantity: order!.plannedQuantity,
      producedQuantity: order!.producedQuantity,
      scrappedQuantity: order!.scrappedQuantity,
      targetYield: order!.targetYield,
      priority: order!.priority,
      customer: order!.customer,
      plannedStart: new Date(order!.plannedStartTime as string).toISOString(),
      actualEnd: new Date(order!.actualEndTime as string).toISOString(),
      line: { id: order!.lineId, level: 'Line' },
    });
    expect(result.operations.map((operation) => operation.id)).toEqual(operations.map((operation) => operation.id));
    expect(result.operations[0]).toMatchObject({ workCenterId: operations[0]!.workCenterId, workCenter: { id: operations[0]!.workCenterId, level: 'WorkCenter' } });
    expect(result.bom).toHaveLength(bomItems.length);
    const placed = result.bom.find((item) => (item.referenceDesignators as string[]).length > 1)!;
    const source = bomItems.find((item) => item.sequence === placed.sequence)!;
    expect(placed.referenceDesignators).toEqual(String(source.referenceDesignators).split(','));
    expect(placed.packageType).toEqual(expect.any(String));
  });

  it('returns null for an order Opcenter does not have', async () => {
    const reply = await subgraph.query(`{ productionOrder(id: "WO-NOPE") { id } }`);
    expect(reply).toMatchObject({ status: 200, data: { productionOrder: null } });
    expect(reply.errors).toBeUndefined();
  });

  it('filters orders in Opcenter and counts them', async () => {
    const expected = await subgraph.opcenter.listAll('workOrder', { filter: { status: 'Completed', lineId: 'L1' } });
    const reply = await subgraph.query<OrderPage>(ORDERS, { first: 100, filter: { status: 'Completed', lineId: 'L1' } });
    expect(reply.data?.productionOrders?.totalCount).toBe(expected.length);
    expect(reply.data?.productionOrders?.nodes.map((order) => order.id).sort()).toEqual(expected.map((order) => order.id).sort());
    expect(reply.data?.productionOrders?.nodes.every((order) => order.status === 'Completed' && order.lineId === 'L1')).toBe(true);
  });

  it('pages through every order with first and after, latest planned start first', async () => {
    const expected = await subgraph.opcenter.listAll('workOrder', { select: ['id'], orderBy: ['plannedStartTime desc', 'id'] });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const reply: Awaited<ReturnType<typeof subgraph.query<OrderPage>>> = await subgraph.query<OrderPage>(ORDERS, { first: 5, after });
      const connection = reply.data!.productionOrders!;
      seen.push(...connection.nodes.map((order) => order.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((order) => order.id));
  });

  it('rejects a page larger than 100 with BAD_USER_INPUT', async () => {
    const reply = await subgraph.query(ORDERS, { first: 101 });
    expect(reply.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const boards = await subgraph.query(`{ productionOrder(id: "WO0026001") { boards(first: 500) { totalCount } } }`);
    expect(boards.errors?.[0]).toMatchObject({ path: ['productionOrder', 'boards'], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('pages an order’s boards to the end, filtered by status', async () => {
    const expected = await subgraph.opcenter.listAll('board', { filter: { workOrderId: 'WO0026001', status: 'Consumed' }, select: ['serialNumber'], orderBy: 'serialNumber' });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      type Boards = { productionOrder: { boards: { nodes: Array<{ serialNumber: string; status: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
      const reply: Awaited<ReturnType<typeof subgraph.query<Boards>>> = await subgraph.query<Boards>(
        `query ($after: String) { productionOrder(id: "WO0026001") { boards(first: 25, after: $after, status: "Consumed") { nodes { serialNumber status } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
      const { nodes, pageInfo } = reply.data!.productionOrder.boards;
      expect(nodes.every((board) => board.status === 'Consumed')).toBe(true);
      seen.push(...nodes.map((board) => board.serialNumber));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(expected.length).toBeGreaterThan(25);
    expect(seen).toEqual(expected.map((board) => board.serialNumber));
  });

  it('reads the boards, lines and operations of many orders in one Opcenter call each', async () => {
    const before = new Map(emulator.requestCounts);
    const reply = await subgraph.query<OrderPage>(`{
      productionOrders(first: 18) { nodes { id line { id } operations { id workCenter { id } } boards(first: 3) { nodes { serialNumber } } } }
    }`);
    expect(reply.errors).toBeUndefined();
    const calls = (set: string) => (emulator.requestCounts.get(set) ?? 0) - (before.get(set) ?? 0);
    expect(calls('WorkOrder')).toBe(2); // the page, then every order's boards
    expect(calls('WorkOrderOperation')).toBe(1);
    expect(calls('Equipment')).toBeLessThanOrEqual(2); // lines and work centers come in two waves
  });

  it('resolves a batch of ProductionOrder representations in one Opcenter call', async () => {
    const ids = ['WO0026001', 'WO0026002', 'WO0026003', 'WO0026013', 'WO-NOPE'];
    const before = emulator.requestCounts.get('WorkOrder') ?? 0;
    const reply = await subgraph.query<{ _entities: Array<{ id: string; status: string } | null> }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ProductionOrder { id status } } }`,
      { representations: ids.map((id) => ({ __typename: 'ProductionOrder', id })) },
    );
    expect(reply.data?._entities.map((order) => order?.id ?? null)).toEqual([...ids.slice(0, 4), null]);
    expect((emulator.requestCounts.get('WorkOrder') ?? 0) - before).toBe(1);
  });
});
