import { OpcenterInvalidQueryError } from './errors';
import { loadMapping } from './mapping';
import { toODataInQueries, toODataKey, toODataQuery } from './odata-query-builder';

const mapping = loadMapping();
const GUID = '0b7f2a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const PREFIX = 'https://opcenter.example/sit-svc/Application/Quality/odata/SpiInspection';

/** The query options as the server decodes them. */
function decoded(queryString: string): Record<string, string> {
  return Object.fromEntries(new URL(`${PREFIX}${queryString}`).searchParams);
}

describe('toODataQuery', () => {
  it('returns an empty string for an empty query', () => {
    expect(toODataQuery(mapping, 'workOrder')).toBe('');
  });

  it('translates filter, select and orderBy from logical to Opcenter names', () => {
    const query = decoded(
      toODataQuery(mapping, 'workOrder', {
        filter: { status: 'Active', plannedQuantity: { gt: 10 } },
        select: ['id', 'status', 'plannedStartTime'],
        orderBy: 'plannedStartTime desc, id',
        top: 20,
        skip: 40,
        count: true,
      }),
    );
    expect(query).toEqual({
      $filter: "Status eq 'Active' and PlannedQuantity gt 10",
      $select: 'NId,Status,PlannedStartTime',
      $orderby: 'PlannedStartTime desc,NId',
      $top: '20',
      $skip: '40',
      $count: 'true',
    });
  });

  it('sends hostile text as data: quotes doubled, the rest percent-encoded', () => {
    const queryString = toODataQuery(mapping, 'nonConformance', {
      filter: { description: `O'Brien 10% "x"`, title: `') or true or ('`, createdBy: 'a&$top=1#' },
    });
    expect(decoded(queryString)).toEqual({
      $filter: `Description eq 'O''Brien 10% "x"' and Title eq ''') or true or (''' and CreatedBy eq 'a&$top=1#'`,
    });
  });

  it('emits GUID literals for guid fields and refuses values that are not GUIDs', () => {
    expect(decoded(toODataQuery(mapping, 'board', { filter: { workOrderGuid: GUID } })).$filter).toBe(
      `WorkOrderId eq ${GUID}`,
    );
    expect(decoded(toODataQuery(mapping, 'board', { filter: { workOrderGuid: { in: [GUID] } } })).$filter).toBe(
      `WorkOrderId in (${GUID})`,
    );
    expect(() => toODataQuery(mapping, 'board', { filter: { workOrderGuid: `${GUID}) or (true` } })).toThrow(
      OpcenterInvalidQueryError,
    );
    expect(() => toODataQuery(mapping, 'board', { filter: { serialNumber: { type: 'guid', value: 'x or 1' } } })).toThrow(
      OpcenterInvalidQueryError,
    );
  });

  it('keeps strings on non-guid fields quoted even when they look like GUIDs', () => {
    expect(decoded(toODataQuery(mapping, 'spiPad', { filter: { id: GUID } })).$filter).toBe(`Id eq '${GUID}'`);
  });

  it('translates or, not, functions, dates, null and navigation paths', () => {
    const filter = decoded(
      toODataQuery(mapping, 'board', {
        filter: {
          or: [{ status: 'InProcess' }, { isOnHold: true }],
          not: { status: 'Scrapped' },
          'tolower(materialId)': 'pcba-100',
          createdOn: { ge: new Date('2025-01-01T00:00:00Z') },
          completedOn: null,
          workOrder: { status: 'Active', line: { id: 'L1' } },
        },
      }),
    ).$filter;
    expect(filter).toBe(
      "((Status eq 'InProcess') or (IsOnHold eq true)) and not (Status eq 'Scrapped') and " +
        "tolower(MaterialNId) eq 'pcba-100' and CreatedOn ge 2025-01-01T00:00:00.000Z and CompletedOn eq null and " +
        "WorkOrder/Status eq 'Active' and WorkOrder/Line/NId eq 'L1'",
    );
  });

  it('translates any/all on collection navigations with the target concept', () => {
    const filter = decoded(
      toODataQuery(mapping, 'workOrder', { filter: { operations: { any: { status: 'Active', workCenterId: 'WC1' } } } }),
    ).$filter;
    expect(filter).toBe("Operations/any(operations:operations/Status eq 'Active' and operations/WorkCenterNId eq 'WC1')");
  });

  it('uses an explicit and when two conditions hit the same property', () => {
    const filter = decoded(toODataQuery(mapping, 'workOrder', { filter: [{ status: { ne: 'Aborted' } }, { status: { ne: 'Completed' } }] })).$filter;
    expect(filter).toBe("((Status ne 'Aborted') and (Status ne 'Completed'))");
  });

  it('translates nested expand options with each target concept', () => {
    const query = decoded(
      toODataQuery(mapping, 'workOrder', {
        expand: {
          operations: {
            select: ['id', 'status'],
            filter: { status: "it's" },
            orderBy: 'sequence desc',
            top: 3,
            expand: { workCenter: { select: ['id'] } },
          },
          line: true,
        },
      }),
    );
    expect(query.$expand).toBe(
      "Operations($select=NId,Status;$filter=Status eq 'it''s';$expand=WorkCenter($select=NId);" +
        '$orderby=Sequence desc;$top=3),Line',
    );
  });

  it('translates expand paths given as strings', () => {
    expect(decoded(toODataQuery(mapping, 'board', { expand: ['workOrder/line', 'spiInspections/pads'] })).$expand).toBe(
      'WorkOrder($expand=Line),SpiInspections($expand=Pads)',
    );
  });

  it('passes names the mapping does not know unchanged, if they are plain identifiers', () => {
    expect(decoded(toODataQuery(mapping, 'board', { filter: { PlantField: 1 }, select: ['PlantField'] }))).toEqual({
      $filter: 'PlantField eq 1',
      $select: 'PlantField',
    });
  });

  it.each([
    ['a raw filter string', { filter: "Status eq 'x'" }],
    ['a raw literal', { filter: { status: { type: 'raw', value: '1 or 1 eq 1' } } }],
    ['a property name with syntax in it', { filter: { 'Status eq 1 or NId': 'x' } }],
    ['an unsupported function', { filter: { 'substringof(status)': 'x' } }],
    ['an orderBy with syntax in it', { orderBy: 'status desc;drop' }],
    ['a select with syntax in it', { select: ['status)'] }],
    ['a negative top', { top: -1 }],
    ['an empty in', { filter: { status: { in: [] } } }],
    ['operators mixed with properties', { filter: { workOrder: { eq: 'x', status: 'y' } } }],
    ['a nested object on a plain field', { filter: { status: { value: 'x' } } }],
    ['a number that is not finite', { filter: { quantity: Number.NaN } }],
  ])('refuses %s', (_label, query) => {
    expect(() => toODataQuery(mapping, 'board', query as never)).toThrow(OpcenterInvalidQueryError);
  });

  it('refuses an unknown concept, naming the known ones', () => {
    expect(() => toODataQuery(mapping, 'productionOrder', {})).toThrow(/Unknown Opcenter concept 'productionOrder'.*workOrder/);
  });
});

describe('toODataInQueries', () => {
  const serials = Array.from({ length: 300 }, (_, i) => `SN-${String(i).padStart(6, '0')}`);

  it('splits the values so that every URL stays under the limit, and loses none', () => {
    const queries = toODataInQueries(mapping, 'spiInspection', 'serialNumber', serials, {}, { urlPrefix: PREFIX, maxUrlLength: 500 });
    expect(queries.length).toBeGreaterThan(5);
    const sent: string[] = [];
    for (const queryString of queries) {
      const url = new URL(PREFIX + queryString).href;
      expect(url.length).toBeLessThanOrEqual(500);
      const filter = decoded(queryString).$filter!;
      expect(filter).toMatch(/^SerialNumber in \(/);
      sent.push(...filter.slice('SerialNumber in ('.length, -1).split(',').map((v) => v.slice(1, -1)));
    }
    expect(sent).toEqual(serials);
  });

  it('fills each chunk as far as the limit allows', () => {
    const queries = toODataInQueries(mapping, 'spiInspection', 'serialNumber', serials, {}, { urlPrefix: PREFIX, maxUrlLength: 500 });
    for (const queryString of queries.slice(0, -1)) {
      // One more value ("'SN-000000'," is 13 characters, quotes percent-encoded) would not have fitted.
      expect(new URL(PREFIX + queryString).href.length).toBeGreaterThan(500 - 17);
    }
  });

  it('deduplicates values and keeps the rest of the query in every chunk', () => {
    const queries = toODataInQueries(
      mapping,
      'spiInspection',
      'serialNumber',
      ['SN-1', 'SN-1', "O'Brien"],
      { filter: { result: 'Fail' }, select: ['id'] },
      { urlPrefix: PREFIX, maxUrlLength: 2048 },
    );
    expect(queries.map(decoded)).toEqual([
      { $select: 'NId', $filter: "Result eq 'Fail' and SerialNumber in ('SN-1','O''Brien')" },
    ]);
  });

  it('emits GUID literals for guid fields', () => {
    const queries = toODataInQueries(mapping, 'spiPad', 'spiInspectionGuid', [GUID], {}, { urlPrefix: PREFIX, maxUrlLength: 2048 });
    expect(decoded(queries[0]!).$filter).toBe(`SpiInspectionId in (${GUID})`);
  });

  it('refuses a value that alone does not fit', () => {
    expect(() =>
      toODataInQueries(mapping, 'spiInspection', 'serialNumber', ['x'.repeat(600)], {}, { urlPrefix: PREFIX, maxUrlLength: 500 }),
    ).toThrow(OpcenterInvalidQueryError);
  });
});

describe('toODataKey', () => {
  it('leaves GUID keys unquoted', () => {
    expect(toODataKey(mapping.concepts.get('workOrder')!, GUID)).toBe(`(${GUID})`);
  });

  it('quotes string keys with quotes doubled and the rest percent-encoded', () => {
    expect(toODataKey(mapping.concepts.get('spiPad')!, "SPI-1/C1'1 x")).toBe("('SPI-1%2FC1''1%20x')");
  });

  it('refuses a GUID key that is not a GUID', () => {
    expect(() => toODataKey(mapping.concepts.get('workOrder')!, 'WO-1')).toThrow(OpcenterInvalidQueryError);
  });
});
