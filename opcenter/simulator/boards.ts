/**
 * Starting boards and box builds: serial numbers, panel positions, the stencil print, the reels
 * that feed them, the test stations they go to. Boards are started in time order, so stencil
 * counters, reel stock and fixture cycles advance as they would on the floor.
 */
import { simulateBoard, type BoardContext, type BoardOutcome } from './board-sim';
import { yymmdd } from './calendar';
import type { OrderPlan } from './orders';
import { guidOf, hashString, rngFor } from './prng';
import { BOX_BUILD } from './products';
import type { BoardRecord, PlantState } from './state';

const P_MTU = hashString('mtu');
const P_SPI = hashString('spi');
const P_AOI_ID = hashString('aoi-id');
const P_RUN = hashString('run');
const P_STATION = hashString('station');

/** The id of test run `run` of board `board`. */
export function runIdOf(seed: number, board: number, run: number): string {
  return guidOf(seed, P_RUN, board, run);
}

function nextSerial(state: PlantState, order: OrderPlan): string {
  const product = state.env.products[order.product];
  const n = (state.serialCounters[order.product] ?? 0) + 1;
  state.serialCounters[order.product] = n;
  return `${product?.spec.serialPrefix ?? 'SN'}${yymmdd(order.plannedStart)}${String(n).padStart(6, '0')}`;
}

/** Panel print counter per (order, panel), so the boards of one panel share a print. */
const panelPrints = new WeakMap<PlantState, Map<number, number>>();

function finishRecord(state: PlantState, ctx: BoardContext, panelNid: string | null, children: number[] | null): { record: BoardRecord; outcome: BoardOutcome } {
  const outcome = simulateBoard(state.env, ctx);
  const runIds = outcome.runs.map((_, k) => runIdOf(state.seed, ctx.index, k));
  const record: BoardRecord = {
    ctx,
    mtuId: guidOf(state.seed, P_MTU, ctx.index),
    spiId: ctx.line ? guidOf(state.seed, P_SPI, ctx.index) : null,
    aoiId: ctx.line ? guidOf(state.seed, P_AOI_ID, ctx.index) : null,
    runIds,
    runEnds: outcome.runs.map((r) => r.start + Math.round(r.durationSeconds * 1000)),
    times: outcome.times,
    scrapped: outcome.scrapped,
    panelNid,
    children,
    consumedBy: -1,
    applied: 0,
  };
  state.boards.push(record);
  state.serialIndex.set(ctx.serial, ctx.index);
  state.idIndex.set(record.mtuId, ctx.index);
  if (record.spiId) state.idIndex.set(record.spiId, ctx.index);
  if (record.aoiId) state.idIndex.set(record.aoiId, ctx.index);
  for (const id of runIds) state.idIndex.set(id, ctx.index);
  if (ctx.line) {
    const fixtures = state.env.fixtures[ctx.product.index] ?? [];
    for (const run of outcome.runs) {
      if (run.type !== 'ICT') continue;
      const f = fixtures.find((x) => x.nid === run.fixture);
      if (f) f.cycles++;
    }
  }
  state.counts.boards = (state.counts.boards ?? 0) + 1;
  return { record, outcome };
}

/** Starts board `k` of an SMT order at `printTime`. */
export function startBoard(state: PlantState, order: OrderPlan, k: number, printTime: number, live: boolean): { record: BoardRecord; outcome: BoardOutcome } {
  const product = state.env.products[order.product];
  const line = state.env.layout.lines[order.line];
  const stencil = state.stencils[order.line]?.[order.product];
  if (!product || !line || !stencil) throw new Error(`order ${order.nid} has no line, product or stencil`);
  const index = state.boards.length;
  const panel = Math.floor(k / product.spec.panelSize);
  const position = k % product.spec.panelSize;
  let prints = panelPrints.get(state);
  if (!prints) panelPrints.set(state, (prints = new Map()));
  const panelKey = order.index * 4096 + panel;
  let printCount = prints.get(panelKey);
  if (printCount === undefined) {
    printCount = stencil.printCount++;
    prints.set(panelKey, printCount);
  }
  if (position === product.spec.panelSize - 1) prints.delete(panelKey);
  const reels = new Int32Array(product.bomLines.length);
  const book = state.env.lots;
  product.bomLines.forEach((bom, b) => {
    reels[b] = state.stock.take(line.index, book.materialIndex(bom.part), bom.quantity, printTime);
  });
  const rng = rngFor(state.seed, P_STATION, index);
  const fixtures = state.env.fixtures[product.index] ?? [];
  const ctx: BoardContext = {
    index,
    serial: nextSerial(state, order),
    order,
    product,
    line,
    stencil,
    printCount,
    panelPosition: position,
    startTime: printTime,
    live,
    reels,
    ictStation: rng.int(0, state.env.layout.ictStations.length - 1),
    ictCycles: fixtures.map((f) => f.cycles),
    fctStation: rng.int(0, state.env.layout.fctStations.length - 1),
  };
  return finishRecord(state, ctx, `${order.nid}-P${String(panel + 1).padStart(3, '0')}`, null);
}

/** Starts unit `k` of a box-build order at `time`, consuming the given boards. */
export function startBoxUnit(state: PlantState, order: OrderPlan, time: number, children: number[], live: boolean): { record: BoardRecord; outcome: BoardOutcome } {
  const product = state.env.products[order.product];
  if (!product) throw new Error(`order ${order.nid} has no product`);
  const index = state.boards.length;
  const book = state.env.lots;
  const boxLine = state.env.layout.lines.length;
  const reels = Int32Array.from(BOX_BUILD.hardware, (hw) => state.stock.take(boxLine, book.materialIndex(hw.nid), hw.quantity, time));
  const rng = rngFor(state.seed, P_STATION, index);
  const ctx: BoardContext = {
    index,
    serial: nextSerial(state, order),
    order,
    product,
    line: null,
    stencil: null,
    printCount: 0,
    panelPosition: 0,
    startTime: time,
    live,
    reels,
    ictStation: 0,
    ictCycles: [],
    fctStation: rng.int(0, state.env.layout.fctStations.length - 1),
  };
  for (const child of children) {
    const c = state.boards[child];
    if (c) c.consumedBy = index;
  }
  return finishRecord(state, ctx, null, children);
}
