/**
 * Builds the plant's history: plans the orders, starts every board printed before the end of
 * history in time order, runs the box builds, and records every stage that happened by then.
 */
import type { BoardOutcome, SimEnv } from './board-sim';
import { startBoard, startBoxUnit } from './boards';
import { HOUR } from './calendar';
import { createLayout } from './equipment';
import { createSupplies, LineSideStock, LotBook, type LotDesignation } from './lots';
import { MechanismSchedule, type ForcedEpisodes } from './mechanisms';
import { makeOrder, planLineOrders, type OrderPlan, type ScaleProfile } from './orders';
import { createSetup } from './placement';
import { hash3, hashString, rngFor, unitOf } from './prng';
import { BOX_BUILD, buildProductModel, PRODUCTS } from './products';
import { applyStage, stagesOf, type StageSink } from './stages';
import type { BoardRecord, OrderState, PlantState } from './state';
import { createStencil, type StencilModel } from './stencils';
import { createFixtures, type FixtureModel } from './tests-ict-fct';
import { operationRows, workOrderRow } from './master-rows';

/** The plant sizes. */
export type PlantScale = 'small' | 'medium' | 'large';

/** Lines, history length and order sizes per scale. */
export const SCALES: Readonly<Record<PlantScale, ScaleProfile & { boxEveryHours: number; boxQuantity: readonly [number, number] }>> = {
  small: { lines: 2, historyHours: 40, quantity: [60, 200], gapHours: [2.5, 6], scaleDownReels: true, boxEveryHours: 12, boxQuantity: [20, 50] },
  medium: { lines: 4, historyHours: 96, quantity: [80, 500], gapHours: [0.5, 2.5], scaleDownReels: false, boxEveryHours: 10, boxQuantity: [60, 160] },
  large: { lines: 8, historyHours: 24 * 10, quantity: [150, 500], gapHours: [0.3, 1.2], scaleDownReels: false, boxEveryHours: 8, boxQuantity: [100, 250] },
};

/** Stored rows per entity set, with an id map for the sets that stages update. */
export interface RowStore {
  readonly sets: Map<string, Record<string, unknown>[]>;
  readonly byId: Map<string, Record<string, unknown>>;
}

const UPDATED_SETS = new Set(['WorkOrder', 'WorkOrderOperation', 'MaterialTrackingUnit']);

/** A sink that writes history stages into the row store. */
export function historySink(store: RowStore): StageSink {
  const setOf = (name: string): Record<string, unknown>[] => {
    let rows = store.sets.get(name);
    if (!rows) store.sets.set(name, (rows = []));
    return rows;
  };
  return {
    live: false,
    insert(set, row) {
      setOf(set).push(row);
      if (UPDATED_SETS.has(set)) store.byId.set(row.Id as string, row);
    },
    update(_set, row) {
      const target = store.byId.get(row.Id as string);
      if (target) Object.assign(target, row);
    },
    event() {},
  };
}

function newOrderState(plan: OrderPlan): OrderState {
  return {
    plan,
    status: 'Released',
    created: 0,
    finished: 0,
    produced: 0,
    scrapped: 0,
    actualStart: null,
    actualEnd: null,
    opProcessed: plan.operations.map(() => 0),
    opStart: plan.operations.map(() => null),
  };
}

/** Registers an order in the state and inserts its rows through the sink. */
export function addOrder(state: PlantState, plan: OrderPlan, sink: StageSink): OrderState {
  const order = newOrderState(plan);
  state.orders.push(order);
  sink.insert('WorkOrder', workOrderRow(state, plan));
  for (const row of operationRows(plan)) sink.insert('WorkOrderOperation', row);
  return order;
}

/** Builds the compact state of a plant and applies its history up to `end`. */
export function buildHistory(seed: number, scale: PlantScale, end: number, store: RowStore): PlantState {
  const profile = SCALES[scale];
  const start = end - profile.historyHours * HOUR;
  const layout = createLayout(seed, profile.lines);
  const products = PRODUCTS.map((spec, i) => buildProductModel(spec, i));
  const pcbas = products.filter((p) => p.spec.materialType === 'Pcba');
  const plan = planLineOrders(seed, layout.lines, products, profile, end);

  const usage = new Map<string, number>();
  const plannedBoards = products.map(() => 0);
  for (const order of plan.orders) {
    if (order.plannedStart >= end) continue;
    const product = products[order.product];
    if (!product) continue;
    plannedBoards[order.product] = (plannedBoards[order.product] ?? 0) + order.quantity;
    for (const bom of product.bomLines) usage.set(bom.part, (usage.get(bom.part) ?? 0) + bom.quantity * order.quantity);
  }
  const boxes = Math.min(plannedBoards[0] ?? 0, plannedBoards[1] ?? 0) / 2;
  for (const hw of BOX_BUILD.hardware) usage.set(hw.nid, boxes * hw.quantity);
  const supplies = createSupplies(seed, usage, profile.scaleDownReels);
  const designate = (material: string, fraction: number, kind: LotDesignation['kind']): LotDesignation => {
    const supply = supplies.find((s) => s.nid === material);
    const perLot = (supply?.perCarrier ?? 1) * (supply?.carrier === 'Tray' ? 3 : 2);
    const expected = (usage.get(material) ?? 0) / perLot;
    return { material, kind, ordinal: Math.max(1, Math.min(Math.floor(expected) - 1, Math.floor(expected * fraction))) };
  };
  const designations = [designate('R-0402-4K7', 0.45, 'OutOfTolerance'), designate('U-SOC-A53', 0.55, 'FloorLifeExceeded')];
  const lots = new LotBook(seed, supplies, designations);

  const stencils: (StencilModel | null)[][] = [];
  let stencilCount = 0;
  for (const line of layout.lines) {
    stencils.push(products.map((p) => (p.spec.materialType === 'Pcba' ? createStencil(seed, stencilCount++, p, line.index, line.nid) : null)));
  }
  const fixtureList = createFixtures(seed, products, layout.ictStations, plannedBoards);
  const env: SimEnv = {
    seed,
    products,
    layout,
    schedule: new MechanismSchedule(seed, forcedEpisodes(plan.orders, start, end, layout.lines.length), layout.lines.map((l) => l.placers.length), pcbas.length),
    lots,
    setups: layout.lines.map((line) => products.map((p) => createSetup(p, line))),
    fixtures: products.map((p) => fixtureList.filter((f: FixtureModel) => f.product === p.index)),
  };
  const state: PlantState = {
    seed,
    end,
    start,
    profile,
    env,
    orders: [],
    boards: [],
    stencils,
    fixtureList,
    stock: new LineSideStock(lots),
    serialIndex: new Map(),
    idIndex: new Map(),
    serialCounters: products.map(() => 0),
    reelReported: new Int32Array(1024),
    reelsSynced: 0,
    reelNids: [],
    nextOrderSlot: plan.nextSlot,
    counts: { consumptionRows: 0, boards: 0 },
  };
  const sink = historySink(store);
  for (const order of plan.orders) addOrder(state, order, sink);

  const drafts: { order: OrderPlan; k: number; at: number }[] = [];
  for (const order of plan.orders) {
    const product = products[order.product];
    if (!product) continue;
    for (let k = 0; k < order.quantity; k++) {
      const panel = Math.floor(k / product.spec.panelSize);
      const at = order.plannedStart + panel * order.panelIntervalMs + 0.1 * order.panelIntervalMs * unitOf(hash3(seed, order.index, panel));
      if (at > end) break;
      drafts.push({ order, k, at });
    }
  }
  drafts.sort((a, b) => a.at - b.at || a.order.index - b.order.index || a.k - b.k);
  for (const d of drafts) {
    const { record, outcome } = startBoard(state, d.order, d.k, d.at, false);
    (state.orders[d.order.index] as OrderState).created++;
    applyUntil(state, record, outcome, end, sink);
  }
  buildBoxOrders(state, scale, sink);
  return state;
}

/** Places one episode of each mechanism in the middle of an order that runs at a chosen point of the history. */
function forcedEpisodes(orders: readonly OrderPlan[], start: number, end: number, lines: number): ForcedEpisodes {
  const mid = (o: OrderPlan): number => (o.plannedStart + Math.min(o.plannedEnd, end)) / 2;
  const near = (line: number, fraction: number): OrderPlan => {
    const target = start + fraction * (end - start);
    const candidates = orders.filter((o) => (line < 0 || o.line === line) && o.plannedStart < end - HOUR);
    candidates.sort((a, b) => Math.abs(mid(a) - target) - Math.abs(mid(b) - target));
    const order = candidates[0];
    if (!order) throw new Error('no order to place a mechanism episode in');
    return order;
  };
  const firmwareOrder = near(-1, 0.55);
  return {
    excess: { line: 0, at: mid(near(0, 0.45)) },
    drift: { line: Math.min(1, lines - 1), at: mid(near(Math.min(1, lines - 1), 0.65)) },
    feeder: { line: 0, at: mid(near(0, 0.3)) },
    firmware: { station: 0, at: mid(firmwareOrder) + HOUR, product: firmwareOrder.product },
  };
}

/** Applies the stages of a board that happened by `until`. */
export function applyUntil(state: PlantState, record: BoardRecord, outcome: BoardOutcome, until: number, sink: StageSink): void {
  for (const { at, stage } of stagesOf(record)) if (at <= until) applyStage(state, record, outcome, stage, at, sink);
}

const P_BOX = hashString('box-order');

function buildBoxOrders(state: PlantState, scale: PlantScale, sink: StageSink): void {
  const profile = SCALES[scale];
  const box = state.env.products.find((p) => p.spec.nid === BOX_BUILD.product);
  if (!box) return;
  const pools = BOX_BUILD.boards.map((nid) =>
    state.boards
      .filter((b) => b.ctx.product.spec.nid === nid && !b.scrapped && b.times.done <= state.end)
      .sort((a, b) => a.times.done - b.times.done),
  );
  const next = pools.map(() => 0);
  const interval = 150_000;
  for (let t = state.start + 14 * HOUR, slot = 0; t < state.end - 6 * HOUR; t += profile.boxEveryHours * HOUR, slot++) {
    const rng = rngFor(state.seed, P_BOX, slot);
    const available = pools.map((pool, i) => {
      let n = 0;
      for (let j = next[i] as number; j < pool.length && (pool[j] as BoardRecord).times.done <= t; j++) n++;
      return n;
    });
    const quantity = Math.min(rng.int(profile.boxQuantity[0], profile.boxQuantity[1]), ...available);
    if (quantity < 5) continue;
    const plan = makeOrder(state.seed, state.orders.length, box, null, quantity, t, interval);
    addOrder(state, plan, sink);
    for (let u = 0; u < quantity; u++) {
      const children = pools.map((pool, i) => (pool[(next[i] as number) + u] as BoardRecord).ctx.index);
      const { record, outcome } = startBoxUnit(state, plan, t + u * interval, children, false);
      (state.orders[plan.index] as OrderState).created++;
      applyUntil(state, record, outcome, state.end, sink);
    }
    pools.forEach((_, i) => (next[i] = (next[i] as number) + quantity));
  }
}
