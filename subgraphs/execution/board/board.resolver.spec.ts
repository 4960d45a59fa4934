import type { Emulator } from '../../../opcenter/emulator/emulator';
import { startTestEmulator } from '../../../test/support/test-emulator';
import { buildSchema } from '../schema';
import { serveSubgraphForTest, type SubgraphUnderTest } from '../../../test/support/graphql-test-client';

type BoardReply = { serialNumber: string; status: string; productionOrderId: string; productionOrder: { id: string; customer: string } | null };

describe('execution subgraph: boards', () => {
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

  it('returns a board with the fields of its Opcenter unit and its production order', async () => {
    const unit = (await subgraph.opcenter.getByNaturalKey('board', 'GWM261118000001'))!;
    const reply = await subgraph.query<{ board: Record<string, unknown> }>(`{
      board(serialNumber: "GWM261118000001") {
        serialNumber unitType productId productRevision status isOnHold holdReason createdOn completedOn panelId
        productionOrder { id productId }
        line { id }
      }
    }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.board).toEqual({
      serialNumber: 'GWM261118000001',
      unitType: unit.unitType,
      productId: unit.materialId,
      productRevision: unit.materialRevision,
      status: unit.status,
      isOnHold: unit.isOnHold,
      holdReason: unit.holdReason,
      createdOn: new Date(unit.createdOn as string).toISOString(),
      completedOn: new Date(unit.completedOn as string).toISOString(),
      panelId: unit.panelId,
      productionOrder: { id: unit.workOrderId, productId: unit.materialId },
      line: { id: unit.lineId },
    });
  });

  it('resolves 50 Board representations and their orders with one Opcenter call per entity set', async () => {
    const units = (await subgraph.opcenter.list('board', { select: ['serialNumber', 'workOrderId'], orderBy: 'serialNumber', skip: 100, top: 50 })).items;
    const before = new Map(emulator.requestCounts);
    const reply = await subgraph.query<{ _entities: BoardReply[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Board { serialNumber status productionOrderId productionOrder { id customer } } }
      }`,
      { representations: units.map((unit) => ({ __typename: 'Board', serialNumber: unit.serialNumber })) },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data?._entities.map((board) => board.serialNumber)).toEqual(units.map((unit) => unit.serialNumber));
    expect(reply.data?._entities.map((board) => board.productionOrder?.id)).toEqual(units.map((unit) => unit.workOrderId));
    const calls = (set: string) => (emulator.requestCounts.get(set) ?? 0) - (before.get(set) ?? 0);
    expect(calls('MaterialTrackingUnit')).toBeLessThanOrEqual(2); // getMany splits only to keep URLs short
    expect(calls('WorkOrder')).toBe(1);
  });

  it.each([
    ['directly', `{ board(serialNumber: "GWM261118000003") { serialNumber productionOrder { id status customer targetYield } } }`],
    [
      'through a fragment spread',
      `query { board(serialNumber: "GWM261118000003") { ...withOrder } } fragment withOrder on Board { serialNumber productionOrder { id status customer targetYield } }`,
    ],
  ])('reads a board and the production order selected %s in one Opcenter call', async (_how, query) => {
    const unit = (await subgraph.opcenter.getByNaturalKey('board', 'GWM261118000003'))!;
    const order = (await subgraph.opcenter.getByNaturalKey('workOrder', String(unit.workOrderId)))!;
    const before = new Map(emulator.requestCounts);
    const reply = await subgraph.query<{ board: { serialNumber: string; productionOrder: Record<string, unknown> } }>(query);
    expect(reply.errors).toBeUndefined();
    expect(reply.data?.board).toEqual({
      serialNumber: 'GWM261118000003',
      productionOrder: { id: order.id, status: order.status, customer: order.customer, targetYield: order.targetYield },
    });
    const calls = (set: string) => (emulator.requestCounts.get(set) ?? 0) - (before.get(set) ?? 0);
    expect(calls('MaterialTrackingUnit')).toBe(1);
    expect(calls('WorkOrder')).toBe(0);
  });

  it('reads no work order for a board query that does not ask for its production order', async () => {
    const before = new Map(emulator.requestCounts);
    const reply = await subgraph.query<{ board: { productId: string } }>(`{ board(serialNumber: "GWM261118000004") { productId } }`);
    expect(reply.errors).toBeUndefined();
    expect(emulator.requestCounts.get('WorkOrder') ?? 0).toBe(before.get('WorkOrder') ?? 0);
  });

  it('refuses a request without the gateway’s identity with 401 UNAUTHENTICATED', async () => {
    const reply = await subgraph.query(`{ board(serialNumber: "GWM261118000001") { status } }`, {}, {});
    expect(reply.status).toBe(401);
    expect(reply.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('reports an Opcenter outage as UPSTREAM_UNAVAILABLE on the fields it hit, without internal URLs', async () => {
    const fragile = await serveSubgraphForTest(await buildSchema(), emulator.url, { retries: 0, timeoutMs: 1000 });
    try {
      await fragile.query(`{ board(serialNumber: "GWM261118000001") { status } }`); // token fetched while Opcenter is up
      emulator.faults.set({ status: 503 });
      const reply = await fragile.query<{ board: unknown; productionOrder: unknown }>(`{
        board(serialNumber: "GWM261118000002") { status }
        productionOrder(id: "WO0026001") { id }
      }`);
      expect(reply.status).toBe(200);
      expect(reply.data).toEqual({ board: null, productionOrder: null });
      expect(reply.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      const text = JSON.stringify(reply.errors);
      expect(text).not.toContain(emulator.url);
      expect(text).not.toMatch(/sit-svc|127\.0\.0\.1|stack/i);
    } finally {
      emulator.faults.clear();
      await fragile.close();
    }
  });
});
