/**
 * Live production from the end of history: boards in process finish, active orders continue,
 * new orders start. Every board stage is one step; steps come in simulated-time order, each with
 * its store changes first and its events after. New boards move through the line in seconds so
 * that events flow quickly.
 */
import { simulateBoard, type BoardOutcome } from './board-sim';
import { startBoard } from './boards';
import { iso } from './calendar';
import type { OpcenterEvent } from './events';
import { addOrder } from './history';
import { lotRow, reelRows } from './master-rows';
import { makeOrder, nextOrderDraw, panelInterval } from './orders';
import { guidOf, hashString } from './prng';
import { applyStage, lotId, stagesOf, type Stage, type StageSink } from './stages';
import type { BoardRecord, OrderState, PlantState } from './state';

/** One store change of a live step (for an update: the key `Id` and the changed properties). */
export interface LiveChange {
  kind: 'insert' | 'update';
  set: string;
  row: Record<string, unknown>;
}

/** One step of live production: at simulated time `at`, these changes happen, then these events are emitted. */
export interface LiveStep {
  at: string;
  changes: LiveChange[];
  events: OpcenterEvent[];
}

/** Live production; the caller schedules steps in wall-clock time. */
export interface LiveProduction {
  /** The next step (deterministic sequence). */
  next(): LiveStep;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly board: number;
  readonly stage: Stage;
}

/** A binary min-heap of pending stages by (time, sequence). */
class StageQueue {
  private readonly items: Pending[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  push(item: Pending): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i] as Pending, a[parent] as Pending)) break;
      [a[i], a[parent]] = [a[parent] as Pending, a[i] as Pending];
      i = parent;
    }
  }

  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l] as Pending, a[m] as Pending)) m = l;
        if (r < a.length && before(a[r] as Pending, a[m] as Pending)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Pending, a[i] as Pending];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

const P_EVENT = hashString('event');
const HISTORY_COMPRESSION = 120;

/** Starts live production on a plant's state at `rate` boards per second of simulated time. */
export function createLiveProduction(state: PlantState, rate: number): LiveProduction {
  if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
  const interval = 1000 / rate;
  const queue = new StageQueue();
  const outcomes = new Map<number, BoardOutcome>();
  let seq = 0;
  let eventSeq = 0;
  // Event ids are deterministic for one seed and history end (a replay of the same run deduplicates),
  // and differ when the plant restarts at another time: ingest must not take a new run's events for replays.
  const runKey = Math.floor(state.end / 1000) | 0;
  let nextBoardAt = state.end + interval;
  let lineCursor = 0;
  let knownLots = state.env.lots.lots.length;
  const openedLots = new Set(state.env.lots.lots.filter((l) => l.openedOn !== null).map((l) => l.index));

  // Boards in process at the end of history finish on the live time scale: an hour of their
  // remaining route passes in HISTORY_COMPRESSION-th of the time.
  for (const record of state.boards) {
    for (const { at, stage } of stagesOf(record)) {
      if (at > state.end) queue.push({ at: state.end + (at - state.end) / HISTORY_COMPRESSION, seq: seq++, board: record.ctx.index, stage });
    }
  }

  const outcomeOf = (record: BoardRecord): BoardOutcome => {
    let outcome = outcomes.get(record.ctx.index);
    if (!outcome) {
      outcome = simulateBoard(state.env, record.ctx);
      outcomes.set(record.ctx.index, outcome);
    }
    return outcome;
  };

  const newStep = (at: number): { step: LiveStep; sink: StageSink } => {
    const step: LiveStep = { at: iso(at), changes: [], events: [] };
    const sink: StageSink = {
      live: true,
      insert: (set, row) => void step.changes.push({ kind: 'insert', set, row }),
      update: (set, row) => void step.changes.push({ kind: 'update', set, row }),
      event: (build) => void step.events.push(build(guidOf(state.seed, P_EVENT, eventSeq++, runKey))),
    };
    return { step, sink };
  };

  const orderFor = (line: number, at: number, sink: StageSink): OrderState => {
    const running = state.orders.find((o) => o.plan.line === line && o.status === 'Active' && o.created < o.plan.quantity);
    if (running) return running;
    const released = state.orders.filter((o) => o.plan.line === line && o.status === 'Released' && o.created === 0);
    const backlog = () => {
      const product = state.env.products;
      const layoutLine = state.env.layout.lines[line];
      if (!layoutLine) throw new Error(`no line ${line}`);
      const slot = state.nextOrderSlot[line] ?? 0;
      state.nextOrderSlot[line] = slot + 1;
      const draw = nextOrderDraw(state.seed, line, slot, product, state.profile);
      const interval = panelInterval(draw.product, layoutLine);
      return addOrder(state, makeOrder(state.seed, state.orders.length, draw.product, layoutLine, draw.quantity, at, interval), sink);
    };
    const order = released[0] ?? backlog();
    if (released.length <= 1) backlog();
    return order;
  };

  const reportLots = (sink: StageSink): void => {
    const book = state.env.lots;
    for (; knownLots < book.lots.length; knownLots++) {
      const lot = book.lots[knownLots];
      if (!lot) continue;
      sink.insert('MaterialLot', lotRow(state, lot));
      for (const reel of reelRows(state, lot)) sink.insert('Reel', reel);
      if (lot.openedOn !== null) openedLots.add(lot.index);
    }
    for (const lot of book.lots) {
      if (lot.openedOn !== null && !openedLots.has(lot.index)) {
        openedLots.add(lot.index);
        sink.update('MaterialLot', { Id: lotId(state, lot.index), OpenedOn: iso(lot.openedOn) });
      }
    }
  };

  return {
    next(): LiveStep {
      const top = queue.peek();
      if (top && top.at <= nextBoardAt) {
        queue.pop();
        const record = state.boards[top.board] as BoardRecord;
        const { step, sink } = newStep(top.at);
        applyStage(state, record, outcomeOf(record), top.stage, top.at, sink);
        if (top.stage.kind === 'done') outcomes.delete(top.board);
        return step;
      }
      const at = nextBoardAt;
      nextBoardAt += interval;
      const lines = state.env.layout.lines;
      const line = lineCursor++ % lines.length;
      const { step, sink } = newStep(at);
      const order = orderFor(line, at, sink);
      const { record, outcome } = startBoard(state, order.plan, order.created, at, true);
      order.created++;
      reportLots(sink);
      outcomes.set(record.ctx.index, outcome);
      for (const { at: when, stage } of stagesOf(record)) {
        if (stage.kind === 'start') applyStage(state, record, outcome, stage, when, sink);
        else queue.push({ at: when, seq: seq++, board: record.ctx.index, stage });
      }
      return step;
    },
  };
}
