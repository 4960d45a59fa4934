/**
 * The plant: its stored rows, the rows it generates on demand, its ground truth and its live
 * production, behind the interface the emulator uses.
 */
import type { PlacementRecordRow, SpiPadMeasurementRow, TestStepRow } from '../model/entity-sets';
import { aoiRows } from './aoi';
import { simulateBoard, type BoardOutcome } from './board-sim';
import { iso } from './calendar';
import type { BoardTruth, TrueDefect } from './ground-truth';
import { buildHistory, type PlantScale, type RowStore } from './history';
import { createLiveProduction, type LiveProduction } from './live';
import { avlRows, bomRows, lotRow, materialRows, reelRows } from './master-rows';
import { hashString, rngFor } from './prng';
import { spiPadRows } from './spi-pad-rows';
import { consumptionRows } from './stages';
import { reelNid, stageBit, type BoardRecord, type PlantState } from './state';
import { stencilRow } from './stencils';
import { fctStepRows, fixtureRow, ictStepRows } from './tests-ict-fct';

export type { PlantScale } from './history';

/** How to build a plant. */
export interface PlantOptions {
  /** Seed of every random choice; the same seed gives the same plant. */
  seed: number;
  /** small: 2 lines, ~1,500 boards; medium: 4 lines, ~20,000; large: 8 lines, 100,000+. */
  scale: PlantScale;
  /** ISO time the history ends; default '2026-11-20T06:00:00Z'. */
  endTime?: string;
}

/** A simulated plant. */
export interface Plant {
  readonly options: Required<PlantOptions>;
  /** Stored rows per entity set name (every set except the four generated ones), as of the end of history. */
  rows(setName: string): readonly Record<string, unknown>[];
  /** Rows of a generated set for one partition field value; [] when unknown. */
  generate(setName: string, field: string, value: unknown): readonly Record<string, unknown>[];
  /** One generated row by its key, or undefined. */
  generatedByKey(setName: string, key: string): Record<string, unknown> | undefined;
  /** Ground truth of one board (never served through OData). */
  groundTruth(serialNumber: string): BoardTruth | undefined;
  /** All ground truth, board by board. */
  allGroundTruth(): Iterable<BoardTruth>;
  /** Live production from the end of history onward. */
  startLive(options: { rate: number }): LiveProduction;
  /** Counts for logs and benchmarks. */
  stats(): Record<string, number>;
}

/** The generated (partitioned) sets. */
export const GENERATED_SETS = ['SpiPadMeasurement', 'AoiComponentResult', 'TestStep', 'PlacementRecord'] as const;

const STORED_SETS = [
  'Equipment',
  'WorkOrder',
  'WorkOrderOperation',
  'MaterialTrackingUnit',
  'Stencil',
  'Material',
  'MaterialLot',
  'Reel',
  'BillOfMaterials',
  'BillOfMaterialsItem',
  'ApprovedVendorPart',
  'SpiInspection',
  'AoiInspection',
  'NonConformance',
  'TestRun',
  'TestFixture',
  'MaterialConsumption',
  'AuditTrailEntry',
  'ElectronicSignature',
];

const P_STEPS = hashString('test-steps');
const DEFAULT_END = '2026-11-20T06:00:00Z';
/** Pad rows kept for recently read boards (about 150 boards of the largest product). */
const PAD_CACHE_ROWS = 160_000;

/** Builds a plant and its history. */
export function createPlant(options: PlantOptions): Plant {
  const resolved: Required<PlantOptions> = { seed: options.seed, scale: options.scale, endTime: options.endTime ?? DEFAULT_END };
  const end = Date.parse(resolved.endTime);
  if (Number.isNaN(end)) throw new RangeError(`endTime is not an ISO time: ${resolved.endTime}`);
  const store: RowStore = { sets: new Map(STORED_SETS.map((s) => [s, []])), byId: new Map() };
  const state = buildHistory(resolved.seed >>> 0, resolved.scale, end, store);
  finishMasterRows(state, store);
  store.byId.clear();
  return new SimulatedPlant(resolved, state, store);
}

function finishMasterRows(state: PlantState, store: RowStore): void {
  const { env, seed } = state;
  const set = (name: string, rows: readonly Record<string, unknown>[]): void => void store.sets.set(name, [...rows]);
  set('Equipment', env.layout.equipment);
  set('Material', materialRows(seed, env.products));
  const { boms, items } = bomRows(seed, env.products);
  set('BillOfMaterials', boms);
  set('BillOfMaterialsItem', items);
  set('ApprovedVendorPart', avlRows(state));
  // Stock received and not yet opened: the lots live production draws next.
  env.lots.supplies.forEach((supply) => {
    if (supply.emitsReels) env.lots.receiveLot(supply.index, state.end);
  });
  set('MaterialLot', env.lots.lots.map((lot) => lotRow(state, lot)));
  set('Reel', env.lots.lots.flatMap((lot) => reelRows(state, lot)));
  const lastProduct = env.layout.lines.map((line) => {
    const running = state.orders.filter((o) => o.plan.line === line.index && o.created > 0);
    return running[running.length - 1]?.plan.product ?? -1;
  });
  const stencils = state.stencils.flatMap((row, l) =>
    row.flatMap((s) => (s ? [stencilRow(s, env.products[s.product] as (typeof env.products)[number], lastProduct[l] === s.product)] : [])),
  );
  set('Stencil', stencils);
  set('TestFixture', state.fixtureList.map((f) => fixtureRow(f, env.products[f.product] as (typeof env.products)[number])));
}

class SimulatedPlant implements Plant {
  private consumption: Record<string, unknown>[] | null = null;
  private readonly recent = new Map<number, BoardOutcome>();
  /**
   * Pad rows of recently read boards, least recently used first, up to PAD_CACHE_ROWS rows: a read
   * of many boards' pads pages through the same boards once per page, and re-simulating each board
   * for every page made such reads grow with the square of their size.
   */
  private readonly recentPads = new Map<number, readonly SpiPadMeasurementRow[]>();
  private recentPadRows = 0;

  constructor(
    readonly options: Required<PlantOptions>,
    private readonly state: PlantState,
    private readonly store: RowStore,
  ) {}

  rows(setName: string): readonly Record<string, unknown>[] {
    if (setName === 'MaterialConsumption') return (this.consumption ??= this.buildConsumption());
    return this.store.sets.get(setName) ?? [];
  }

  private buildConsumption(): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    const end = this.state.end;
    for (const record of this.state.boards) {
      if (record.ctx.live) break;
      if (record.ctx.startTime <= end) for (const row of consumptionRows(this.state, record, 'start')) rows.push(row);
      if (record.ctx.line && record.times.placed <= end) for (const row of consumptionRows(this.state, record, 'place')) rows.push(row);
    }
    return rows;
  }

  private boardOf(field: string, value: unknown): BoardRecord | undefined {
    if (typeof value !== 'string') return undefined;
    const index = field === 'SerialNumber' ? this.state.serialIndex.get(value) : this.state.idIndex.get(value);
    return index === undefined ? undefined : this.state.boards[index];
  }

  private outcomeOf(record: BoardRecord): BoardOutcome {
    const cached = this.recent.get(record.ctx.index);
    if (cached) return cached;
    const outcome = simulateBoard(this.state.env, record.ctx);
    if (this.recent.size >= 64) this.recent.delete(this.recent.keys().next().value as number);
    this.recent.set(record.ctx.index, outcome);
    return outcome;
  }

  generate(setName: string, field: string, value: unknown): readonly Record<string, unknown>[] {
    const record = this.boardOf(field, value);
    if (!record) return [];
    const { ctx } = record;
    const done = (bit: number): boolean => (record.applied & bit) !== 0;
    switch (setName) {
      case 'SpiPadMeasurement':
        if ((field !== 'SpiInspectionId' && field !== 'SerialNumber') || !record.spiId || !done(stageBit('spi'))) return [];
        if (field === 'SpiInspectionId' && value !== record.spiId) return [];
        return this.cachedPadRows(record);
      case 'AoiComponentResult': {
        if ((field !== 'AoiInspectionId' && field !== 'SerialNumber') || !record.aoiId || !done(stageBit('aoi'))) return [];
        if (field === 'AoiInspectionId' && value !== record.aoiId) return [];
        const aoi = this.outcomeOf(record).aoi;
        return aoi ? aoiRows(ctx.product, record.aoiId, ctx.serial, aoi) : [];
      }
      case 'TestStep': {
        if (field !== 'TestRunId' && field !== 'SerialNumber') return [];
        const outcome = this.outcomeOf(record);
        const rows: TestStepRow[] = [];
        outcome.runs.forEach((run, k) => {
          const runId = record.runIds[k] as string;
          if ((field === 'TestRunId' && runId !== value) || !done(stageBit('run', k))) return;
          const rng = rngFor(this.state.seed, P_STEPS, ctx.index, k);
          rows.push(...(run.type === 'ICT' ? ictStepRows(ctx.product, runId, ctx.serial, run, rng) : fctStepRows(ctx.product, runId, ctx.serial, run, rng)));
        });
        return rows;
      }
      case 'PlacementRecord':
        if ((field !== 'MaterialTrackingUnitId' && field !== 'SerialNumber') || !ctx.line || !done(stageBit('place'))) return [];
        return this.placementRows(record);
      default:
        return [];
    }
  }

  private cachedPadRows(record: BoardRecord): readonly SpiPadMeasurementRow[] {
    const key = record.ctx.index;
    const cached = this.recentPads.get(key);
    if (cached) {
      this.recentPads.delete(key);
      this.recentPads.set(key, cached);
      return cached;
    }
    const rows = this.padRows(record);
    this.recentPads.set(key, rows);
    this.recentPadRows += rows.length;
    for (const [oldest, old] of this.recentPads) {
      if (this.recentPadRows <= PAD_CACHE_ROWS || oldest === key) break;
      this.recentPads.delete(oldest);
      this.recentPadRows -= old.length;
    }
    return rows;
  }

  private padRows(record: BoardRecord): SpiPadMeasurementRow[] {
    return spiPadRows(this.state, record);
  }

  private placementRows(record: BoardRecord): PlacementRecordRow[] {
    const { ctx } = record;
    const line = ctx.line;
    const setup = line ? this.state.env.setups[line.index]?.[ctx.product.index] : undefined;
    if (!setup) return [];
    const outcome = this.outcomeOf(record);
    const book = this.state.env.lots;
    return ctx.product.components.map((comp, i) => {
      const b = comp.bomLine;
      const reel = ctx.reels[b] as number;
      const machine = setup.machine[b] as number;
      return {
        Id: `${record.mtuId}:${i}`,
        MaterialTrackingUnitId: record.mtuId,
        SerialNumber: ctx.serial,
        ReferenceDesignator: comp.refdes,
        MaterialNId: comp.part.nid,
        MaterialLotNId: book.lotOfReel(reel).nid,
        ReelNId: reelNid(this.state, reel),
        EquipmentNId: setup.machineNids[machine] ?? '',
        FeederSlot: setup.slot[b] as number,
        NozzleNId: setup.nozzle[b] as string,
        PickAttempts: outcome.pickAttempts[i] as number,
        PlacedOn: iso(record.times.placed - (setup.machineNids.length - 1 - machine) * 20_000),
      };
    });
  }

  generatedByKey(setName: string, key: string): Record<string, unknown> | undefined {
    const cut = key.lastIndexOf(':');
    if (cut < 0) return undefined;
    const parent = key.slice(0, cut);
    const field = { SpiPadMeasurement: 'SpiInspectionId', AoiComponentResult: 'AoiInspectionId', TestStep: 'TestRunId', PlacementRecord: 'MaterialTrackingUnitId' }[setName];
    if (!field) return undefined;
    return this.generate(setName, field, parent).find((row) => row.Id === key);
  }

  groundTruth(serialNumber: string): BoardTruth | undefined {
    const index = this.state.serialIndex.get(serialNumber);
    const record = index === undefined ? undefined : this.state.boards[index];
    return record ? this.truthOf(record) : undefined;
  }

  private truthOf(record: BoardRecord): BoardTruth {
    const { ctx } = record;
    const outcome = simulateBoard(this.state.env, ctx);
    const defects: TrueDefect[] = outcome.defects.map((d) => ({
      referenceDesignator: ctx.product.components[d.component]?.refdes ?? 'UNIT',
      ...(d.pad >= 0 ? { padNId: ctx.product.padNId[d.pad] as string } : {}),
      defectType: d.type,
      mechanism: d.mechanism,
      visibleToSpi: d.visibleToSpi,
      detectedBy: d.detectedBy,
    }));
    return { serialNumber: ctx.serial, workOrderNId: ctx.order.nid, lineNId: ctx.order.lineNid, defects, firstPassYield: outcome.firstPassYield };
  }

  *allGroundTruth(): Iterable<BoardTruth> {
    for (const record of this.state.boards) yield this.truthOf(record);
  }

  startLive(options: { rate: number }): LiveProduction {
    return createLiveProduction(this.state, options.rate);
  }

  stats(): Record<string, number> {
    const boards = this.state.boards;
    const smt = boards.filter((b) => b.ctx.line !== null).length;
    const size = (name: string): number => this.store.sets.get(name)?.length ?? 0;
    return {
      boards: smt,
      boxBuilds: boards.length - smt,
      orders: this.state.orders.length,
      lots: this.state.env.lots.lots.length,
      reels: this.state.env.lots.reelCount,
      consumptionRows: this.state.counts.consumptionRows ?? 0,
      spiInspections: size('SpiInspection'),
      aoiInspections: size('AoiInspection'),
      testRuns: size('TestRun'),
      padMeasurements: boards.reduce((n, b) => n + (b.spiId ? b.ctx.product.padCount : 0), 0),
      materialTrackingUnits: size('MaterialTrackingUnit'),
    };
  }
}
