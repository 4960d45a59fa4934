/**
 * Production planning: orders per SMT line, back to back with changeovers and idle gaps, each one
 * product and 50–500 boards; box-build orders in the box cell. Orders are planned from the seed
 * alone, so the board count of a history is known before any board is simulated.
 */
import { DAY, HOUR, MINUTE } from './calendar';
import type { LineLayout } from './equipment';
import { guidOf, hashString, rngFor } from './prng';
import type { ProductModel } from './products';

/** One routing step of an order. */
export interface OperationPlan {
  readonly id: string;
  readonly nid: string;
  readonly name: string;
  readonly sequence: number;
  readonly workCenter: string;
}

/** One planned production order. */
export interface OrderPlan {
  readonly index: number;
  readonly id: string;
  readonly nid: string;
  readonly product: number;
  /** Line index, or -1 for the box-build cell. */
  readonly line: number;
  readonly lineNid: string;
  readonly quantity: number;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  /** Time between two panel prints (box build: between two units). */
  readonly panelIntervalMs: number;
  readonly createdOn: number;
  readonly dueDate: number;
  readonly targetYield: number;
  readonly priority: number;
  readonly operations: readonly OperationPlan[];
}

/** How big a history is. */
export interface ScaleProfile {
  readonly lines: number;
  readonly historyHours: number;
  readonly quantity: readonly [number, number];
  readonly gapHours: readonly [number, number];
  /** Small histories use scaled-down reels so that lots turn over within the history. */
  readonly scaleDownReels: boolean;
}

const PURPOSE_ORDER = hashString('order');
const PURPOSE_OP = hashString('operation');

/** Routing of a PCBA order on line `l`. */
export function pcbaRouting(l: string): readonly (readonly [number, string, string])[] {
  return [
    [10, 'Print & SPI', `${l}-PRINT`],
    [20, 'Placement', `${l}-PLACE`],
    [30, 'Reflow', `${l}-REFLOW`],
    [40, 'AOI', `${l}-AOI`],
    [50, 'ICT', 'TEST-ICT'],
    [60, 'FCT', 'TEST-FCT'],
  ];
}

const BOX_ROUTING = [
  [10, 'Box build', 'BOX-ASSY'],
  [20, 'FCT', 'TEST-FCT'],
] as const;

/** Panel print interval of a product on a line (two-placer lines are slower). */
export function panelInterval(product: ProductModel, line: LineLayout): number {
  const takt = product.spec.taktSeconds * (line.placers.length === 2 ? 1.25 : 1);
  return (takt * product.spec.panelSize * 1000) / 0.85;
}

/** Builds one order plan (used for history, for the released backlog and in live mode). */
export function makeOrder(
  seed: number,
  index: number,
  product: ProductModel,
  line: LineLayout | null,
  quantity: number,
  start: number,
  intervalMs: number,
): OrderPlan {
  const rng = rngFor(seed, PURPOSE_ORDER, index, 1);
  const id = guidOf(seed, PURPOSE_ORDER, index);
  const nid = `WO${String(26000 + index + 1).padStart(7, '0')}`;
  const routing = line ? pcbaRouting(line.nid) : BOX_ROUTING;
  const perPanel = line ? product.spec.panelSize : 1;
  const plannedEnd = start + Math.ceil(quantity / perPanel) * intervalMs;
  return {
    index,
    id,
    nid,
    product: product.index,
    line: line ? line.index : -1,
    lineNid: line ? line.nid : 'BOX',
    quantity,
    plannedStart: start,
    plannedEnd,
    panelIntervalMs: intervalMs,
    createdOn: start - rng.range(1, 6) * DAY,
    dueDate: plannedEnd + rng.range(1, 5) * DAY,
    targetYield: Math.round(rng.range(0.95, 0.985) * 1000) / 1000,
    priority: rng.int(1, 3),
    operations: routing.map(([sequence, name, workCenter], k) => ({
      id: guidOf(seed, PURPOSE_OP, index, k),
      nid: `${nid}-${String(sequence).padStart(4, '0')}`,
      name,
      sequence,
      workCenter,
    })),
  };
}

/** A line's order stream: product, quantity and the changeover gap after it, drawn per slot. */
export function nextOrderDraw(
  seed: number,
  line: number,
  slot: number,
  products: readonly ProductModel[],
  profile: ScaleProfile,
): { product: ProductModel; quantity: number; gapMs: number } {
  const rng = rngFor(seed, PURPOSE_ORDER, line, 1_000_000 + slot);
  const pcbas = products.filter((p) => p.spec.materialType === 'Pcba');
  const product = pcbas[rng.weighted(pcbas.map((p) => p.spec.orderWeight))] as ProductModel;
  const raw = rng.int(profile.quantity[0], profile.quantity[1]);
  const quantity = Math.max(product.spec.panelSize, Math.round(raw / product.spec.panelSize) * product.spec.panelSize);
  const gapMs = rng.range(profile.gapHours[0], profile.gapHours[1]) * HOUR + 20 * MINUTE;
  return { product, quantity, gapMs };
}

/** Plans the SMT orders of the history: per line, back to back, until `end`, plus one released order per line. */
export function planLineOrders(
  seed: number,
  lines: readonly LineLayout[],
  products: readonly ProductModel[],
  profile: ScaleProfile,
  end: number,
): { orders: OrderPlan[]; nextSlot: number[] } {
  const start = end - profile.historyHours * HOUR;
  const drafts: { line: LineLayout; product: ProductModel; quantity: number; start: number }[] = [];
  const nextSlot: number[] = [];
  for (const line of lines) {
    let t = start + rngFor(seed, PURPOSE_ORDER, line.index, 7).range(0, 2) * HOUR;
    let slot = 0;
    let covered = false;
    while (t < end) {
      const draw = nextOrderDraw(seed, line.index, slot++, products, profile);
      const run = Math.ceil(draw.quantity / draw.product.spec.panelSize) * panelInterval(draw.product, line);
      drafts.push({ line, product: draw.product, quantity: draw.quantity, start: t });
      covered = t + run > end;
      t += run + draw.gapMs;
    }
    // Each line is busy at the end of history (an Active order, continued live) and has one
    // Released order waiting behind it.
    for (let k = covered ? 1 : 0; k < 2; k++) {
      const draw = nextOrderDraw(seed, line.index, slot++, products, profile);
      const run = Math.ceil(draw.quantity / draw.product.spec.panelSize) * panelInterval(draw.product, line);
      const start = k === 0 ? end - 0.4 * run : Math.max(t, end + HOUR);
      drafts.push({ line, product: draw.product, quantity: draw.quantity, start });
      t = start + run + draw.gapMs;
    }
    nextSlot.push(slot);
  }
  drafts.sort((a, b) => a.start - b.start || a.line.index - b.line.index);
  const orders = drafts.map((d, i) => makeOrder(seed, i, d.product, d.line, d.quantity, d.start, panelInterval(d.product, d.line)));
  return { orders, nextSlot };
}
