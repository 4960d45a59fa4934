import { findEntitySet, Equipment, Material, MaterialTrackingUnit, SpiInspection, SpiPadMeasurement, WorkOrder, WorkOrderOperation } from '../../model/entity-sets';
import type { EdmEntitySet } from '../../model/edm';
import { EntityStore, GeneratedEntitySource, StoredEntitySource, type Row } from '../store/entity-store';

/** A deterministic GUID for fixture row `n`. */
export function fixtureGuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Resolves entity sets for parsing, as the emulator does. */
export const resolveFixtureSet = (name: string): EdmEntitySet | undefined => findEntitySet(name);

const WORK_ORDERS: Row[] = [
  workOrder(1, 'WO-1', 'Active', 'SMT-01', 100, 'Acme', '2026-11-02T06:00:00Z', 0.98),
  workOrder(2, 'WO-2', 'Released', 'SMT-02', 50, `O'Brien 10% "x"`, '2026-11-03T08:30:00.000Z', 0.95),
  workOrder(3, 'WO-3', 'Completed', 'SMT-01', 250, "') or true or ('", '2026-10-30T22:15:00Z', 0.9),
  workOrder(4, 'WO-4', 'Active', 'SMT-02', 10, 'acme', '2026-11-02T07:00:00+01:00', 0.99),
];

function workOrder(n: number, nid: string, status: string, line: string, planned: number, customer: string, start: string, yieldTarget: number): Row {
  return {
    Id: fixtureGuid(100 + n),
    NId: nid,
    Name: `Order ${nid}`,
    Status: status,
    FinalMaterialNId: 'PCBA-1',
    FinalMaterialRevision: 'A',
    PlannedQuantity: planned,
    ProducedQuantity: 0,
    ScrappedQuantity: 0,
    TargetYield: yieldTarget,
    Priority: n,
    LineNId: line,
    PlannedStartTime: start,
    PlannedEndTime: '2026-11-10T00:00:00Z',
    ActualStartTime: status === 'Released' ? null : start,
    ActualEndTime: null,
    DueDate: '2026-11-20T00:00:00Z',
    Customer: customer,
    CreatedOn: '2026-10-01T00:00:00Z',
  };
}

/**
 * A small store over the real entity sets: 2 lines, 1 material, 4 work orders, 7 operations,
 * 6 boards, 3 SPI inspections and generated SPI pads (3 per inspection).
 */
export function createFixtureStore(): EntityStore {
  const store = new EntityStore();
  const equipment = new StoredEntitySource(Equipment);
  for (const [n, nid] of [[1, 'SMT-01'], [2, 'SMT-02']] as const) {
    equipment.insert({ Id: fixtureGuid(n), NId: nid, Name: `Line ${n}`, Description: '', Level: 'Line', EquipmentType: 'SmtLine', ParentId: null, ParentNId: null, LineNId: nid, Vendor: null, Model: null, Status: 'Available' });
  }
  const material = new StoredEntitySource(Material);
  material.insert({ Id: fixtureGuid(50), NId: 'PCBA-1', Revision: 'A', Name: 'Controller board', Description: '', MaterialType: 'Pcba', PackageType: null, PinCount: null, PitchUm: null, MoistureSensitivityLevel: null, FloorLifeHours: null, UnitOfMeasure: 'pcs' });
  const workOrders = new StoredEntitySource(WorkOrder);
  for (const row of WORK_ORDERS) workOrders.insert({ ...row });
  const operations = new StoredEntitySource(WorkOrderOperation);
  const steps = ['Print', 'SPI', 'Placement', 'Reflow', 'AOI'];
  steps.forEach((name, i) => operations.insert(operation(200 + i, WORK_ORDERS[0] as Row, name, (i + 1) * 10, i < 2 ? 'Completed' : 'NotStarted')));
  operations.insert(operation(210, WORK_ORDERS[1] as Row, 'Print', 10, 'NotStarted'));
  operations.insert(operation(211, WORK_ORDERS[1] as Row, 'SPI', 20, 'NotStarted'));
  const units = new StoredEntitySource(MaterialTrackingUnit);
  const unitOrders = [0, 0, 0, 1, 2, 3];
  unitOrders.forEach((wo, i) => units.insert(unit(300 + i, WORK_ORDERS[wo] as Row, i)));
  const inspections = new StoredEntitySource(SpiInspection);
  [0, 1, 3].forEach((u, i) => inspections.insert(inspection(400 + i, units.scan()[u] as Row, i === 1 ? 'Fail' : 'Pass')));
  store.add(equipment);
  store.add(material);
  store.add(workOrders);
  store.add(operations);
  store.add(units);
  store.add(inspections);
  store.add(new GeneratedEntitySource(SpiPadMeasurement, (field, value) => padsFor(inspections, field, value), (key) => padByKey(inspections, key)));
  return store;
}

function operation(n: number, wo: Row, name: string, sequence: number, status: string): Row {
  return { Id: fixtureGuid(n), NId: `${String(wo.NId)}-${sequence}`, Name: name, Sequence: sequence, WorkOrderId: wo.Id, WorkOrderNId: wo.NId, WorkCenterNId: `${String(wo.LineNId)}-WC`, Status: status, ProcessedQuantity: 0, ActualStartTime: null, ActualEndTime: null };
}

function unit(n: number, wo: Row, i: number): Row {
  return {
    Id: fixtureGuid(n),
    NId: `SN-${String(i + 1).padStart(3, '0')}`,
    MaterialNId: 'PCBA-1',
    MaterialRevision: 'A',
    UnitType: 'Board',
    WorkOrderId: wo.Id,
    WorkOrderNId: wo.NId,
    LineNId: wo.LineNId,
    PanelNId: null,
    Quantity: 1,
    Status: i === 4 ? 'Scrapped' : 'InProcess',
    IsOnHold: i === 2,
    HoldReason: i === 2 ? 'Bridging on U7' : null,
    CreatedOn: `2026-11-02T0${i}:00:00Z`,
    CompletedOn: null,
  };
}

function inspection(n: number, board: Row, result: string): Row {
  return {
    Id: fixtureGuid(n),
    NId: `SPI-${n}`,
    MaterialTrackingUnitId: board.Id,
    SerialNumber: board.NId,
    WorkOrderNId: board.WorkOrderNId,
    LineNId: board.LineNId,
    EquipmentNId: 'SPI-1',
    PrinterNId: 'PRN-1',
    StencilNId: 'STN-1',
    PrintsSinceWipe: n - 400,
    SqueegeeDirection: 'Front',
    InspectedOn: '2026-11-02T06:30:00Z',
    Shift: 'A',
    Result: result,
    PadCount: 3,
    FailedPadCount: result === 'Fail' ? 1 : 0,
  };
}

function padsFor(inspections: StoredEntitySource, field: string, value: unknown): Row[] {
  const parents = field === 'SpiInspectionId' ? inspections.lookup('Id', value) : inspections.lookup('SerialNumber', value);
  return (parents ?? []).flatMap((parent) => [1, 2, 3].map((pin) => pad(parent, pin)));
}

function padByKey(inspections: StoredEntitySource, key: unknown): Row | undefined {
  const [inspectionId, pin] = String(key).split('/');
  const parent = inspections.get(inspectionId);
  return parent ? pad(parent, Number(pin)) : undefined;
}

function pad(parent: Row, pin: number): Row {
  const failed = parent.Result === 'Fail' && pin === 2;
  return {
    Id: `${String(parent.Id)}/${pin}`,
    SpiInspectionId: parent.Id,
    SerialNumber: parent.SerialNumber,
    PadNId: `U7-${pin}`,
    ReferenceDesignator: 'U7',
    PinNumber: String(pin),
    PackageType: 'QFN-48',
    PadShape: 'Rectangle',
    PadSizeXUm: 250,
    PadSizeYUm: 800,
    PitchUm: 500,
    ApertureAreaRatio: 0.66,
    VolumePct: failed ? 42 : 90 + pin,
    AreaPct: 95,
    HeightUm: 120,
    OffsetXUm: 0,
    OffsetYUm: 0,
    Result: failed ? 'Fail' : 'Pass',
  };
}
