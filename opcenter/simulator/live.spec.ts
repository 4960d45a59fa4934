import { ENTITY_SETS } from '../model/entity-sets';
import { createPlant, EVENT_TYPES, type LiveStep, type Plant } from './index';
import { rowProblems } from './row-check';

type Row = Record<string, unknown>;

function storeOf(plant: Plant): Map<string, Map<unknown, Row>> {
  const store = new Map<string, Map<unknown, Row>>();
  for (const set of ENTITY_SETS) store.set(set.name, new Map(plant.rows(set.name).map((r) => [r.Id, { ...r }])));
  return store;
}

describe('live production', () => {
  let plant: Plant;
  let steps: LiveStep[];
  let store: Map<string, Map<unknown, Row>>;

  beforeAll(() => {
    plant = createPlant({ seed: 42, scale: 'small' });
    store = storeOf(plant);
    const live = plant.startLive({ rate: 1 });
    steps = Array.from({ length: 3000 }, () => live.next());
  });

  it('steps forward in simulated time from the end of history', () => {
    const times = steps.map((s) => Date.parse(s.at));
    expect(times[0]).toBeGreaterThan(Date.parse('2026-11-20T06:00:00Z'));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
  });

  it('applies inserts and updates that keep the store consistent', () => {
    const sets = Object.fromEntries(ENTITY_SETS.map((s) => [s.name, s]));
    for (const step of steps) {
      for (const change of step.changes) {
        const rows = store.get(change.set);
        const set = sets[change.set];
        if (!rows || !set) throw new Error(`unknown set ${change.set}`);
        if (change.kind === 'insert') {
          expect(rowProblems(set, change.row)).toEqual([]);
          expect(rows.has(change.row.Id)).toBe(false);
          rows.set(change.row.Id, { ...change.row });
        } else {
          const target = rows.get(change.row.Id);
          expect(target).toBeDefined();
          Object.assign(target as Row, change.row);
          expect(rowProblems(set, target as Row)).toEqual([]);
        }
      }
    }
    const has = (set: string, field: string, value: unknown) => [...(store.get(set)?.values() ?? [])].some((r) => r[field] === value);
    const inserted = steps.flatMap((s) => s.changes.filter((c) => c.kind === 'insert'));
    for (const { set, row } of inserted.filter((c) => c.set === 'MaterialConsumption').slice(0, 300)) {
      expect(store.get('MaterialTrackingUnit')?.has(row.MaterialTrackingUnitId)).toBe(true);
      if (row.MaterialLotNId !== null) expect(has('MaterialLot', 'NId', row.MaterialLotNId)).toBe(true);
      if (row.ReelNId !== null) expect(has('Reel', 'NId', row.ReelNId)).toBe(true);
      expect(set).toBe('MaterialConsumption');
    }
    for (const { row } of inserted.filter((c) => c.set === 'MaterialTrackingUnit')) expect(store.get('WorkOrder')?.has(row.WorkOrderId)).toBe(true);
    for (const { row } of inserted.filter((c) => c.set === 'SpiInspection' || c.set === 'TestRun')) {
      expect(store.get('MaterialTrackingUnit')?.has(row.MaterialTrackingUnitId)).toBe(true);
    }
  });

  it('emits every kind of event with unique ids, after the changes of its step', () => {
    const events = steps.flatMap((s) => s.events);
    const ids = new Set(events.map((e) => e.id));
    expect(ids.size).toBe(events.length);
    expect(new Set(events.map((e) => e.eventType))).toEqual(new Set(EVENT_TYPES));
    const spiEvent = events.find((e) => e.eventType === 'SpiMeasurementsUploaded');
    const step = steps.find((s) => s.events.includes(spiEvent as never));
    expect(step?.changes.some((c) => c.set === 'SpiInspection' && c.row.Id === (spiEvent as { inspectionId: string }).inspectionId)).toBe(true);
  });

  it('registers live boards in the plant for generated rows and ground truth', () => {
    const units = steps.flatMap((s) => s.changes.filter((c) => c.kind === 'insert' && c.set === 'MaterialTrackingUnit'));
    const last = units[units.length - 40]?.row as Row;
    expect(plant.groundTruth(last.NId as string)).toBeDefined();
    const spi = steps.flatMap((s) => s.changes).find((c) => c.set === 'SpiInspection' && c.row.SerialNumber === last.NId)?.row as Row;
    const pads = plant.generate('SpiPadMeasurement', 'SpiInspectionId', spi.Id);
    expect(pads).toHaveLength(spi.PadCount as number);
    expect(pads.filter((p) => p.Result === 'Fail')).toHaveLength(spi.FailedPadCount as number);
  });

  it('replays the same sequence for the same seed', () => {
    const again = createPlant({ seed: 42, scale: 'small' }).startLive({ rate: 1 });
    const replay = Array.from({ length: 300 }, () => again.next());
    expect(JSON.stringify(replay)).toBe(JSON.stringify(steps.slice(0, 300)));
  });

  it('gives a run that ends its history at another time other event ids, so ingest takes none for a replay', () => {
    const later = createPlant({ seed: 42, scale: 'small', endTime: '2026-11-20T07:00:00Z' }).startLive({ rate: 1 });
    const laterIds = new Set(Array.from({ length: 300 }, () => later.next()).flatMap((step) => step.events.map((e) => e.id)));
    const ids = steps.slice(0, 300).flatMap((step) => step.events.map((e) => e.id));
    expect(laterIds.size).toBeGreaterThan(100);
    expect(ids.filter((id) => laterIds.has(id))).toEqual([]);
  });
});
