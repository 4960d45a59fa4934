/**
 * In-circuit and functional test: bed-of-nails fixtures that wear, FCT stations that can run a
 * stale firmware image, what each test catches, and the measured steps of each run.
 */
import type { TestFixtureRow, TestStepRow } from '../model/entity-sets';
import type { BoardDefect, DefectType } from './ground-truth';
import { guidOf, hashString, Rng, rngFor } from './prng';
import type { ProductModel } from './products';

const { abs, floor, max, min, pow, round } = Math;

/** An ICT fixture: one per product per ICT station. */
export interface FixtureModel {
  readonly id: string;
  readonly nid: string;
  readonly product: number;
  readonly station: number;
  readonly stationNid: string;
  readonly probeCount: number;
  readonly initialCycles: number;
  /** A worn fixture's contact-failure rate grows over `span` cycles from `from`. */
  readonly wear: { readonly from: number; readonly span: number } | null;
  cycles: number;
}

/** One failing step of a run. */
export interface StepFailure {
  readonly step: number;
  readonly kind: 'open' | 'short' | 'value' | 'function' | 'firmware';
  readonly deviation?: number;
}

/** One test run of a board. */
export interface TestRunOutcome {
  readonly type: 'ICT' | 'FCT';
  readonly attempt: number;
  readonly station: string;
  readonly fixture: string | null;
  readonly firmware: string | null;
  readonly program: string;
  readonly start: number;
  readonly durationSeconds: number;
  readonly stepCount: number;
  readonly failures: readonly StepFailure[];
}

const P_FIXTURE = hashString('fixture');

/** Creates the ICT fixtures. The main board's fixture on the second station is near wear-out. */
export function createFixtures(seed: number, products: readonly ProductModel[], stations: readonly string[], expectedRuns: readonly number[]): FixtureModel[] {
  const fixtures: FixtureModel[] = [];
  for (const product of products) {
    if (product.spec.materialType !== 'Pcba') continue;
    stations.forEach((stationNid, s) => {
      const rng = rngFor(seed, P_FIXTURE, product.index, s);
      const worn = product.index === 0 && s === 1;
      const initial = worn ? rng.int(70_000, 90_000) : rng.int(3_000, 40_000);
      fixtures.push({
        id: guidOf(seed, P_FIXTURE, fixtures.length),
        nid: `FX-${product.spec.nid}-${s + 1}`,
        product: product.index,
        station: s,
        stationNid,
        probeCount: round(product.padCount * 0.55) + rng.int(10, 40),
        initialCycles: initial,
        wear: worn ? { from: initial, span: max(50, (expectedRuns[product.index] ?? 100) / stations.length) } : null,
        cycles: initial,
      });
    });
  }
  return fixtures;
}

/** The TestFixture row of a fixture as it stands. */
export function fixtureRow(f: FixtureModel, product: ProductModel): TestFixtureRow {
  return { Id: f.id, NId: f.nid, MaterialNId: product.spec.nid, ProbeCount: f.probeCount, CycleCount: f.cycles, StationNId: f.stationNid };
}

/**
 * Contact-failure rate of a fixture at a cycle count, split into the baseline and the part due to
 * wear: worn probes lose spring force and tips collect flux, so intermittent opens rise with use.
 */
export function contactFailureRate(f: FixtureModel, cycles: number): { base: number; wear: number } {
  if (!f.wear) return { base: 0.002, wear: 0 };
  const x = min(1.3, max(0, (cycles - f.wear.from) / f.wear.span));
  return { base: 0.002, wear: 0.004 + 0.06 * pow(x, 1.5) };
}

/** Chance that ICT catches a defect of this type. */
export function ictDetection(type: DefectType): number {
  switch (type) {
    case 'Bridging':
      return 0.95;
    case 'Open':
    case 'Missing':
    case 'Tombstone':
      return 0.88;
    case 'Parametric':
      return 1;
    case 'HeadInPillow':
      return 0.35;
    case 'Polarity':
      return 0.5;
    case 'Misaligned':
      return 0.15;
    case 'InsufficientSolder':
      return 0.1;
    default:
      return 0;
  }
}

/** Chance that FCT catches a defect of this type that ICT let through. */
export function fctDetection(type: DefectType): number {
  switch (type) {
    case 'Bridging':
      return 0.8;
    case 'Open':
    case 'Tombstone':
    case 'Missing':
      return 0.7;
    case 'HeadInPillow':
      return 0.6;
    case 'Polarity':
      return 0.6;
    case 'Parametric':
      return 0.2;
    case 'Misaligned':
      return 0.05;
    case 'InsufficientSolder':
      return 0.04;
    default:
      return 0;
  }
}

/** One ICT step of a product. */
export interface IctStepSpec {
  readonly name: string;
  readonly component: number;
  readonly unit: string;
  readonly nominal: number;
  readonly low: number;
  readonly high: number;
  readonly sd: number;
}

const ICT_STEPS = new WeakMap<ProductModel, IctStepSpec[]>();

/** The ICT program of a product: a shorts test, then one step per component. */
export function ictStepsOf(product: ProductModel): readonly IctStepSpec[] {
  const cached = ICT_STEPS.get(product);
  if (cached) return cached;
  const steps: IctStepSpec[] = [{ name: 'Shorts', component: -1, unit: 'count', nominal: 0, low: 0, high: 0, sd: 0 }];
  product.components.forEach((comp, i) => {
    const { part } = comp;
    const ref = comp.refdes;
    if ((part.kind === 'R' || part.kind === 'C') && part.value !== undefined) {
      const tol = part.ictTolerance ?? 0.05;
      const zero = part.kind === 'R' && part.value < 0.1;
      steps.push({
        name: `${ref} ${part.kind === 'R' ? 'resistance' : 'capacitance'}`,
        component: i,
        unit: part.valueUnit ?? 'Ohm',
        nominal: part.value,
        low: zero ? 0 : part.value * (1 - tol),
        high: zero ? 0.5 : part.value * (1 + tol),
        sd: zero ? 0 : part.value * (part.kind === 'R' ? 0.004 : 0.035),
      });
    } else if (part.kind === 'L' || part.kind === 'FB') {
      steps.push({ name: `${ref} continuity`, component: i, unit: 'Ohm', nominal: 0.08, low: 0, high: 2, sd: 0.02 });
    } else if (part.kind === 'D' || part.kind === 'Q') {
      const led = part.nid.includes('LED');
      const vf = led ? 1.95 : part.kind === 'Q' ? 0.7 : 0.65;
      steps.push({ name: `${ref} ${part.kind === 'Q' ? 'body diode' : 'forward voltage'}`, component: i, unit: 'V', nominal: vf, low: vf - 0.2, high: vf + 0.2, sd: 0.02 });
    } else {
      steps.push({ name: `${ref} VTEP opens`, component: i, unit: 'count', nominal: 0, low: 0, high: 0, sd: 0 });
    }
  });
  ICT_STEPS.set(product, steps);
  return steps;
}

/** The ICT step that a defect on a component makes fail. */
export function ictStepOf(product: ProductModel, component: number): number {
  return ictStepsOf(product).findIndex((s) => s.component === component);
}

function round6(x: number): number {
  return Number(x.toPrecision(6));
}

/** The TestStep rows of one ICT run. */
export function ictStepRows(product: ProductModel, runId: string, serial: string, run: TestRunOutcome, rng: Rng): TestStepRow[] {
  const failures = new Map(run.failures.map((f) => [f.step, f]));
  return ictStepsOf(product).map((spec, k) => {
    const failure = failures.get(k);
    const u = rng.normal();
    let value: number;
    if (!failure) value = spec.sd === 0 ? spec.nominal : min(spec.high, max(spec.low, spec.nominal + spec.sd * u));
    else if (failure.kind === 'short') value = 1 + floor(abs(u));
    else if (failure.kind === 'value') value = spec.nominal * (1 + (failure.deviation ?? 0.1));
    else if (spec.unit === 'count') value = 1 + floor(abs(u) * 2);
    else if (spec.unit === 'F') value = spec.nominal * 0.01;
    else if (spec.unit === 'V') value = 5;
    else value = 9.9e9;
    return {
      Id: `${runId}:${k + 1}`,
      TestRunId: runId,
      SerialNumber: serial,
      Sequence: k + 1,
      Name: spec.name,
      ReferenceDesignator: spec.component >= 0 ? (product.components[spec.component]?.refdes ?? null) : null,
      MeasuredValue: round6(value),
      LowLimit: round6(spec.low),
      HighLimit: round6(spec.high),
      Unit: spec.unit,
      Result: failure ? 'Fail' : 'Pass',
    };
  });
}

/** The TestStep rows of one FCT run. */
export function fctStepRows(product: ProductModel, runId: string, serial: string, run: TestRunOutcome, rng: Rng): TestStepRow[] {
  const failures = new Map(run.failures.map((f) => [f.step, f]));
  return product.spec.fctSteps.map((spec, k) => {
    const failure = failures.get(k);
    const u = rng.normal();
    let value: number | null = spec.nominal;
    if (spec.unit === 'bool') value = failure ? 0 : 1;
    else if (spec.nominal !== null && spec.low !== null && spec.high !== null) {
      const width = spec.high - spec.low;
      value = failure ? spec.low - width * (0.3 + abs(u)) : min(spec.high, max(spec.low, spec.nominal + (width / 10) * u));
    }
    return {
      Id: `${runId}:${k + 1}`,
      TestRunId: runId,
      SerialNumber: serial,
      Sequence: k + 1,
      Name: spec.name,
      ReferenceDesignator: null,
      MeasuredValue: value === null ? null : round6(value),
      LowLimit: spec.low,
      HighLimit: spec.high,
      Unit: spec.unit,
      Result: failure ? 'Fail' : 'Pass',
    };
  });
}

/** Whether a board defect stays in the board after ICT/FCT caught it (it does not: it is repaired). */
export function isRealDefect(d: BoardDefect): boolean {
  return d.type !== 'FixtureContact' && d.type !== 'FirmwareFailure' && d.type !== 'NoFaultFound';
}
