/**
 * The stages of a board as store changes and events. The history build applies every stage that
 * happened before the end of history; live production applies the rest, one step at a time. Both
 * go through `applyStage`, so history rows and live rows are built the same way.
 */
import type {
  AoiInspectionRow,
  MaterialConsumptionRow,
  MaterialTrackingUnitRow,
  SpiInspectionRow,
  TestRunRow,
} from '../model/entity-sets';
import type { BoardOutcome } from './board-sim';
import { iso, shiftOf } from './calendar';
import type { OpcenterEvent, PlacedComponent } from './events';
import { guidOf, hashString } from './prng';
import type { ProductModel } from './products';
import { spiEventMeasurements, spiPadRows } from './spi-pad-rows';
import { reelNid, stageBit, syncReels, type BoardRecord, type OrderState, type PlantState } from './state';

/** One stage of a board. */
export type Stage =
  | { readonly kind: 'start' }
  | { readonly kind: 'spi' }
  | { readonly kind: 'place' }
  | { readonly kind: 'aoi' }
  | { readonly kind: 'run'; readonly run: number }
  | { readonly kind: 'done' };

/** Where a stage's effects go. */
export interface StageSink {
  /** Live sinks want events and consumption rows; the history build counts consumption rows only. */
  readonly live: boolean;
  insert(set: string, row: Record<string, unknown>): void;
  update(set: string, row: Record<string, unknown>): void;
  event(build: (id: string) => OpcenterEvent): void;
}

const P_CONSUMPTION = hashString('consumption');

/** The stages of a board with their times, in time order. */
export function stagesOf(record: BoardRecord): { at: number; stage: Stage }[] {
  const out: { at: number; stage: Stage }[] = [{ at: record.ctx.startTime, stage: { kind: 'start' } }];
  if (record.spiId) out.push({ at: record.times.spi, stage: { kind: 'spi' } });
  if (record.ctx.line) out.push({ at: record.times.placed, stage: { kind: 'place' } });
  if (record.aoiId) out.push({ at: record.times.aoi, stage: { kind: 'aoi' } });
  record.runEnds.forEach((at, run) => out.push({ at, stage: { kind: 'run', run } }));
  out.push({ at: Math.max(record.times.done, ...record.runEnds), stage: { kind: 'done' } });
  return out;
}

const opIndex = (state: PlantState, order: OrderState, sequence: number): number =>
  order.plan.operations.findIndex((op) => op.sequence === sequence);

function processOp(state: PlantState, order: OrderState, sequence: number, at: number, sink: StageSink): void {
  const k = opIndex(state, order, sequence);
  const op = order.plan.operations[k];
  if (!op) return;
  order.opProcessed[k] = (order.opProcessed[k] as number) + 1;
  const changes: Record<string, unknown> = { Id: op.id, ProcessedQuantity: order.opProcessed[k] };
  if (order.opStart[k] === null) {
    order.opStart[k] = at;
    changes.Status = 'Active';
    changes.ActualStartTime = iso(at);
  }
  sink.update('WorkOrderOperation', changes);
}

/** The MTU row of a board as created (in process). */
export function mtuRow(state: PlantState, record: BoardRecord): MaterialTrackingUnitRow {
  const { ctx } = record;
  return {
    Id: record.mtuId,
    NId: ctx.serial,
    MaterialNId: ctx.product.spec.nid,
    MaterialRevision: ctx.product.spec.revision,
    UnitType: ctx.line ? 'Board' : 'BoxBuild',
    WorkOrderId: ctx.order.id,
    WorkOrderNId: ctx.order.nid,
    LineNId: ctx.order.lineNid,
    PanelNId: record.panelNid,
    Quantity: 1,
    Status: 'InProcess',
    IsOnHold: false,
    HoldReason: null,
    CreatedOn: iso(ctx.startTime),
    CompletedOn: null,
  };
}

const REFDES_CACHE = new WeakMap<ProductModel, string[]>();

function refdesOf(product: ProductModel): string[] {
  let cached = REFDES_CACHE.get(product);
  if (!cached) {
    cached = product.bomLines.map((b) => b.refdes.join(','));
    REFDES_CACHE.set(product, cached);
  }
  return cached;
}

/** The MaterialConsumption rows of one stage of a board ('start': PCB and box contents; 'place': components). */
export function consumptionRows(state: PlantState, record: BoardRecord, stage: 'start' | 'place'): MaterialConsumptionRow[] {
  const { ctx } = record;
  const { product, order } = ctx;
  const book = state.env.lots;
  const rows: MaterialConsumptionRow[] = [];
  const at = iso(stage === 'start' ? ctx.startTime : record.times.placed);
  if (!ctx.line) {
    if (stage !== 'start') return rows;
    const op = order.operations[0]?.nid ?? '';
    (record.children ?? []).forEach((child, k) => {
      const c = state.boards[child] as BoardRecord;
      rows.push({
        Id: guidOf(state.seed, P_CONSUMPTION, ctx.index, 100 + k),
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        WorkOrderNId: order.nid,
        OperationNId: op,
        MaterialNId: c.ctx.product.spec.nid,
        MaterialLotNId: null,
        ReelNId: null,
        ConsumedSerialNumber: c.ctx.serial,
        ReferenceDesignators: `A${k + 1}`,
        Quantity: 1,
        EquipmentNId: state.env.layout.boxStation,
        ConsumedOn: at,
      });
    });
    for (let b = 0; b < ctx.reels.length; b++) {
      const lot = book.lotOfReel(ctx.reels[b] as number);
      rows.push({
        Id: guidOf(state.seed, P_CONSUMPTION, ctx.index, b),
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        WorkOrderNId: order.nid,
        OperationNId: op,
        MaterialNId: (book.supplies[lot.material] as { nid: string }).nid,
        MaterialLotNId: lot.nid,
        ReelNId: null,
        ConsumedSerialNumber: null,
        ReferenceDesignators: null,
        Quantity: boxHardwareQuantity(b),
        EquipmentNId: state.env.layout.boxStation,
        ConsumedOn: at,
      });
    }
    return rows;
  }
  const setup = state.env.setups[ctx.line.index]?.[product.index];
  const refdes = refdesOf(product);
  const from = stage === 'start' ? 0 : 1;
  const to = stage === 'start' ? 1 : product.bomLines.length;
  for (let b = from; b < to; b++) {
    const reel = ctx.reels[b] as number;
    const lot = book.lotOfReel(reel);
    const bom = product.bomLines[b];
    const machine = setup?.machine[b] ?? -1;
    const supply = book.supplies[lot.material];
    rows.push({
      Id: guidOf(state.seed, P_CONSUMPTION, ctx.index, b),
      MaterialTrackingUnitId: record.mtuId,
      SerialNumber: ctx.serial,
      WorkOrderNId: order.nid,
      OperationNId: order.operations[b === 0 ? 0 : 1]?.nid ?? '',
      MaterialNId: bom?.part ?? '',
      MaterialLotNId: lot.nid,
      ReelNId: supply?.emitsReels ? reelNid(state, reel) : null,
      ConsumedSerialNumber: null,
      ReferenceDesignators: b === 0 ? null : (refdes[b] ?? null),
      Quantity: bom?.quantity ?? 1,
      EquipmentNId: b === 0 || machine < 0 ? ctx.line.printer : (setup?.machineNids[machine] ?? ''),
      ConsumedOn: at,
    });
  }
  return rows;
}

/** Parts of box hardware line `b` per unit. */
export function boxHardwareQuantity(b: number): number {
  return b === 0 ? 1 : 8;
}

function emitConsumption(state: PlantState, record: BoardRecord, stage: 'start' | 'place', sink: StageSink): void {
  const { ctx } = record;
  const book = state.env.lots;
  syncReels(state);
  const lines: number[] = [];
  if (ctx.line) {
    if (stage === 'start') lines.push(0);
    else for (let b = 1; b < ctx.product.bomLines.length; b++) lines.push(b);
  } else if (stage === 'start') {
    for (let b = 0; b < ctx.reels.length; b++) lines.push(b);
  }
  const touchedLots = new Set<number>();
  for (const b of lines) {
    const reel = ctx.reels[b] as number;
    const quantity = ctx.line ? (ctx.product.bomLines[b]?.quantity ?? 1) : boxHardwareQuantity(b);
    state.reelReported[reel] = (state.reelReported[reel] as number) - quantity;
    touchedLots.add(book.reelLot[reel] as number);
    if (sink.live && book.supplies[book.lotOfReel(reel).material]?.emitsReels) {
      sink.update('Reel', { Id: reelId(state, reel), Quantity: state.reelReported[reel] });
    }
  }
  state.counts.consumptionRows = (state.counts.consumptionRows ?? 0) + lines.length + (stage === 'start' ? (record.children?.length ?? 0) : 0);
  if (!sink.live) return;
  for (const lot of touchedLots) sink.update('MaterialLot', { Id: lotId(state, lot), Quantity: lotQuantity(state, lot) });
  for (const row of consumptionRows(state, record, stage)) {
    sink.insert('MaterialConsumption', row);
    sink.event((id) => ({
      id,
      eventType: 'MaterialConsumed',
      timestamp: row.ConsumedOn,
      workOrderId: row.WorkOrderNId,
      serialNumber: row.SerialNumber,
      materialId: row.MaterialNId,
      lotId: row.MaterialLotNId,
      ...(row.ReelNId !== null ? { reelId: row.ReelNId } : {}),
      ...(row.ConsumedSerialNumber !== null ? { consumedSerialNumber: row.ConsumedSerialNumber } : {}),
      quantity: row.Quantity,
    }));
  }
}

const P_LOT = hashString('lot-row');
const P_REEL = hashString('reel-row');

/** The Id of a lot row. */
export function lotId(state: PlantState, lot: number): string {
  return guidOf(state.seed, P_LOT, lot);
}

/** The Id of a reel row. */
export function reelId(state: PlantState, reel: number): string {
  return guidOf(state.seed, P_REEL, reel);
}

/** A lot's quantity as reported: the sum of its reels. */
export function lotQuantity(state: PlantState, lot: number): number {
  syncReels(state);
  const rec = state.env.lots.lots[lot];
  let total = 0;
  for (const r of rec?.reels ?? []) total += state.reelReported[r] as number;
  return total;
}

/** Applies one stage of a board: inserts, updates and events. */
export function applyStage(state: PlantState, record: BoardRecord, outcome: BoardOutcome, stage: Stage, at: number, sink: StageSink): void {
  const { ctx } = record;
  const order = state.orders[ctx.order.index] as OrderState;
  const line = ctx.line;
  record.applied |= stage.kind === 'run' ? stageBit('run', stage.run) : stageBit(stage.kind);
  switch (stage.kind) {
    case 'start': {
      if (order.status === 'Released') {
        order.status = 'Active';
        order.actualStart = at;
        sink.update('WorkOrder', { Id: order.plan.id, Status: 'Active', ActualStartTime: iso(at) });
        sink.event((id) => ({
          id,
          eventType: 'WorkOrderStarted',
          timestamp: iso(at),
          workOrderId: order.plan.nid,
          lineId: order.plan.lineNid,
          productId: ctx.product.spec.nid,
          plannedQuantity: order.plan.quantity,
        }));
      }
      sink.insert('MaterialTrackingUnit', mtuRow(state, record));
      for (const child of record.children ?? []) {
        const c = state.boards[child] as BoardRecord;
        sink.update('MaterialTrackingUnit', { Id: c.mtuId, Status: 'Consumed' });
      }
      emitConsumption(state, record, 'start', sink);
      processOp(state, order, 10, at, sink);
      return;
    }
    case 'spi': {
      if (!line || !record.spiId || !ctx.stencil) return;
      const row: SpiInspectionRow = {
        Id: record.spiId,
        NId: `${ctx.serial}-SPI`,
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        WorkOrderNId: ctx.order.nid,
        LineNId: line.nid,
        EquipmentNId: line.spi,
        PrinterNId: line.printer,
        StencilNId: ctx.stencil.nid,
        PrintsSinceWipe: outcome.printsSinceWipe,
        SqueegeeDirection: outcome.squeegee,
        InspectedOn: iso(at),
        Shift: shiftOf(at),
        Result: outcome.spiFailedPads > 0 ? 'Fail' : 'Pass',
        PadCount: outcome.padCount,
        FailedPadCount: outcome.spiFailedPads,
      };
      sink.insert('SpiInspection', row);
      sink.event((id) => ({
        id,
        eventType: 'SpiMeasurementsUploaded',
        timestamp: row.InspectedOn,
        workOrderId: row.WorkOrderNId,
        serialNumber: row.SerialNumber,
        inspectionId: row.Id,
        machineId: row.EquipmentNId,
        lineId: row.LineNId,
        result: row.Result,
        padCount: row.PadCount,
        failedPadCount: row.FailedPadCount,
        measurements: spiEventMeasurements(row, spiPadRows(state, record)),
      }));
      return;
    }
    case 'place': {
      if (!line) return;
      emitConsumption(state, record, 'place', sink);
      processOp(state, order, 20, at, sink);
      if (sink.live) emitPlacementEvents(state, record, at, sink);
      return;
    }
    case 'aoi': {
      if (!line || !record.aoiId || !outcome.aoi) return;
      const aoi = outcome.aoi;
      const row: AoiInspectionRow = {
        Id: record.aoiId,
        NId: `${ctx.serial}-AOI`,
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        WorkOrderNId: ctx.order.nid,
        LineNId: line.nid,
        EquipmentNId: line.aoi,
        InspectedOn: iso(at),
        Result: aoi.calls.length > 0 ? 'Fail' : 'Pass',
        ComponentCount: ctx.product.components.length,
        DefectCallCount: aoi.calls.length,
        ConfirmedDefectCount: aoi.confirmed,
      };
      sink.insert('AoiInspection', row);
      processOp(state, order, 30, at, sink);
      processOp(state, order, 40, at, sink);
      sink.event((id) => ({
        id,
        eventType: 'AoiInspectionDone',
        timestamp: row.InspectedOn,
        workOrderId: row.WorkOrderNId,
        serialNumber: row.SerialNumber,
        inspectionId: row.Id,
        machineId: row.EquipmentNId,
        lineId: row.LineNId,
        result: row.Result,
        defectCallCount: row.DefectCallCount,
      }));
      return;
    }
    case 'run': {
      const run = outcome.runs[stage.run];
      const runId = record.runIds[stage.run];
      if (!run || !runId) return;
      const row: TestRunRow = {
        Id: runId,
        NId: `${ctx.serial}-${run.type}-${run.attempt}`,
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        WorkOrderNId: ctx.order.nid,
        TestType: run.type,
        EquipmentNId: run.station,
        FixtureNId: run.fixture,
        ProgramVersion: run.program,
        FirmwareVersion: run.firmware,
        Attempt: run.attempt,
        StartedOn: iso(at - run.durationSeconds * 1000),
        DurationSeconds: run.durationSeconds,
        Result: run.failures.length > 0 ? 'Fail' : 'Pass',
        StepCount: run.stepCount,
        FailedStepCount: run.failures.length,
      };
      sink.insert('TestRun', row);
      if (run.attempt === 1) processOp(state, order, line ? (run.type === 'ICT' ? 50 : 60) : 20, at, sink);
      sink.event((id) => ({
        id,
        eventType: 'TestRunDone',
        timestamp: iso(at),
        workOrderId: row.WorkOrderNId,
        serialNumber: row.SerialNumber,
        testRunId: row.Id,
        testType: row.TestType,
        machineId: row.EquipmentNId,
        fixtureId: row.FixtureNId,
        result: row.Result,
        failedStepCount: row.FailedStepCount,
      }));
      return;
    }
    case 'done': {
      sink.update('MaterialTrackingUnit', { Id: record.mtuId, Status: record.scrapped ? 'Scrapped' : 'Completed', CompletedOn: iso(at) });
      order.finished++;
      if (record.scrapped) order.scrapped++;
      else order.produced++;
      const orderChanges: Record<string, unknown> = { Id: order.plan.id, ProducedQuantity: order.produced, ScrappedQuantity: order.scrapped };
      if (order.finished >= order.plan.quantity) {
        order.status = 'Completed';
        order.actualEnd = at;
        orderChanges.Status = 'Completed';
        orderChanges.ActualEndTime = iso(at);
        order.plan.operations.forEach((op) => sink.update('WorkOrderOperation', { Id: op.id, Status: 'Completed', ActualEndTime: iso(at) }));
        sink.update('WorkOrder', orderChanges);
        sink.event((id) => ({
          id,
          eventType: 'WorkOrderCompleted',
          timestamp: iso(at),
          workOrderId: order.plan.nid,
          producedQuantity: order.produced,
          scrappedQuantity: order.scrapped,
        }));
      } else {
        sink.update('WorkOrder', orderChanges);
      }
      return;
    }
  }
}

function emitPlacementEvents(state: PlantState, record: BoardRecord, at: number, sink: StageSink): void {
  const { ctx } = record;
  if (!ctx.line) return;
  const setup = state.env.setups[ctx.line.index]?.[ctx.product.index];
  if (!setup) return;
  const book = state.env.lots;
  const perMachine = setup.machineNids.map((): PlacedComponent[] => []);
  for (const comp of ctx.product.components) {
    const b = comp.bomLine;
    const reel = ctx.reels[b] as number;
    const lot = book.lotOfReel(reel);
    perMachine[setup.machine[b] as number]?.push({
      referenceDesignator: comp.refdes,
      materialId: comp.part.nid,
      lotId: lot.nid,
      reelId: reelNid(state, reel),
      feederSlot: setup.slot[b] as number,
      nozzleId: setup.nozzle[b] as string,
    });
  }
  const d = new Date(at);
  const datePath = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  setup.machineNids.forEach((machine, m) => {
    const componentList = perMachine[m] ?? [];
    if (componentList.length === 0) return;
    sink.event((id) => ({
      id,
      eventType: 'PlacementComplete',
      timestamp: iso(at),
      workOrderId: ctx.order.nid,
      operationId: ctx.order.operations[1]?.nid ?? '',
      machineId: machine,
      serialNumber: ctx.serial,
      imageReference: `img://${machine}/${datePath}/${ctx.serial}.jpg`,
      componentList,
    }));
  });
}
