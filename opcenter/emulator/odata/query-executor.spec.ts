import type { EdmEntitySet } from '../../model/edm';
import { MaterialTrackingUnit, SpiInspection, SpiPadMeasurement, WorkOrder, WorkOrderOperation } from '../../model/entity-sets';
import { EntityStore, StoredEntitySource, type EntitySource, type Row } from '../store/entity-store';
import { ODataError } from './odata-error';
import { createFixtureStore, fixtureGuid, resolveFixtureSet } from './odata-fixture';
import { executeCollection, executeEntity, executeNavigation, type CollectionResult } from './query-executor';
import { parseQueryOptions } from './query-options';

const parse = (query: string, set: EdmEntitySet) => parseQueryOptions(new URLSearchParams(query), set, resolveFixtureSet);

function run(store: EntityStore, set: EdmEntitySet, query: string, maxPageSize = 1000): CollectionResult {
  return executeCollection(store, set, parse(query, set), { maxPageSize });
}

/** Follows next skip tokens as a client would, returning every page. */
function allPages(store: EntityStore, set: EdmEntitySet, query: string, maxPageSize: number): CollectionResult[] {
  const pages = [run(store, set, query, maxPageSize)];
  for (let token = pages[0]?.nextSkipToken; token !== undefined; token = pages.at(-1)?.nextSkipToken) {
    pages.push(run(store, set, `${query}&$skiptoken=${token}`, maxPageSize));
    if (pages.length > 100) throw new Error('paging does not end');
  }
  return pages;
}

class CountingSource implements EntitySource {
  scans = 0;
  lookups: string[] = [];
  constructor(private readonly inner: EntitySource) {}
  get set() {
    return this.inner.set;
  }
  get scannable() {
    return this.inner.scannable;
  }
  size() {
    return this.inner.size();
  }
  scan() {
    this.scans++;
    return this.inner.scan();
  }
  lookup(field: string, value: unknown) {
    this.lookups.push(field);
    return this.inner.lookup(field, value);
  }
  get(key: unknown) {
    return this.inner.get(key);
  }
}

function countingStore(): { store: EntityStore; counters: Map<string, CountingSource> } {
  const base = createFixtureStore();
  const store = new EntityStore();
  const counters = new Map<string, CountingSource>();
  for (const name of base.names()) {
    const counting = new CountingSource(base.source(name) as EntitySource);
    counters.set(name, counting);
    store.add(counting);
  }
  return { store, counters };
}

function operationsStore(count: number): EntityStore {
  const store = new EntityStore();
  const operations = new StoredEntitySource(WorkOrderOperation);
  for (let i = 0; i < count; i++) {
    operations.insert({ Id: fixtureGuid(i), NId: `OP-${i}`, Name: `Op ${i % 7}`, Sequence: (i * 37) % 11, WorkOrderId: fixtureGuid(9999), WorkOrderNId: 'WO', WorkCenterNId: 'WC', Status: i % 3 === 0 ? 'Completed' : 'NotStarted', ProcessedQuantity: i, ActualStartTime: null, ActualEndTime: null });
  }
  store.add(operations);
  return store;
}

describe('executeCollection', () => {
  const store = createFixtureStore();

  it('returns fresh objects with every declared property when there is no $select', () => {
    const result = run(store, WorkOrder, "$filter=NId eq 'WO-1'");
    const stored = store.source('WorkOrder')?.lookup('NId', 'WO-1')?.[0];
    expect(result.value).toHaveLength(1);
    expect(result.value[0]).toEqual(stored);
    expect(result.value[0]).not.toBe(stored);
    expect(Object.keys(result.value[0] as Row)).toEqual(Object.keys(WorkOrder.properties));
    expect(result.count).toBeUndefined();
    expect(result.nextSkipToken).toBeUndefined();
  });

  it('projects only the selected properties', () => {
    expect(run(store, WorkOrder, "$select=NId,Status&$filter=LineNId eq 'SMT-02'").value).toEqual([
      { NId: 'WO-2', Status: 'Released' },
      { NId: 'WO-4', Status: 'Active' },
    ]);
  });

  it('counts the filtered rows, ignoring $top and $skip', () => {
    const result = run(store, MaterialTrackingUnit, "$filter=Status eq 'InProcess'&$count=true&$top=2&$skip=1&$select=NId");
    expect(result.count).toBe(5);
    expect(result.value).toEqual([{ NId: 'SN-002' }, { NId: 'SN-003' }]);
  });

  it('orders by several keys, nulls first ascending, stably', () => {
    const nids = (query: string) => run(store, WorkOrder, `${query}&$select=NId`).value.map((row) => row.NId);
    expect(nids('$orderby=LineNId desc,PlannedQuantity')).toEqual(['WO-4', 'WO-2', 'WO-1', 'WO-3']);
    expect(nids('$orderby=ActualStartTime')).toEqual(['WO-2', 'WO-3', 'WO-1', 'WO-4']);
    expect(nids('$orderby=PlannedStartTime desc')).toEqual(['WO-2', 'WO-1', 'WO-4', 'WO-3']);
    expect(nids('$orderby=tolower(Customer),NId desc')).toEqual(['WO-3', 'WO-4', 'WO-1', 'WO-2']);
    expect(nids('$orderby=FinalMaterialNId')).toEqual(['WO-1', 'WO-2', 'WO-3', 'WO-4']);
  });

  it('orders by a single-valued navigation path', () => {
    const result = run(store, MaterialTrackingUnit, '$orderby=WorkOrder/NId desc,NId&$select=NId');
    expect(result.value.map((row) => row.NId)).toEqual(['SN-006', 'SN-005', 'SN-004', 'SN-001', 'SN-002', 'SN-003']);
  });

  it('pages through every row exactly once by following skip tokens', () => {
    const big = operationsStore(95);
    for (const query of ['$select=NId', '$select=NId&$orderby=Sequence desc,Name', "$select=NId&$filter=Status eq 'NotStarted'&$count=true"]) {
      const pages = allPages(big, WorkOrderOperation, query, 10);
      const seen = pages.flatMap((page) => page.value.map((row) => row.NId));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(query.includes('NotStarted') ? 63 : 95);
      expect(pages.slice(0, -1).every((page) => page.value.length === 10)).toBe(true);
      expect(pages.at(-1)?.nextSkipToken).toBeUndefined();
    }
  });

  it('keeps the order across pages the same as a single read', () => {
    const big = operationsStore(95);
    const query = '$select=NId&$orderby=Sequence,Name desc';
    const whole = run(big, WorkOrderOperation, query).value.map((row) => row.NId);
    const paged = allPages(big, WorkOrderOperation, query, 7).flatMap((page) => page.value.map((row) => row.NId));
    expect(paged).toEqual(whole);
  });

  it('stops paging at $top and honours $skip', () => {
    const big = operationsStore(95);
    const pages = allPages(big, WorkOrderOperation, '$select=NId&$top=25&$skip=5', 10);
    expect(pages.map((page) => page.value.length)).toEqual([10, 10, 5]);
    expect(pages[0]?.value[0]).toEqual({ NId: 'OP-5' });
    expect(pages.at(-1)?.value.at(-1)).toEqual({ NId: 'OP-29' });
    expect(run(big, WorkOrderOperation, '$top=0').value).toEqual([]);
    expect(run(big, WorkOrderOperation, '$top=10', 10).nextSkipToken).toBeUndefined();
    expect(run(big, WorkOrderOperation, '$skip=200').value).toEqual([]);
  });

  it('expands navigations with nested options two levels deep', () => {
    const result = run(
      store,
      WorkOrder,
      "$filter=NId eq 'WO-1'&$select=NId&$expand=Operations($select=NId,Sequence;$orderby=Sequence desc;$top=3;$count=true;$expand=WorkCenter),Line($select=NId),MaterialTrackingUnits($filter=IsOnHold;$select=NId;$expand=SpiInspections($select=Result;$expand=Pads($filter=Result eq 'Fail';$select=PadNId)))",
    );
    expect(result.value).toEqual([
      {
        NId: 'WO-1',
        'Operations@odata.count': 5,
        Operations: [
          { NId: 'WO-1-50', Sequence: 50, WorkCenter: null },
          { NId: 'WO-1-40', Sequence: 40, WorkCenter: null },
          { NId: 'WO-1-30', Sequence: 30, WorkCenter: null },
        ],
        Line: { NId: 'SMT-01' },
        MaterialTrackingUnits: [{ NId: 'SN-003', SpiInspections: [] }],
      },
    ]);
    const failing = run(store, SpiInspection, "$filter=Result eq 'Fail'&$select=NId&$expand=Pads($filter=Result eq 'Fail';$select=PadNId,VolumePct),MaterialTrackingUnit($select=NId;$expand=WorkOrder($select=NId))");
    expect(failing.value).toEqual([{ NId: 'SPI-401', Pads: [{ PadNId: 'U7-2', VolumePct: 42 }], MaterialTrackingUnit: { NId: 'SN-002', WorkOrder: { NId: 'WO-1' } } }]);
  });

  it('answers a single-valued expansion with null when its nested filter does not match', () => {
    const result = run(store, MaterialTrackingUnit, "$filter=NId eq 'SN-001'&$select=NId&$expand=WorkOrder($filter=Status eq 'Completed')");
    expect(result.value).toEqual([{ NId: 'SN-001', WorkOrder: null }]);
  });

  it('requires a partition filter on generated sets', () => {
    const error = (() => {
      try {
        run(store, SpiPadMeasurement, "$filter=Result eq 'Fail'");
      } catch (caught) {
        return caught as ODataError;
      }
      throw new Error('expected PartitionRequired');
    })();
    expect(error).toBeInstanceOf(ODataError);
    expect(error.code).toBe('PartitionRequired');
    expect(error.message).toBe(
      "SpiPadMeasurement is generated per SpiInspection: add $filter=SpiInspectionId eq <guid> (or SerialNumber eq '...'), or read it through SpiInspection(<id>)/Pads.",
    );
    expect(() => run(store, SpiPadMeasurement, '')).toThrow(ODataError);
    expect(() => run(store, SpiPadMeasurement, `$filter=SpiInspectionId eq ${fixtureGuid(400)} or Result eq 'Fail'`)).toThrow(/generated per/);
  });

  it('reads generated sets narrowed by a partition field, a list of them or a navigation path', () => {
    expect(run(store, SpiPadMeasurement, `$filter=SpiInspectionId eq ${fixtureGuid(401)} and Result eq 'Fail'&$select=PadNId`).value).toEqual([{ PadNId: 'U7-2' }]);
    expect(run(store, SpiPadMeasurement, "$filter=SerialNumber in ('SN-001','SN-004')&$count=true&$top=0").count).toBe(6);
    expect(run(store, SpiPadMeasurement, "$filter=SpiInspection/NId eq 'SPI-402'&$count=true").count).toBe(3);
  });
});

describe('index planning', () => {
  it('answers an indexed eq without scanning', () => {
    const { store, counters } = countingStore();
    expect(run(store, MaterialTrackingUnit, "$filter=WorkOrderNId eq 'WO-1' and Status eq 'InProcess'&$select=NId").value).toHaveLength(3);
    expect(counters.get('MaterialTrackingUnit')?.scans).toBe(0);
    expect(counters.get('MaterialTrackingUnit')?.lookups).toEqual(['WorkOrderNId', 'Status']);
  });

  it('answers a key eq and an indexed in without scanning', () => {
    const { store, counters } = countingStore();
    expect(run(store, WorkOrder, `$filter=Id eq ${fixtureGuid(103)}`).value.map((row) => row.NId)).toEqual(['WO-3']);
    expect(run(store, WorkOrder, "$filter=Status in ('Active','Completed','Active') and Priority gt 1").value.map((row) => row.NId)).toEqual(['WO-4', 'WO-3']);
    expect(counters.get('WorkOrder')?.scans).toBe(0);
  });

  it('answers a navigation path eq through the target index and the local index', () => {
    const { store, counters } = countingStore();
    const result = run(store, MaterialTrackingUnit, "$filter=WorkOrder/NId eq 'WO-1'&$select=NId");
    expect(result.value.map((row) => row.NId)).toEqual(['SN-001', 'SN-002', 'SN-003']);
    expect(counters.get('MaterialTrackingUnit')?.scans).toBe(0);
    expect(counters.get('WorkOrder')?.scans).toBe(0);
    const twoLevels = run(store, SpiInspection, "$filter=MaterialTrackingUnit/WorkOrder/NId eq 'WO-1'&$select=NId");
    expect(twoLevels.value.map((row) => row.NId)).toEqual(['SPI-400', 'SPI-401']);
    expect(counters.get('SpiInspection')?.scans).toBe(0);
  });

  it('takes the smallest candidate set among indexed conjuncts', () => {
    const { store, counters } = countingStore();
    run(store, MaterialTrackingUnit, "$filter=UnitType eq 'Board' and NId eq 'SN-004'");
    expect(counters.get('MaterialTrackingUnit')?.scans).toBe(0);
    expect(run(store, MaterialTrackingUnit, "$filter=UnitType eq 'Board' and NId eq 'SN-404'").value).toEqual([]);
  });

  it('scans when no conjunct is indexed', () => {
    const { store, counters } = countingStore();
    expect(run(store, WorkOrder, "$filter=Customer eq 'Acme' or NId eq 'WO-2'").value).toHaveLength(2);
    expect(counters.get('WorkOrder')?.scans).toBe(1);
  });

  it('filters 1,500,000 rows by an indexed field in about a millisecond', () => {
    const store = new EntityStore();
    const units = new StoredEntitySource(MaterialTrackingUnit);
    for (let i = 0; i < 1_500_000; i++) {
      units.insert({ Id: i, NId: `SN-${i}`, WorkOrderNId: `WO-${i % 1000}`, Status: i % 2 ? 'InProcess' : 'Completed', Quantity: i % 10 });
    }
    store.add(units);
    const options = parse("$filter=WorkOrderNId eq 'WO-7' and Status eq 'InProcess'&$count=true&$select=NId", MaterialTrackingUnit);
    executeCollection(store, MaterialTrackingUnit, options, { maxPageSize: 100 });
    let started = process.hrtime.bigint();
    const indexed = executeCollection(store, MaterialTrackingUnit, options, { maxPageSize: 100 });
    const indexedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(indexed.count).toBe(1500);
    expect(indexedMs).toBeLessThan(20);
    started = process.hrtime.bigint();
    const scanned = run(store, MaterialTrackingUnit, '$filter=Quantity gt 7&$count=true&$top=5');
    const scanMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(scanned.count).toBe(300_000);
    expect(scanMs).toBeLessThan(500);
  });
});

describe('executeEntity', () => {
  it('applies $select and $expand to one row', () => {
    const store = createFixtureStore();
    const row = store.source('SpiInspection')?.get(fixtureGuid(401)) as Row;
    expect(executeEntity(store, SpiInspection, row, parse('$select=NId,Result&$expand=Pads($select=VolumePct;$orderby=VolumePct;$count=true)', SpiInspection))).toEqual({
      NId: 'SPI-401',
      Result: 'Fail',
      'Pads@odata.count': 3,
      Pads: [{ VolumePct: 42 }, { VolumePct: 91 }, { VolumePct: 93 }],
    });
  });
});

describe('executeNavigation', () => {
  const store = createFixtureStore();
  const wo1 = store.source('WorkOrder')?.lookup('NId', 'WO-1')?.[0] as Row;

  it('pages a collection navigation with options parsed against the target set', () => {
    const options = parse("$filter=Status eq 'NotStarted'&$select=NId&$count=true", WorkOrderOperation);
    const first = executeNavigation(store, WorkOrder, wo1, 'Operations', options, { maxPageSize: 2 }) as CollectionResult;
    expect(first).toMatchObject({ count: 3, value: [{ NId: 'WO-1-30' }, { NId: 'WO-1-40' }] });
    const next = parse(`$filter=Status eq 'NotStarted'&$select=NId&$skiptoken=${first.nextSkipToken}`, WorkOrderOperation);
    expect(executeNavigation(store, WorkOrder, wo1, 'Operations', next, { maxPageSize: 2 })).toEqual({ value: [{ NId: 'WO-1-50' }] });
  });

  it('reads a generated collection through its parent', () => {
    const inspection = store.source('SpiInspection')?.get(fixtureGuid(400)) as Row;
    const result = executeNavigation(store, SpiInspection, inspection, 'Pads', parse('$select=PadNId', SpiPadMeasurement)) as CollectionResult;
    expect(result.value).toEqual([{ PadNId: 'U7-1' }, { PadNId: 'U7-2' }, { PadNId: 'U7-3' }]);
  });

  it('returns the shaped row of a single-valued navigation, or undefined', () => {
    expect(executeNavigation(store, WorkOrder, wo1, 'Line', parse('$select=Name', WorkOrder))).toEqual({ Name: 'Line 1' });
    expect(executeNavigation(store, WorkOrder, { ...wo1, LineNId: 'SMT-99' }, 'Line', parse('', WorkOrder))).toBeUndefined();
  });

  it('answers 404 for an unknown navigation', () => {
    expect(() => executeNavigation(store, WorkOrder, wo1, 'Nope', parse('', WorkOrder))).toThrow(expect.objectContaining({ status: 404, code: 'NotFound' }));
  });
});
