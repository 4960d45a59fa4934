import { OpcenterInvalidQueryError, OpcenterNotFoundError, OpcenterUnavailableError } from './errors';
import { startFakeOpcenter, type FakeOpcenter, type FakeReply, type FakeRequest } from './fake-opcenter';
import type { OpcenterRequestInfo } from './http-transport';
import type { OpcenterClientOptions } from './client-options';
import { createOpcenterClient } from './opcenter-client';

const credentials = { clientId: 'insight-graph', clientSecret: 'insight-graph-secret', username: 'ai-service', password: 'ai-service' };
const GUID = '0b7f2a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ODATA = '/sit-svc/Application';

let fake: FakeOpcenter;
let handle: (request: FakeRequest) => FakeReply;

beforeEach(async () => {
  handle = () => ({ status: 404, json: { error: { code: 'NotFound', message: 'No route' } } });
  fake = await startFakeOpcenter({ handle: (request) => handle(request) });
});

afterEach(() => fake.close());

function clientFor(options: Partial<OpcenterClientOptions> = {}) {
  return createOpcenterClient({ baseUrl: fake.url, ...credentials, retryBaseDelayMs: 1, ...options });
}

describe('list', () => {
  it('sends the query in Opcenter names and returns rows in logical names', async () => {
    handle = () => ({
      json: {
        '@odata.count': 42,
        value: [{ Id: GUID, NId: 'WO-1', Status: 'Active', PlannedStartTime: '2025-01-01T06:00:00Z' }],
      },
    });
    const page = await clientFor().list('workOrder', {
      filter: { status: 'Active' },
      select: ['guid', 'id', 'status', 'plannedStartTime'],
      orderBy: 'plannedStartTime desc',
      top: 1,
      count: true,
    });
    expect(page).toEqual({
      items: [{ guid: GUID, id: 'WO-1', status: 'Active', plannedStartTime: '2025-01-01T06:00:00Z' }],
      count: 42,
      nextLink: undefined,
    });
    const [request] = fake.dataRequests();
    expect(request!.url.pathname).toBe(`${ODATA}/AppU4DM/odata/WorkOrder`);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({
      $filter: "Status eq 'Active'",
      $select: 'Id,NId,Status,PlannedStartTime',
      $orderby: 'PlannedStartTime desc',
      $top: '1',
      $count: 'true',
    });
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.headers['odata-maxversion']).toBe('4.0');
    expect(request!.headers.prefer).toBeUndefined();
  });

  it("sends hostile text as data, so the server decodes Opcenter's own literal", async () => {
    handle = () => ({ json: { value: [] } });
    await clientFor().list('nonConformance', { filter: { description: `O'Brien 10% "x"` } });
    await clientFor().list('nonConformance', { filter: { title: `') or true or ('` } });
    const filters = fake.dataRequests().map((r) => r.url.searchParams.get('$filter'));
    expect(filters).toEqual([`Description eq 'O''Brien 10% "x"'`, `Title eq ''') or true or ('''`]);
  });

  it('asks for a page size with Prefer: odata.maxpagesize when pageSize is set', async () => {
    handle = () => ({ json: { value: [] } });
    await clientFor({ pageSize: 250 }).list('board');
    expect(fake.dataRequests()[0]!.headers.prefer).toBe('odata.maxpagesize=250');
  });

  it('refuses an unknown concept without any request', async () => {
    await expect(clientFor().list('productionOrder')).rejects.toBeInstanceOf(OpcenterInvalidQueryError);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a query whose URL would exceed maxUrlLength', async () => {
    const filter = { description: 'x'.repeat(300) };
    await expect(clientFor({ maxUrlLength: 256 }).list('nonConformance', { filter })).rejects.toBeInstanceOf(
      OpcenterInvalidQueryError,
    );
    expect(fake.dataRequests()).toHaveLength(0);
  });
});

describe('paging', () => {
  beforeEach(() => {
    handle = (request) => {
      const page = Number(request.url.searchParams.get('$skiptoken') ?? '0');
      const value = [{ NId: `SN-${page * 2}` }, { NId: `SN-${page * 2 + 1}` }];
      if (page === 2) return { json: { value } };
      const next = new URL(request.url.href);
      next.searchParams.set('$skiptoken', String(page + 1));
      // Page 0 links absolutely, page 1 relatively: both forms are valid OData.
      const nextLink = page === 0 ? `${fake.url}${next.pathname}${next.search}` : `MaterialTrackingUnit${next.search}`;
      return { json: { value, '@odata.nextLink': nextLink } };
    };
  });

  it('listAll follows @odata.nextLink to the end', async () => {
    const items = await clientFor().listAll('board', { filter: { status: 'Completed' } });
    expect(items.map((item) => item.serialNumber)).toEqual(['SN-0', 'SN-1', 'SN-2', 'SN-3', 'SN-4', 'SN-5']);
    expect(fake.dataRequests()).toHaveLength(3);
    expect(fake.dataRequests().every((r) => r.url.searchParams.get('$filter') === "Status eq 'Completed'")).toBe(true);
  });

  it('iterate yields one page at a time', async () => {
    const sizes: number[] = [];
    for await (const page of clientFor().iterate('board')) sizes.push(page.items.length);
    expect(sizes).toEqual([2, 2, 2]);
  });

  it('list returns one page and nextPage the next', async () => {
    const client = clientFor();
    const first = await client.list('board');
    expect(first.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sit-svc\//);
    const second = await client.nextPage('board', first.nextLink!);
    expect(second.items.map((item) => item.serialNumber)).toEqual(['SN-2', 'SN-3']);
  });

  it("rebases a nextLink to another host onto baseUrl, so the token stays on Opcenter's origin", async () => {
    handle = (request) =>
      request.url.searchParams.has('$skiptoken')
        ? { json: { value: [{ NId: 'SN-2' }] } }
        : { json: { value: [{ NId: 'SN-1' }], '@odata.nextLink': `http://internal:8080${request.url.pathname}?$skiptoken=1` } };
    const items = await clientFor().listAll('board');
    expect(items).toEqual([{ serialNumber: 'SN-1' }, { serialNumber: 'SN-2' }]);
    expect(fake.dataRequests()[1]!.url.pathname).toBe(`${ODATA}/AppU4DM/odata/MaterialTrackingUnit`);
  });

  it('refuses a nextLink that leads outside the OData service', async () => {
    handle = () => ({ json: { value: [], '@odata.nextLink': 'https://elsewhere.example/steal' } });
    await expect(clientFor().listAll('board')).rejects.toBeInstanceOf(OpcenterUnavailableError);
    expect(fake.dataRequests()).toHaveLength(1);
  });
});

describe('get', () => {
  it('reads a GUID key unquoted in the path', async () => {
    handle = () => ({ json: { '@odata.context': 'http://internal/$metadata#WorkOrder/$entity', Id: GUID, NId: 'WO-1' } });
    await expect(clientFor().get('workOrder', GUID, { select: ['id'] })).resolves.toEqual({ guid: GUID, id: 'WO-1' });
    const [request] = fake.dataRequests();
    expect(request!.url.pathname).toBe(`${ODATA}/AppU4DM/odata/WorkOrder(${GUID})`);
    expect(request!.url.searchParams.get('$select')).toBe('NId');
  });

  it('reads a string key quoted, with quotes doubled', async () => {
    handle = () => ({ json: { Id: "SPI-1/C1'1", VolumePct: 97.5 } });
    await expect(clientFor().get('spiPad', "SPI-1/C1'1")).resolves.toEqual({ id: "SPI-1/C1'1", volumePct: 97.5 });
    expect(decodeURIComponent(fake.dataRequests()[0]!.url.pathname)).toBe(
      `${ODATA}/Quality/odata/SpiPadMeasurement('SPI-1/C1''1')`,
    );
  });

  it('returns null on 404, and getOrThrow throws OpcenterNotFoundError', async () => {
    const client = clientFor();
    await expect(client.get('workOrder', GUID)).resolves.toBeNull();
    const error = await client.getOrThrow('workOrder', GUID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpcenterNotFoundError);
    expect(error).toMatchObject({ code: 'OPCENTER_NOT_FOUND', status: 404 });
  });

  it('getByNaturalKey filters on the natural key and returns the first row or null', async () => {
    handle = (request) =>
      request.url.searchParams.get('$filter') === "NId eq 'SN-1'" ? { json: { value: [{ NId: 'SN-1', IsOnHold: false }] } } : { json: { value: [] } };
    const client = clientFor();
    await expect(client.getByNaturalKey('board', 'SN-1')).resolves.toEqual({ serialNumber: 'SN-1', isOnHold: false });
    await expect(client.getByNaturalKey('board', 'SN-2')).resolves.toBeNull();
    expect(fake.dataRequests()[0]!.url.searchParams.get('$top')).toBe('1');
  });
});

describe('getMany', () => {
  /** Answers every SPI inspection whose serial number is in the filter, two rows per page. */
  function answerIn(request: FakeRequest): FakeReply {
    const filter = request.url.searchParams.get('$filter') ?? '';
    const serials = /SerialNumber in \((.*)\)$/.exec(filter)![1]!.split(',').map((v) => v.slice(1, -1).replace(/''/g, "'"));
    const skip = Number(request.url.searchParams.get('$skiptoken') ?? '0');
    const value = serials.slice(skip, skip + 2).map((serial) => ({ NId: `SPI-${serial}`, SerialNumber: serial }));
    if (skip + 2 >= serials.length) return { json: { value } };
    const next = new URL(request.url.href);
    next.searchParams.set('$skiptoken', String(skip + 2));
    return { json: { value, '@odata.nextLink': `${fake.url}${next.pathname}${next.search}` } };
  }

  it('asks in chunks that each stay under maxUrlLength, follows their pages and merges the rows', async () => {
    handle = answerIn;
    const calls: OpcenterRequestInfo[] = [];
    const serials = Array.from({ length: 60 }, (_, i) => `SN-${String(i).padStart(5, '0')}`);
    const client = clientFor({ maxUrlLength: 400, onRequest: (info) => calls.push(info) });
    const rows = await client.getMany('spiInspection', 'serialNumber', [...serials, ...serials.slice(0, 10)]);

    expect(rows.map((row) => row.serialNumber).sort()).toEqual(serials);
    expect(rows[0]).toEqual({ id: 'SPI-SN-00000', serialNumber: 'SN-00000' });
    const firstPages = calls.filter((c) => c.method === 'GET' && !c.url.includes('skiptoken'));
    expect(firstPages.length).toBeGreaterThan(2);
    for (const call of firstPages) expect(call.url.length).toBeLessThanOrEqual(400);
    expect(fake.dataRequests().length).toBeGreaterThan(firstPages.length);
  });

  it('makes no request for no values', async () => {
    await expect(clientFor().getMany('board', 'serialNumber', [])).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('onRequest', () => {
  it('hears every HTTP request with its method, URL, status and duration', async () => {
    handle = () => ({ json: { value: [] } });
    const calls: OpcenterRequestInfo[] = [];
    await clientFor({ onRequest: (info) => calls.push(info) }).list('board');
    expect(calls).toEqual([
      expect.objectContaining({ method: 'POST', url: `${fake.url}/sit-auth/OAuth/Token`, status: 200 }),
      expect.objectContaining({ method: 'GET', url: `${fake.url}${ODATA}/AppU4DM/odata/MaterialTrackingUnit`, status: 200 }),
    ]);
    expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
  });
});
