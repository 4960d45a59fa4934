import { randomUUID } from 'node:crypto';
import {
  createOpcenterClient,
  OpcenterBadRequestError,
  OpcenterCommandFailedError,
  OpcenterNotFoundError,
  OpcenterUnauthorizedError,
  type OpcenterClient,
  type OpcenterClientOptions,
  type OpcenterFilter,
} from '../../opcenter/client';

type Row = Record<string, unknown>;

/** The work order fields the suite reads, in the client's logical names. */
interface Order extends Row {
  guid: string;
  id: string;
  status: string;
  lineId: string;
  finalMaterialId: string;
  plannedQuantity: number;
  plannedStartTime: string;
}

/** Where the contract suite runs: connection settings of an Opcenter (real or emulated). */
export interface ContractTarget {
  name: string;
  connection: () => Pick<OpcenterClientOptions, 'baseUrl' | 'clientId' | 'clientSecret' | 'username' | 'password'>;
}

const HOSTILE = [`O'Brien 10% "x"`, `') or true or ('`, `a&b=c#d?e/f+g`, `\u00e9\u00e8 \u2013 \u65e5\u672c`];

/**
 * The behaviour this project relies on from Opcenter's OData surface, checked through the one client.
 * Data-agnostic: it reads what the target holds and compares the server's answers with the same
 * predicate evaluated on the rows it read, so it can run against any Opcenter test instance.
 */
export function describeOpcenterContract(target: ContractTarget): void {
  describe(`Opcenter contract: ${target.name}`, () => {
    let client: OpcenterClient;
    let orders: Order[];

    beforeAll(async () => {
      client = createOpcenterClient(target.connection());
      orders = (await client.list<Order>('workOrder', { orderBy: 'id', top: 100 })).items;
      expect(orders.length).toBeGreaterThan(2);
    });

    describe('paging', () => {
      it('follows @odata.nextLink to the end: every row once, as many as $count says', async () => {
        const paged = createOpcenterClient({ ...target.connection(), pageSize: 37 });
        const first = await paged.list('board', { select: ['serialNumber'], orderBy: 'serialNumber', count: true });
        expect(first.nextLink).toBeDefined();
        const all = await paged.listAll<Row>('board', { select: ['serialNumber'], orderBy: 'serialNumber' });
        const serials = all.map((row) => row.serialNumber as string);
        expect(serials).toHaveLength(first.count ?? -1);
        expect(new Set(serials).size).toBe(serials.length);
        expect([...serials].sort()).toEqual(serials);
      });

      it('applies $top and $skip before paging', async () => {
        const window = await client.list('workOrder', { orderBy: 'id', skip: 1, top: 2 });
        expect(window.items.map((row) => row.id)).toEqual(orders.slice(1, 3).map((row) => row.id));
      });
    });

    describe('filters', () => {
      const byIds = (rows: Row[]) => rows.map((row) => row.id as string).sort();

      async function expectSameAsLocal(filter: OpcenterFilter, predicate: (row: Order) => boolean): Promise<void> {
        const ids = orders.map((row) => row.id as string);
        const served = await client.getMany<Order>('workOrder', 'id', ids, { filter });
        const expected = orders.filter(predicate);
        expect(byIds(served)).toEqual(byIds(expected));
      }

      it('eq, ne, gt, ge, lt and le compare like the rows say', async () => {
        const status = orders[0]!.status as string;
        const quantities = orders.map((row) => row.plannedQuantity as number).sort((a, b) => a - b);
        const median = quantities[Math.floor(quantities.length / 2)]!;
        await expectSameAsLocal({ status }, (r) => r.status === status);
        await expectSameAsLocal({ status: { ne: status } }, (r) => r.status !== status);
        await expectSameAsLocal({ plannedQuantity: { gt: median } }, (r) => (r.plannedQuantity as number) > median);
        await expectSameAsLocal({ plannedQuantity: { ge: median } }, (r) => (r.plannedQuantity as number) >= median);
        await expectSameAsLocal({ plannedQuantity: { lt: median } }, (r) => (r.plannedQuantity as number) < median);
        await expectSameAsLocal({ plannedQuantity: { le: median } }, (r) => (r.plannedQuantity as number) <= median);
      });

      it('and, or, not and in combine', async () => {
        const [a, b] = [orders[0]!, orders[1]!];
        await expectSameAsLocal({ and: [{ status: a.status }, { lineId: a.lineId }] }, (r) => r.status === a.status && r.lineId === a.lineId);
        await expectSameAsLocal({ or: [{ id: a.id }, { id: b.id }] }, (r) => r.id === a.id || r.id === b.id);
        await expectSameAsLocal({ not: { lineId: a.lineId } }, (r) => r.lineId !== a.lineId);
        await expectSameAsLocal({ finalMaterialId: { in: [a.finalMaterialId, b.finalMaterialId] } }, (r) =>
          [a.finalMaterialId, b.finalMaterialId].includes(r.finalMaterialId),
        );
      });

      it('contains, startswith and endswith match text', async () => {
        const id = orders[0]!.id as string;
        const [head, middle, tail] = [id.slice(0, 4), id.slice(2, 6), id.slice(-3)];
        await expectSameAsLocal({ id: { contains: middle } }, (r) => (r.id as string).includes(middle));
        await expectSameAsLocal({ id: { startswith: head } }, (r) => (r.id as string).startsWith(head));
        await expectSameAsLocal({ id: { endswith: tail } }, (r) => (r.id as string).endsWith(tail));
      });

      it('dates compare as instants', async () => {
        const times = orders.map((r) => Date.parse(r.plannedStartTime as string)).sort((x, y) => x - y);
        const middle = new Date(times[Math.floor(times.length / 2)]!);
        await expectSameAsLocal({ plannedStartTime: { ge: middle } }, (r) => Date.parse(r.plannedStartTime as string) >= middle.getTime());
      });

      it('follows a navigation path (WorkOrder/NId) and any() over a collection navigation', async () => {
        const order = orders[0]!;
        const orderId = order.id as string;
        const viaPath = await client.listAll<Row>('board', { filter: { workOrder: { id: orderId } }, select: ['serialNumber', 'workOrderId'] });
        const direct = await client.listAll<Row>('board', { filter: { workOrderId: orderId }, select: ['serialNumber', 'workOrderId'] });
        expect(viaPath.length).toBeGreaterThan(0);
        expect(viaPath.map((r) => r.serialNumber).sort()).toEqual(direct.map((r) => r.serialNumber).sort());

        const withOperations = await client.getMany<Row>('workOrder', 'id', orders.map((r) => r.id as string), {
          expand: { operations: { select: ['status'] } },
        });
        const served = await client.getMany<Row>('workOrder', 'id', orders.map((r) => r.id as string), {
          filter: { operations: { any: { status: 'Completed' } } },
        });
        const expected = withOperations.filter((r) => (r.operations as Row[]).some((op) => op.status === 'Completed'));
        expect(byIds(served)).toEqual(byIds(expected));
      });

      it('expands with nested options', async () => {
        const order = await client.getByNaturalKey<Row>('workOrder', orders[0]!.id as string, {
          select: ['id'],
          expand: { operations: { select: ['id', 'sequence'], orderBy: 'sequence desc', top: 2 } },
        });
        const operations = order?.operations as Row[];
        expect(operations.length).toBeLessThanOrEqual(2);
        expect(operations.map((op) => op.sequence)).toEqual([...operations.map((op) => op.sequence as number)].sort((x, y) => y - x));
      });
    });

    describe('escaping', () => {
      it.each(HOSTILE)('a value like %j travels as data, never as query syntax', async (value) => {
        const marker = randomUUID();
        await client.command('createNonConformance', { title: value, description: marker, severity: 'Minor' });
        const exact = await client.listAll<Row>('nonConformance', { filter: { title: value, description: marker } });
        expect(exact.map((r) => r.title)).toEqual([value]);
        const contained = await client.listAll<Row>('nonConformance', { filter: { title: { contains: value }, description: marker } });
        expect(contained).toHaveLength(1);
        const boards = await client.list('board', { filter: { serialNumber: value }, top: 5 });
        expect(boards.items).toHaveLength(0);
      });
    });

    describe('key in path', () => {
      it('reads one entity by its key and answers null (or NotFound) for an unknown key', async () => {
        const order = orders[0]!;
        const read = await client.get<Row>('workOrder', order.guid as string);
        expect(read?.id).toBe(order.id);
        expect(await client.get('workOrder', randomUUID())).toBeNull();
        await expect(client.getOrThrow('workOrder', randomUUID())).rejects.toBeInstanceOf(OpcenterNotFoundError);
      });
    });

    describe('batching', () => {
      it('reads many keys in a few requests that each stay under the URL limit', async () => {
        const serials = (await client.list<Row>('board', { select: ['serialNumber'], top: 300 })).items.map((r) => r.serialNumber as string);
        const urls: string[] = [];
        const small = createOpcenterClient({ ...target.connection(), maxUrlLength: 1500, onRequest: (r) => urls.push(r.url) });
        const rows = await small.getMany<Row>('board', 'serialNumber', serials, { select: ['serialNumber'] });
        expect(rows.map((r) => r.serialNumber).sort()).toEqual([...serials].sort());
        const dataCalls = urls.filter((url) => url.includes('/odata/'));
        expect(dataCalls.length).toBeGreaterThan(1);
        expect(dataCalls.length).toBeLessThan(serials.length / 10);
        for (const url of dataCalls) expect(url.length).toBeLessThanOrEqual(1500);
      });
    });

    describe('commands', () => {
      it('creates a nonconformance that reads back, and refuses an invalid status change with Opcenter’s reason', async () => {
        const board = (await client.list<Row>('board', { top: 1 })).items[0]!;
        const created = await client.command<Row>('createNonConformance', {
          title: 'Bridging risk on U7',
          description: 'drafted by the contract suite',
          severity: 'Major',
          source: 'AI',
          serialNumber: board.serialNumber,
          modelName: 'spi-defect-risk',
          modelVersion: '0.0.0-contract',
          confidence: 0.87,
        });
        const read = await client.getByNaturalKey<Row>('nonConformance', created.id as string);
        expect(read).toMatchObject({ status: 'PendingReview', serialNumber: board.serialNumber, confidence: 0.87 });
        const refused = client.command('setNonConformanceStatus', { id: created.id, status: 'Closed' });
        await expect(refused).rejects.toBeInstanceOf(OpcenterCommandFailedError);
        await expect(refused).rejects.toMatchObject({ opcenterMessage: expect.stringMatching(/PendingReview/) });
      });

      it('appends an audit trail entry under the authenticated user', async () => {
        const correlationId = randomUUID();
        await client.command('addAuditTrailEntry', {
          action: 'InferenceRecorded',
          subjectType: 'MaterialTrackingUnit',
          subjectId: 'SN-CONTRACT',
          modelName: 'spi-defect-risk',
          modelVersion: '0.0.0-contract',
          confidence: 0.5,
          correlationId,
        });
        const entries = await client.listAll<Row>('auditTrailEntry', { filter: { correlationId } });
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ actor: target.connection().username, action: 'InferenceRecorded' });
      });
    });

    describe('errors', () => {
      it('turns a 400 into OpcenterBadRequestError carrying Opcenter’s message', async () => {
        const attempt = client.list('workOrder', { filter: { noSuchProperty: 1 } });
        await expect(attempt).rejects.toBeInstanceOf(OpcenterBadRequestError);
        await expect(attempt).rejects.toMatchObject({ status: 400, opcenterMessage: expect.stringMatching(/noSuchProperty/) });
      });

      it('turns wrong credentials into OpcenterUnauthorizedError without leaking them', async () => {
        const wrong = createOpcenterClient({ ...target.connection(), password: 'definitely-wrong-password' });
        const attempt = wrong.list('workOrder', { top: 1 });
        await expect(attempt).rejects.toBeInstanceOf(OpcenterUnauthorizedError);
        await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('definitely-wrong-password') });
      });
    });
  });
}
