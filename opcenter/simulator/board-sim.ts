/**
 * One board's trip through the line: print and SPI, placement, reflow, AOI, ICT and FCT, with
 * retests and repairs. A pure function of the board's stored context and the seed, so the history
 * build and every on-demand query see the same board.
 */
import { inspectAoi, type AoiOutcome } from './aoi';
import { HOUR, MINUTE, SECOND, shiftOf } from './calendar';
import type { LineLayout, PlantLayout } from './equipment';
import type { BoardDefect, DefectType } from './ground-truth';
import type { LotBook, LotRecord } from './lots';
import { staleFirmware, type Mechanism, type MechanismSchedule } from './mechanisms';
import type { OrderPlan } from './orders';
import { placeComponents, type ComponentDefect, type PlacementSetup } from './placement';
import { hash4, hashString, Rng, rngFor } from './prng';
import type { ProductModel } from './products';
import { printAndInspect, type PadDefect, type PadReading } from './spi-pads';
import type { StencilModel } from './stencils';
import {
  contactFailureRate,
  fctDetection,
  ictDetection,
  ictStepOf,
  ictStepsOf,
  type FixtureModel,
  type StepFailure,
  type TestRunOutcome,
} from './tests-ict-fct';

const { floor, max, round } = Math;

/** Plant-wide state that boards are simulated against. */
export interface SimEnv {
  readonly seed: number;
  readonly products: readonly ProductModel[];
  readonly layout: PlantLayout;
  readonly schedule: MechanismSchedule;
  readonly lots: LotBook;
  /** Placement setup per [line][product]. */
  readonly setups: readonly (readonly PlacementSetup[])[];
  /** ICT fixtures per [product][station]. */
  readonly fixtures: readonly (readonly FixtureModel[])[];
}

/** What is stored about one board: enough to regenerate everything else. */
export interface BoardContext {
  readonly index: number;
  readonly serial: string;
  readonly order: OrderPlan;
  readonly product: ProductModel;
  /** Null for a box build. */
  readonly line: LineLayout | null;
  readonly stencil: StencilModel | null;
  /** Stencil print counter at this board's print. */
  readonly printCount: number;
  readonly panelPosition: number;
  /** Print time (box build: assembly time), epoch ms. */
  readonly startTime: number;
  /** Live boards move through the stages in seconds rather than minutes. */
  readonly live: boolean;
  /** Reel (or, without reels, pseudo-reel) per BOM line. */
  readonly reels: ArrayLike<number>;
  readonly ictStation: number;
  /** Cycle count of the fixture on each ICT station when this board was tested. */
  readonly ictCycles: readonly number[];
  readonly fctStation: number;
}

/** The stage times of a board, epoch ms. */
export interface StageTimes {
  readonly spi: number;
  readonly placed: number;
  readonly aoi: number;
  readonly done: number;
}

/** Everything that happened to one board. */
export interface BoardOutcome {
  readonly padCount: number;
  readonly spiFailedPads: number;
  readonly printsSinceWipe: number;
  readonly squeegee: 'Front' | 'Rear';
  readonly defects: readonly BoardDefect[];
  readonly aoi: AoiOutcome | null;
  readonly runs: readonly TestRunOutcome[];
  readonly pickAttempts: Uint8Array;
  readonly scrapped: boolean;
  readonly firstPassYield: boolean;
  readonly times: StageTimes;
}

const P_PRINT = hashString('print');
const P_PANEL = hashString('panel');
const P_PLACE = hashString('place');
const P_AOI = hashString('aoi');
const P_TEST = hashString('test');
const P_TIME = hashString('timing');

/** The lots a board's BOM lines were fed from. */
export function lotsOfBoard(env: SimEnv, ctx: BoardContext): LotRecord[] {
  const out: LotRecord[] = [];
  for (let b = 0; b < ctx.reels.length; b++) out.push(env.lots.lotOfReel(ctx.reels[b] as number));
  return out;
}

/** Simulates one board; `emitPad` receives every SPI pad reading when given. */
export function simulateBoard(env: SimEnv, ctx: BoardContext, emitPad?: (pad: number, reading: PadReading) => void): BoardOutcome {
  const { product } = ctx;
  const timing = rngFor(env.seed, P_TIME, ctx.index);
  const live = ctx.live;
  const at = (historyMs: number, liveMs: number): number => (live ? liveMs : historyMs);
  const spiTime = ctx.startTime + at(timing.range(20, 40) * SECOND, SECOND);
  const placed = ctx.startTime + at(timing.range(2, 4) * MINUTE, 3 * SECOND);
  const aoiTime = placed + at(timing.range(7, 10) * MINUTE, 3 * SECOND);
  const lots = lotsOfBoard(env, ctx);
  const defects: BoardDefect[] = [];
  let spiFailed = 0;
  let psw = 0;
  let aoi: AoiOutcome | null = null;
  const pickAttempts = new Uint8Array(product.components.length);

  if (ctx.line && ctx.stencil) {
    const line = ctx.line;
    const stencil = ctx.stencil;
    psw = (ctx.printCount % stencil.wipeInterval) + 1;
    const wipeCycle = floor(ctx.printCount / stencil.wipeInterval);
    const panel = rngFor(env.seed, P_PANEL, stencil.index, ctx.printCount);
    const spread = line.printSpread * (shiftOf(ctx.startTime) === 'C' ? 1.2 : 1);
    const drift = env.schedule.printerOffset(line.index, ctx.startTime);
    const solderability = new Float64Array(product.components.length);
    product.components.forEach((c, i) => (solderability[i] = (lots[c.bomLine] as LotRecord).solderability));
    const padDefects: PadDefect[] = [];
    spiFailed = printAndInspect(
      {
        product,
        stencil,
        printsSinceWipe: psw,
        clogKey: hash4(env.seed, stencil.index, wipeCycle, ctx.panelPosition),
        excess: env.schedule.excessPaste(line.index, ctx.startTime),
        driftX: drift.x,
        driftY: drift.y,
        panelOffX: panel.gauss(0, 6 * spread),
        panelOffY: panel.gauss(0, 6 * spread),
        volumeFactor: 1 + 0.03 * spread * panel.normal(),
        spread,
        solderability,
      },
      rngFor(env.seed, P_PRINT, ctx.index),
      padDefects,
      emitPad,
    );
    for (const d of padDefects) {
      defects.push({ component: d.component, pad: d.pad, type: d.type, mechanism: d.mechanism, visibleToSpi: d.spiFail, detectedBy: 'Escape' });
    }
    const componentDefects: ComponentDefect[] = [];
    placeComponents(
      {
        product,
        setup: env.setups[line.index]?.[product.index] as PlacementSetup,
        trouble: env.schedule.feederTrouble(line.index, placed),
        lots,
        placedAt: placed,
      },
      rngFor(env.seed, P_PLACE, ctx.index),
      componentDefects,
      pickAttempts,
    );
    for (const d of componentDefects) {
      defects.push({ component: d.component, pad: -1, type: d.type, mechanism: d.mechanism, visibleToSpi: false, deviation: d.deviation, detectedBy: 'Escape' });
    }
    aoi = inspectAoi(product, defects, line.index % 2 === 1 ? 1.6 : 1, rngFor(env.seed, P_AOI, ctx.index));
  }

  const tests = runTests(env, ctx, defects, at, aoi === null ? ctx.startTime : aoiTime, timing);
  const aoiPass = aoi === null || aoi.confirmed === 0;
  const first = (type: 'ICT' | 'FCT'): boolean => {
    const run = tests.runs.find((r) => r.type === type && r.attempt === 1);
    return !run || run.failures.length === 0;
  };
  return {
    padCount: ctx.stencil ? product.padCount : 0,
    spiFailedPads: spiFailed,
    printsSinceWipe: psw,
    squeegee: ctx.printCount % 2 === 0 ? 'Front' : 'Rear',
    defects,
    aoi,
    runs: tests.runs,
    pickAttempts,
    scrapped: tests.scrapped,
    firstPassYield: aoiPass && first('ICT') && first('FCT') && !tests.scrapped,
    times: { spi: spiTime, placed, aoi: aoiTime, done: tests.done },
  };
}

function addPseudo(defects: BoardDefect[], component: number, type: DefectType, mechanism: Mechanism, by: 'ICT' | 'FCT'): void {
  defects.push({ component, pad: -1, type, mechanism, visibleToSpi: false, detectedBy: by });
}

/** ICT then FCT, with retests on another station and repair or scrap of real defects. */
function runTests(
  env: SimEnv,
  ctx: BoardContext,
  defects: BoardDefect[],
  at: (historyMs: number, liveMs: number) => number,
  readyAt: number,
  timing: Rng,
): { runs: TestRunOutcome[]; scrapped: boolean; done: number } {
  const { product } = ctx;
  const rng = rngFor(env.seed, P_TEST, ctx.index);
  const runs: TestRunOutcome[] = [];
  const pcba = product.spec.materialType === 'Pcba';
  let t = readyAt;
  const repairDelay = (): number => at(timing.range(1, 4) * HOUR, 2 * SECOND);
  const retestDelay = (): number => at(timing.range(10, 40) * MINUTE, 2 * SECOND);
  const scrapChance = (found: BoardDefect[]): number => (found.some((d) => product.components[d.component]?.kind === 'Bga') ? 0.2 : 0.05);

  if (pcba) {
    const stations = env.layout.ictStations;
    const s1 = ctx.ictStation;
    const fixtures = env.fixtures[product.index] as readonly FixtureModel[];
    t += at(timing.range(20, 80) * MINUTE, 3 * SECOND);
    const failures: StepFailure[] = [];
    const found: BoardDefect[] = [];
    for (const d of defects) {
      const u = rng.next();
      if (d.detectedBy !== 'Escape') continue;
      if (u < ictDetection(d.type)) {
        d.detectedBy = 'ICT';
        found.push(d);
        failures.push({
          step: d.type === 'Bridging' ? 0 : ictStepOf(product, d.component),
          kind: d.type === 'Bridging' ? 'short' : d.type === 'Parametric' ? 'value' : 'open',
          deviation: d.deviation,
        });
      }
    }
    const fixture = fixtures[s1] as FixtureModel;
    const contact = contactFailureRate(fixture, ctx.ictCycles[s1] ?? fixture.initialCycles);
    const uContact = rng.next();
    const probeSteps = [rng.next(), rng.next()];
    if (uContact < contact.base + contact.wear) {
      const steps = ictStepsOf(product);
      const count = uContact < (contact.base + contact.wear) / 3 ? 2 : 1;
      for (let k = 0; k < count; k++) {
        const step = 1 + floor((probeSteps[k] as number) * (steps.length - 1));
        failures.push({ step, kind: 'open' });
        addPseudo(defects, steps[step]?.component ?? 0, 'FixtureContact', uContact < contact.wear ? 'FixtureWear' : 'Random', 'ICT');
      }
    }
    const duration = round(timing.range(45, 75) * 10) / 10;
    runs.push(ictRun(product, 1, stations[s1] as string, fixture.nid, t, duration, dedupe(failures)));
    if (failures.length > 0) {
      if (found.length > 0 && rng.next() < scrapChance(found)) return { runs, scrapped: true, done: t + repairDelay() };
      t += found.length > 0 ? repairDelay() : retestDelay();
      const s2 = (s1 + 1) % stations.length;
      runs.push(ictRun(product, 2, stations[s2] as string, (fixtures[s2] as FixtureModel).nid, t, duration, []));
    }
  }

  const fctStations = env.layout.fctStations;
  t += at(timing.range(15, 45) * MINUTE, 3 * SECOND);
  const f1 = ctx.fctStation;
  const failures: StepFailure[] = [];
  const found: BoardDefect[] = [];
  for (const d of defects) {
    const u = rng.next();
    if (d.detectedBy !== 'Escape') continue;
    if (u < fctDetection(d.type)) {
      d.detectedBy = 'FCT';
      found.push(d);
      failures.push({ step: product.components[d.component]?.fctStep ?? 0, kind: 'function' });
    }
  }
  const wrong = env.schedule.firmwareMismatch(f1, t) === product.index;
  const uFirmware = rng.next();
  const firmwareSteps = product.spec.fctSteps.map((s, i) => (s.firmware ? i : -1)).filter((i) => i >= 0);
  if (wrong && uFirmware < 0.9) {
    // A stale image boots but fails its CRC; now and then it does not boot at all.
    const steps = uFirmware < 0.3 ? firmwareSteps : firmwareSteps.slice(-1);
    for (const step of steps) failures.push({ step, kind: 'firmware' });
    addPseudo(defects, mainController(product), 'FirmwareFailure', 'FirmwareMismatch', 'FCT');
  }
  const uNff = rng.next();
  if (uNff < (pcba ? 0.002 : 0.01)) {
    const step = floor((uNff / 0.01) * product.spec.fctSteps.length) % product.spec.fctSteps.length;
    failures.push({ step, kind: 'function' });
    addPseudo(defects, mainController(product), 'NoFaultFound', 'Random', 'FCT');
  }
  const firmware = wrong ? staleFirmware(product.spec.firmware) : product.spec.firmware;
  const duration = round(timing.range(pcba ? 90 : 150, pcba ? 180 : 300) * 10) / 10;
  runs.push(fctRun(product, 1, fctStations[f1] as string, firmware, t, duration, dedupe(failures)));
  if (failures.length > 0) {
    if (found.length > 0 && rng.next() < scrapChance(found)) return { runs, scrapped: true, done: t + repairDelay() };
    t += found.length > 0 ? repairDelay() : retestDelay();
    let f2 = (f1 + 1) % fctStations.length;
    if (env.schedule.firmwareMismatch(f2, t) === product.index) f2 = (f2 + 1) % fctStations.length;
    const wrong2 = env.schedule.firmwareMismatch(f2, t) === product.index;
    runs.push(fctRun(product, 2, fctStations[f2] as string, wrong2 ? staleFirmware(product.spec.firmware) : product.spec.firmware, t, duration, []));
  }
  return { runs, scrapped: false, done: t + at(timing.range(1, 3) * MINUTE, SECOND) };
}

function mainController(product: ProductModel): number {
  const i = product.components.findIndex((c) => c.part.nid.includes('SOC') || c.part.nid.includes('MCU'));
  return max(0, i);
}

function dedupe(failures: StepFailure[]): StepFailure[] {
  const seen = new Map<number, StepFailure>();
  for (const f of failures) if (!seen.has(f.step)) seen.set(f.step, f);
  return [...seen.values()].sort((a, b) => a.step - b.step);
}

function ictRun(product: ProductModel, attempt: number, station: string, fixture: string, start: number, duration: number, failures: StepFailure[]): TestRunOutcome {
  return {
    type: 'ICT',
    attempt,
    station,
    fixture,
    firmware: null,
    program: `${product.spec.nid}-ICT rev ${product.spec.revision}4`,
    start,
    durationSeconds: duration,
    stepCount: ictStepsOf(product).length,
    failures,
  };
}

function fctRun(product: ProductModel, attempt: number, station: string, firmware: string, start: number, duration: number, failures: StepFailure[]): TestRunOutcome {
  return {
    type: 'FCT',
    attempt,
    station,
    fixture: null,
    firmware,
    program: `FCT ${product.spec.nid} v2.${product.index + 1}`,
    start,
    durationSeconds: duration,
    stepCount: product.spec.fctSteps.length,
    failures,
  };
}
