import type { EdmEntitySet } from '../../model/edm';
import { MaterialTrackingUnit, SpiInspection, WorkOrder, WorkOrderOperation } from '../../model/entity-sets';
import { compileFilter, evaluateFilter } from './filter-evaluator';
import { parseFilter } from './filter-parser';
import { createFixtureStore, fixtureGuid, resolveFixtureSet } from './odata-fixture';

const store = createFixtureStore();

/** The NIds of the rows of `set` that match `filter`. */
function matching(filter: string, set: EdmEntitySet = WorkOrder): unknown[] {
  const predicate = compileFilter(parseFilter(filter, set, resolveFixtureSet), store);
  return (store.source(set.name)?.scan() ?? []).filter(predicate).map((row) => row.NId);
}

describe('compileFilter', () => {
  it('compares strings case-sensitively', () => {
    expect(matching("Customer eq 'Acme'")).toEqual(['WO-1']);
    expect(matching("Customer ne 'Acme'")).toEqual(['WO-2', 'WO-3', 'WO-4']);
    expect(matching("NId gt 'WO-2'")).toEqual(['WO-3', 'WO-4']);
    expect(matching("NId ge 'WO-2'")).toEqual(['WO-2', 'WO-3', 'WO-4']);
    expect(matching("NId lt 'WO-2'")).toEqual(['WO-1']);
    expect(matching("NId le 'WO-2'")).toEqual(['WO-1', 'WO-2']);
  });

  it('compares numbers across integer and decimal literals', () => {
    expect(matching('PlannedQuantity eq 100')).toEqual(['WO-1']);
    expect(matching('PlannedQuantity gt 50')).toEqual(['WO-1', 'WO-3']);
    expect(matching('PlannedQuantity ge 50.0')).toEqual(['WO-1', 'WO-2', 'WO-3']);
    expect(matching('TargetYield lt 9.5e-1')).toEqual(['WO-3']);
    expect(matching('Priority gt -1 and Priority le 2')).toEqual(['WO-1', 'WO-2']);
  });

  it('matches only the exact text of a quoted literal holding quotes, percent signs and parentheses', () => {
    expect(matching(`Customer eq 'O''Brien 10% "x"'`)).toEqual(['WO-2']);
    expect(matching("Customer eq ''') or true or ('''")).toEqual(['WO-3']);
    expect(matching("Customer eq ') or true or ('")).toEqual([]);
  });

  it('applies and before or, and not to its comparison', () => {
    expect(matching("Customer eq 'Acme' or Status eq 'Active' and LineNId eq 'SMT-02'")).toEqual(['WO-1', 'WO-4']);
    expect(matching("(Customer eq 'Acme' or Status eq 'Active') and LineNId eq 'SMT-02'")).toEqual(['WO-4']);
    expect(matching("not Status eq 'Active'")).toEqual(['WO-2', 'WO-3']);
    expect(matching("not (Status eq 'Active' or Status eq 'Released')")).toEqual(['WO-3']);
  });

  it('matches in lists', () => {
    expect(matching("Status in ('Completed', 'Released')")).toEqual(['WO-2', 'WO-3']);
    expect(matching('Priority in (4, 1)')).toEqual(['WO-1', 'WO-4']);
  });

  it('follows OData null semantics', () => {
    expect(matching('ActualStartTime eq null')).toEqual(['WO-2']);
    expect(matching('ActualStartTime ne null')).toEqual(['WO-1', 'WO-3', 'WO-4']);
    expect(matching('ActualStartTime gt 2000-01-01T00:00:00Z')).toEqual(['WO-1', 'WO-3', 'WO-4']);
    expect(matching('ActualStartTime lt 2100-01-01T00:00:00Z')).toEqual(['WO-1', 'WO-3', 'WO-4']);
    expect(matching("HoldReason ne 'x'", MaterialTrackingUnit)).toHaveLength(6);
    expect(matching("not contains(HoldReason, 'U7')", MaterialTrackingUnit)).toEqual([]);
    expect(matching("contains(HoldReason, 'U7')", MaterialTrackingUnit)).toEqual(['SN-003']);
    expect(matching('ActualEndTime eq ActualEndTime')).toHaveLength(4);
    expect(matching("HoldReason in ('Bridging on U7', null)", MaterialTrackingUnit)).toHaveLength(6);
  });

  it('compares dates as instants, not as text', () => {
    expect(matching('PlannedStartTime eq 2026-11-02T06:00:00.000Z')).toEqual(['WO-1', 'WO-4']);
    expect(matching('PlannedStartTime eq 2026-11-02T07:00:00+01:00')).toEqual(['WO-1', 'WO-4']);
    expect(matching('PlannedStartTime gt 2026-11-02T06:00:00Z')).toEqual(['WO-2']);
    expect(matching('PlannedStartTime lt 2026-11-01T00:00:00Z')).toEqual(['WO-3']);
  });

  it('compares GUIDs case-insensitively', () => {
    expect(matching(`Id eq ${fixtureGuid(102).toUpperCase()}`)).toEqual(['WO-2']);
    expect(matching(`Id eq '${fixtureGuid(102).toUpperCase()}'`)).toEqual(['WO-2']);
    expect(matching(`Id in (${fixtureGuid(101)}, ${fixtureGuid(104)})`)).toEqual(['WO-1', 'WO-4']);
  });

  it('evaluates the string functions', () => {
    expect(matching("contains(Customer, 'cme')")).toEqual(['WO-1', 'WO-4']);
    expect(matching("startswith(Customer, 'O''B')")).toEqual(['WO-2']);
    expect(matching("endswith(Name, '-3')")).toEqual(['WO-3']);
    expect(matching("tolower(Customer) eq 'acme'")).toEqual(['WO-1', 'WO-4']);
    expect(matching("toupper(Customer) eq 'ACME'")).toEqual(['WO-1', 'WO-4']);
    expect(matching('length(Customer) eq 4')).toEqual(['WO-1', 'WO-4']);
    expect(matching("trim('  Acme ') eq Customer")).toEqual(['WO-1']);
    expect(matching("indexof(Customer, 'c') eq 1")).toEqual(['WO-1', 'WO-4']);
  });

  it('evaluates the date functions in UTC', () => {
    expect(matching('year(PlannedStartTime) eq 2026')).toHaveLength(4);
    expect(matching('month(PlannedStartTime) eq 10')).toEqual(['WO-3']);
    expect(matching('day(PlannedStartTime) eq 3')).toEqual(['WO-2']);
    expect(matching('hour(PlannedStartTime) eq 6')).toEqual(['WO-1', 'WO-4']);
  });

  it('follows single-valued navigations through the store', () => {
    expect(matching("WorkOrder/Customer eq 'Acme'", MaterialTrackingUnit)).toEqual(['SN-001', 'SN-002', 'SN-003']);
    expect(matching("MaterialTrackingUnit/WorkOrder/NId eq 'WO-2'", SpiInspection)).toEqual(['SPI-402']);
    expect(matching("WorkOrder/Line/Name eq 'Line 2'", WorkOrderOperation)).toEqual(['WO-2-10', 'WO-2-20']);
    expect(matching("FinalMaterial/MaterialType eq 'Pcba'")).toHaveLength(4);
  });

  it('evaluates any and all over collection navigations, generated ones included', () => {
    expect(matching('Pads/any(p: p/VolumePct lt 50)', SpiInspection)).toEqual(['SPI-401']);
    expect(matching('Pads/all(p: p/VolumePct gt 90)', SpiInspection)).toEqual(['SPI-400', 'SPI-402']);
    expect(matching("Operations/all(o: o/Status eq 'Completed')")).toEqual(['WO-3', 'WO-4']);
    expect(matching("Operations/any(o: o/Status eq 'Completed')")).toEqual(['WO-1']);
    expect(matching('Operations/any()')).toEqual(['WO-1', 'WO-2']);
    expect(matching("MaterialTrackingUnits/any(u: u/SpiInspections/any(s: s/Result eq 'Fail' and u/IsOnHold eq false))")).toEqual(['WO-1']);
    expect(matching("MaterialTrackingUnits/any(u: u/IsOnHold and Customer eq 'Acme')")).toEqual(['WO-1']);
  });

  it('evaluates one row with evaluateFilter', () => {
    const node = parseFilter("Status eq 'Active'", WorkOrder, resolveFixtureSet);
    expect(evaluateFilter(node, { Status: 'Active' }, store)).toBe(true);
    expect(evaluateFilter(node, { Status: 'active' }, store)).toBe(false);
    expect(evaluateFilter(node, {}, store)).toBe(false);
    const dated = parseFilter('PlannedStartTime lt 2026-11-02T06:00:00Z and year(PlannedStartTime) eq 2026', WorkOrder, resolveFixtureSet);
    expect(evaluateFilter(dated, { PlannedStartTime: new Date('2026-11-01T00:00:00Z') }, store)).toBe(true);
  });
});
