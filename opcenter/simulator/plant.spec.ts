import { createHash } from 'node:crypto';
import { ENTITY_SETS } from '../model/entity-sets';
import { createPlant, GENERATED_SETS, type Plant } from './index';
import { rowProblems } from './row-check';

const STORED = ENTITY_SETS.filter((s) => !(GENERATED_SETS as readonly string[]).includes(s.name));

function digest(plant: Plant): string {
  const hash = createHash('sha256');
  for (const set of STORED) for (const row of plant.rows(set.name)) hash.update(JSON.stringify(row));
  const spi = plant.rows('SpiInspection');
  for (const row of spi.slice(0, 20)) hash.update(JSON.stringify(plant.generate('SpiPadMeasurement', 'SpiInspectionId', row.Id)));
  return hash.digest('hex');
}

describe('createPlant', () => {
  let plant: Plant;
  let buildMs: number;

  beforeAll(() => {
    const t0 = Date.now();
    plant = createPlant({ seed: 42, scale: 'small' });
    buildMs = Date.now() - t0;
  });

  it('builds a small plant in under two seconds', () => {
    expect(buildMs).toBeLessThan(2000);
    const stats = plant.stats();
    expect(stats.boards).toBeGreaterThan(1000);
    expect(stats.boards).toBeLessThan(2500);
    expect(stats.consumptionRows).toBe(plant.rows('MaterialConsumption').length);
    expect(plant.options).toEqual({ seed: 42, scale: 'small', endTime: '2026-11-20T06:00:00Z' });
  });

  it('gives identical rows for the same seed and different rows for another seed', () => {
    const again = createPlant({ seed: 42, scale: 'small' });
    const other = createPlant({ seed: 43, scale: 'small' });
    const d = digest(plant);
    expect(digest(again)).toBe(d);
    expect(digest(other)).not.toBe(d);
  });

  it('serves every stored set with exactly the properties and types of the model', () => {
    for (const set of STORED) {
      const problems = plant.rows(set.name).flatMap((row) => rowProblems(set, row));
      expect(problems.slice(0, 5)).toEqual([]);
    }
  });

  it('generates rows that match the model for every generated set', () => {
    const sets = Object.fromEntries(ENTITY_SETS.map((s) => [s.name, s]));
    const mtu = plant.rows('MaterialTrackingUnit').filter((u) => u.UnitType === 'Board').slice(0, 15);
    for (const unit of mtu) {
      for (const name of GENERATED_SETS) {
        const rows = plant.generate(name, 'SerialNumber', unit.NId);
        expect(rows.length).toBeGreaterThan(0);
        const set = sets[name];
        if (!set) throw new Error(name);
        expect(rows.flatMap((r) => rowProblems(set, r)).slice(0, 5)).toEqual([]);
      }
    }
  });

  it('keeps every reference between rows pointing at an existing row', () => {
    const ids = (set: string, field = 'Id'): Set<unknown> => new Set(plant.rows(set).map((r) => r[field]));
    const check = (set: string, field: string, target: Set<unknown>, nullable = false): void => {
      const bad = plant.rows(set).filter((r) => !(nullable && r[field] === null) && !target.has(r[field]));
      expect(bad.slice(0, 3).map((r) => `${set}.${field}=${String(r[field])}`)).toEqual([]);
    };
    const equipmentId = ids('Equipment');
    const equipmentNId = ids('Equipment', 'NId');
    const materialNId = ids('Material', 'NId');
    const orderId = ids('WorkOrder');
    const orderNId = ids('WorkOrder', 'NId');
    const mtuId = ids('MaterialTrackingUnit');
    const serial = ids('MaterialTrackingUnit', 'NId');
    const lotNId = ids('MaterialLot', 'NId');
    check('Equipment', 'ParentId', equipmentId, true);
    check('Equipment', 'ParentNId', equipmentNId, true);
    check('WorkOrder', 'FinalMaterialNId', materialNId);
    check('WorkOrder', 'LineNId', equipmentNId);
    check('WorkOrderOperation', 'WorkOrderId', orderId);
    check('WorkOrderOperation', 'WorkOrderNId', orderNId);
    check('WorkOrderOperation', 'WorkCenterNId', equipmentNId);
    check('MaterialTrackingUnit', 'WorkOrderId', orderId);
    check('MaterialTrackingUnit', 'MaterialNId', materialNId);
    check('MaterialTrackingUnit', 'LineNId', equipmentNId);
    check('Stencil', 'MaterialNId', materialNId);
    check('Stencil', 'LineNId', equipmentNId);
    check('MaterialLot', 'MaterialNId', materialNId);
    check('Reel', 'MaterialLotId', ids('MaterialLot'));
    check('Reel', 'MaterialLotNId', lotNId);
    check('Reel', 'MaterialNId', materialNId);
    check('BillOfMaterials', 'MaterialNId', materialNId);
    check('BillOfMaterialsItem', 'BillOfMaterialsId', ids('BillOfMaterials'));
    check('BillOfMaterialsItem', 'MaterialNId', materialNId);
    check('ApprovedVendorPart', 'MaterialNId', materialNId);
    for (const set of ['SpiInspection', 'AoiInspection', 'TestRun']) {
      check(set, 'MaterialTrackingUnitId', mtuId);
      check(set, 'SerialNumber', serial);
      check(set, 'WorkOrderNId', orderNId);
      check(set, 'EquipmentNId', equipmentNId);
    }
    check('SpiInspection', 'StencilNId', ids('Stencil', 'NId'));
    check('SpiInspection', 'PrinterNId', equipmentNId);
    check('TestRun', 'FixtureNId', ids('TestFixture', 'NId'), true);
    check('TestFixture', 'MaterialNId', materialNId);
    check('TestFixture', 'StationNId', equipmentNId);
    check('MaterialConsumption', 'MaterialTrackingUnitId', mtuId);
    check('MaterialConsumption', 'WorkOrderNId', orderNId);
    check('MaterialConsumption', 'OperationNId', ids('WorkOrderOperation', 'NId'));
    check('MaterialConsumption', 'MaterialNId', materialNId);
    check('MaterialConsumption', 'MaterialLotNId', lotNId, true);
    check('MaterialConsumption', 'ReelNId', ids('Reel', 'NId'), true);
    check('MaterialConsumption', 'ConsumedSerialNumber', serial, true);
    check('MaterialConsumption', 'EquipmentNId', equipmentNId);
    const lotOfReel = new Map(plant.rows('Reel').map((r) => [r.NId, r.MaterialLotNId]));
    const mismatched = plant.rows('MaterialConsumption').filter((c) => c.ReelNId !== null && lotOfReel.get(c.ReelNId) !== c.MaterialLotNId);
    expect(mismatched).toHaveLength(0);
  });

  it('records one consumption row per BOM line per board and consumes lots of one part in receiving order', () => {
    const items = plant.rows('BillOfMaterialsItem');
    const bomOf = new Map(plant.rows('BillOfMaterials').map((b) => [b.Id, b.MaterialNId]));
    const linesPerProduct = new Map<unknown, number>();
    for (const item of items) linesPerProduct.set(bomOf.get(item.BillOfMaterialsId), (linesPerProduct.get(bomOf.get(item.BillOfMaterialsId)) ?? 0) + 1);
    const perUnit = new Map<unknown, number>();
    for (const c of plant.rows('MaterialConsumption')) perUnit.set(c.SerialNumber, (perUnit.get(c.SerialNumber) ?? 0) + 1);
    const completed = plant.rows('MaterialTrackingUnit').filter((u) => u.Status === 'Completed' || u.Status === 'Consumed');
    for (const unit of completed.slice(0, 200)) expect(perUnit.get(unit.NId)).toBe(linesPerProduct.get(unit.MaterialNId));
    const lots = new Map(plant.rows('MaterialLot').map((l) => [l.NId, l]));
    const order = plant.rows('WorkOrder').find((o) => o.Status === 'Completed' && o.FinalMaterialNId === 'GW-MB-100');
    const used = new Set(plant.rows('MaterialConsumption').filter((c) => c.WorkOrderNId === order?.NId && c.MaterialNId === 'C-0201-100N').map((c) => c.MaterialLotNId));
    expect(used.size).toBeGreaterThan(1);
    for (const nid of used) {
      const lot = lots.get(nid);
      expect(Date.parse(String(lot?.ReceivedOn))).toBeLessThan(Date.parse(String(order?.ActualStartTime)) + 24 * 3600e3);
    }
  });

  it('keeps order statuses and quantities consistent with their boards', () => {
    const units = plant.rows('MaterialTrackingUnit');
    for (const order of plant.rows('WorkOrder')) {
      const mine = units.filter((u) => u.WorkOrderId === order.Id);
      const produced = mine.filter((u) => u.Status === 'Completed' || u.Status === 'Consumed').length;
      expect(order.ProducedQuantity).toBe(produced);
      expect(order.ScrappedQuantity).toBe(mine.filter((u) => u.Status === 'Scrapped').length);
      if (order.Status === 'Completed') expect(produced + (order.ScrappedQuantity as number)).toBe(order.PlannedQuantity);
      if (order.Status === 'Released') expect(mine).toHaveLength(0);
    }
    const statuses = new Set(plant.rows('WorkOrder').map((o) => o.Status));
    expect([...statuses].sort()).toEqual(['Active', 'Completed', 'Released']);
    const unitStatuses = new Set(units.map((u) => u.Status));
    for (const s of ['Completed', 'Consumed', 'InProcess']) expect(unitStatuses.has(s)).toBe(true);
  });

  it('marks a test step Fail exactly when its measured value lies outside its limits', () => {
    const runs = plant.rows('TestRun');
    const sample = [...runs.slice(0, 300), ...runs.filter((run) => run.Result === 'Fail')];
    const inconsistent: unknown[] = [];
    let checked = 0;
    for (const run of sample) {
      for (const step of plant.generate('TestStep', 'TestRunId', run.Id)) {
        const { MeasuredValue: value, LowLimit: low, HighLimit: high } = step as Record<string, number | null>;
        if (value === null || low === null || high === null || value === undefined) continue;
        checked += 1;
        if ((value >= (low as number) && value <= (high as number)) !== (step.Result === 'Pass')) inconsistent.push(step);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(inconsistent.slice(0, 3)).toEqual([]);
  });

  it('builds PCBAs of 150 to 450 reference designators and 600 to 2,000 pads', () => {
    const items = plant.rows('BillOfMaterialsItem').filter((i) => String(i.BillOfMaterialsNId).startsWith('BOM-') && i.ReferenceDesignators !== '');
    const perBom = new Map<unknown, number>();
    for (const i of items) perBom.set(i.BillOfMaterialsNId, (perBom.get(i.BillOfMaterialsNId) ?? 0) + String(i.ReferenceDesignators).split(',').length);
    for (const nid of ['BOM-GW-MB-100-C', 'BOM-MD-PWR-200-B', 'BOM-SN-ENV-300-A']) {
      expect(perBom.get(nid)).toBeGreaterThanOrEqual(150);
      expect(perBom.get(nid)).toBeLessThanOrEqual(450);
    }
    for (const spi of plant.rows('SpiInspection').slice(0, 50)) {
      expect(spi.PadCount).toBeGreaterThanOrEqual(600);
      expect(spi.PadCount).toBeLessThanOrEqual(2000);
    }
  });
});
