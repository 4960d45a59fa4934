/**
 * The `yield-predictor` dataset: completed production orders of a simulated plant, each seen at
 * several points of its run (after 10 %, 25 %, 50 %, 75 % and 90 % of its boards started) with
 * only the rows Opcenter held at that time, labelled with the order's final first-pass yield.
 */
import type { Row } from '../../opcenter/client';
import { computeYieldFeatures, EQUIPMENT_WINDOW, toYieldOrderInput, type YieldOrderRows } from '../features/yield-features';
import { finalFirstPassYield } from '../yield-predictor/first-pass-yield';
import { createDatasetPlant, splitOf, type ConfirmedDatasetSpec, type DatasetPlant, type DatasetSpec, type Split } from './spi-dataset';

/** The dataset the committed `yield-predictor` was trained on. */
export const YIELD_DATASET: ConfirmedDatasetSpec = {
  seed: 42,
  scale: 'large',
  endTime: '2026-11-20T06:00:00Z',
  heldOutLine: 'L8',
  trainUntil: 0.55,
  calibrationUntil: 0.7,
  confirmationSeed: 43,
};

/** Share of an order's planned boards started at each snapshot. */
export const YIELD_CHECKPOINTS = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

/** One order at one checkpoint. */
export interface YieldSample {
  readonly split: Split;
  readonly orderId: string;
  readonly lineId: string;
  readonly productId: string;
  readonly checkpoint: number;
  /** When the snapshot was taken: its latest board's start (epoch ms). */
  readonly asOf: number;
  /** When the order completed (`actualEndTime`, epoch ms): its label is known from then on. */
  readonly completedAt: number;
  readonly features: Float32Array;
  /** The order's final first-pass yield (0..1). */
  readonly label: number;
}

/** A row with its time (epoch ms). */
export interface Timed {
  readonly at: number;
  readonly row: Row;
}

function groupByOrder(data: DatasetPlant, set: string, concept: string, timeField: string): Map<string, Timed[]> {
  const groups = new Map<string, Timed[]>();
  for (const stored of data.plant.rows(set)) {
    const row = data.source.logical(concept, stored);
    const list = groups.get(String(row.workOrderId)) ?? [];
    list.push({ at: Date.parse(String(row[timeField])), row });
    groups.set(String(row.workOrderId), list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.at - b.at);
  return groups;
}

function upTo(list: readonly Timed[] | undefined, asOf: number): Row[] {
  const out: Row[] = [];
  for (const item of list ?? []) {
    if (item.at > asOf) break;
    out.push(item.row);
  }
  return out;
}

/**
 * The simulator's rows of every order, indexed by order and time, so the Opcenter rows of any order
 * as of any time can be cut out (what `loadYieldOrderRows` reads from Opcenter at serving time).
 */
export class SimulatorOrderHistory {
  private readonly boards: Map<string, Timed[]>;
  private readonly spi: Map<string, Timed[]>;
  private readonly aoi: Map<string, Timed[]>;
  private readonly tests: Map<string, Timed[]>;
  private readonly lots: Map<string, Row>;
  private readonly consumptionBySerial = new Map<string, Row[]>();
  /** First-attempt runs per ICT fixture and per FCT station, in time order, for the equipment features. */
  private readonly equipmentRuns = new Map<string, Timed[]>();

  constructor(readonly data: DatasetPlant) {
    this.boards = groupByOrder(data, 'MaterialTrackingUnit', 'board', 'createdOn');
    this.spi = groupByOrder(data, 'SpiInspection', 'spiInspection', 'inspectedOn');
    this.aoi = groupByOrder(data, 'AoiInspection', 'aoiInspection', 'inspectedOn');
    this.tests = groupByOrder(data, 'TestRun', 'testRun', 'startedOn');
    this.lots = new Map(data.plant.rows('MaterialLot').map((lot) => [String(lot.NId), data.source.logical('materialLot', lot)]));
    for (const stored of data.plant.rows('MaterialConsumption')) {
      if (stored.MaterialLotNId === null) continue;
      const serial = String(stored.SerialNumber);
      const list = this.consumptionBySerial.get(serial) ?? [];
      list.push(stored);
      this.consumptionBySerial.set(serial, list);
    }
    for (const list of this.tests.values()) {
      for (const item of list) {
        if (item.row.attempt !== 1) continue;
        const key = item.row.testType === 'ICT' ? `ICT:${String(item.row.fixtureId)}` : `FCT:${String(item.row.equipmentId)}`;
        const runs = this.equipmentRuns.get(key) ?? [];
        runs.push(item);
        this.equipmentRuns.set(key, runs);
      }
    }
    for (const runs of this.equipmentRuns.values()) runs.sort((a, b) => a.at - b.at);
  }

  /** The order's boards in the order they started. */
  boardsOf(orderId: string): readonly Timed[] {
    return this.boards.get(orderId) ?? [];
  }

  /** The order's final first-pass yield (see finalFirstPassYield). */
  finalYieldOf(orderId: string): number {
    const rows = (list: readonly Timed[] | undefined): Row[] => (list ?? []).map((t) => t.row);
    return finalFirstPassYield(rows(this.boardsOf(orderId)), rows(this.aoi.get(orderId)), rows(this.tests.get(orderId)));
  }

  private latestRuns(key: string, asOf: number): Row[] {
    const runs = this.equipmentRuns.get(key) ?? [];
    let hi = runs.length;
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((runs[mid] as Timed).at <= asOf) lo = mid + 1;
      else hi = mid;
    }
    return runs.slice(Math.max(0, lo - EQUIPMENT_WINDOW), lo).map((t) => t.row);
  }

  /** The rows Opcenter held about `order` (logical names) at `asOf`, its latest board being `latest`. */
  rowsAt(order: Row, asOf: number, latest: Timed): YieldOrderRows {
    const orderId = String(order.id);
    const testsSoFar = upTo(this.tests.get(orderId), asOf);
    const used = (type: string, field: string): string[] => [
      ...new Set(testsSoFar.filter((t) => t.testType === type).map((t) => `${type}:${String(t[field])}`)),
    ];
    const lotIds = new Set((this.consumptionBySerial.get(String(latest.row.serialNumber)) ?? []).map((c) => String(c.MaterialLotNId)));
    return {
      workOrder: order,
      boardsStarted: upTo(this.boardsOf(orderId), asOf).length,
      spiInspections: upTo(this.spi.get(orderId), asOf),
      aoiInspections: upTo(this.aoi.get(orderId), asOf),
      testRuns: testsSoFar,
      lotsInUse: [...lotIds].map((id) => this.lots.get(id)).filter((lot): lot is Row => lot !== undefined),
      ictFixtureRuns: used('ICT', 'fixtureId').map((key) => this.latestRuns(key, asOf)),
      fctStationRuns: used('FCT', 'equipmentId').map((key) => this.latestRuns(key, asOf)),
      asOf,
    };
  }
}

/** Every snapshot of every completed order in the wanted splits. */
export function* iterateYieldSamples(spec: DatasetSpec, wanted: ReadonlySet<Split>, data = createDatasetPlant(spec)): Generator<YieldSample> {
  const history = new SimulatorOrderHistory(data);
  for (const stored of data.plant.rows('WorkOrder')) {
    if (stored.Status !== 'Completed') continue;
    const order = data.source.logical('workOrder', stored);
    const orderId = String(order.id);
    const lineId = String(order.lineId);
    const split = splitOf(spec, data.window, lineId, Date.parse(String(order.actualStartTime)));
    if (!wanted.has(split)) continue;
    const orderBoards = history.boardsOf(orderId);
    if (orderBoards.length === 0) continue;
    const label = history.finalYieldOf(orderId);
    const productId = String(order.finalMaterialId);
    const completedAt = Date.parse(String(order.actualEndTime));

    for (const checkpoint of YIELD_CHECKPOINTS) {
      const started = Math.max(1, Math.round(checkpoint * Number(order.plannedQuantity)));
      const latest = orderBoards[Math.min(started, orderBoards.length) - 1] as Timed;
      const input = toYieldOrderInput(history.rowsAt(order, latest.at, latest));
      yield { split, orderId, lineId, productId, checkpoint, asOf: latest.at, completedAt, features: computeYieldFeatures(input), label };
    }
  }
}
