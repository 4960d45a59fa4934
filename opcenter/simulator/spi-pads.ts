/**
 * Printing and solder paste inspection, pad by pad. One kernel computes each pad's true paste
 * deposit, what the SPI machine measures (with repeatability noise) and its own pass/fail call, and
 * the chance that the joint becomes a defect. The defect chance is a smooth function of the true
 * deposit and the pad's geometry, not of the SPI call: SPI flags good pads and misses bad ones.
 */
import type { Mechanism } from './mechanisms';
import { hash2, hash3, mix32, Rng, sigmoid, unitOf } from './prng';
import type { ProductModel } from './products';
import type { StencilModel } from './stencils';

const { abs, max, min, round } = Math;

/** The print conditions of one board. */
export interface PrintConditions {
  readonly product: ProductModel;
  readonly stencil: StencilModel;
  /** Prints since the last under-stencil wipe (1 = first print after a wipe). */
  readonly printsSinceWipe: number;
  /** Identifies the wipe cycle and panel position: which apertures clog and how fast. */
  readonly clogKey: number;
  /** Excess-paste intensity on fine pitch (0 = none). */
  readonly excess: number;
  readonly driftX: number;
  readonly driftY: number;
  /** Board-to-stencil offset of this print besides the drift (panel registration). */
  readonly panelOffX: number;
  readonly panelOffY: number;
  /** Print-to-print variation of this panel (squeegee pressure, paste roll). */
  readonly volumeFactor: number;
  /** Noise multiplier of the line's print process (line and shift). */
  readonly spread: number;
  /** Lot solderability per component (multiplies the random joint-defect hazard). */
  readonly solderability: Float64Array;
}

/** A solder-joint defect that started at one pad. */
export interface PadDefect {
  readonly pad: number;
  readonly component: number;
  readonly type: 'Bridging' | 'InsufficientSolder' | 'Open';
  readonly mechanism: Mechanism;
  /** The SPI machine failed this pad. */
  readonly spiFail: boolean;
}

/** What the SPI machine reports for one pad (reused between pads; copy what you keep). */
export interface PadReading {
  volumePct: number;
  areaPct: number;
  heightUm: number;
  offsetXUm: number;
  offsetYUm: number;
  fail: boolean;
}

/** Per-pad constants of a product that the kernel needs, derived once. */
interface PadTraits {
  readonly insFactor: Float64Array;
  readonly bridgeable: Uint8Array;
  readonly fineWeight: Float64Array;
  readonly sizeAlong: Float64Array;
  readonly gap: Float64Array;
  readonly ball: Uint8Array;
}

const TRAITS = new WeakMap<ProductModel, PadTraits>();

function traitsOf(product: ProductModel): PadTraits {
  const cached = TRAITS.get(product);
  if (cached) return cached;
  const n = product.padCount;
  const t: PadTraits = {
    insFactor: new Float64Array(n),
    bridgeable: new Uint8Array(n),
    fineWeight: new Float64Array(n),
    sizeAlong: new Float64Array(n),
    gap: new Float64Array(n),
    ball: new Uint8Array(n),
  };
  for (let p = 0; p < n; p++) {
    const comp = product.components[product.padComponent[p] as number];
    const kind = comp?.kind ?? 'Chip';
    const pin = product.padPin[p] as string;
    const thermal = pin === 'EP' || pin === 'TAB' || pin.startsWith('S');
    const pitch = product.padPitch[p] as number;
    const along = product.padAxis[p] === 0 ? (product.padSizeX[p] as number) : (product.padSizeY[p] as number);
    t.insFactor[p] = thermal ? 0.1 : kind === 'Qfn' ? 1.2 : kind === 'Bga' ? 0.35 : kind === 'Chip' ? 1 : 0.6;
    t.bridgeable[p] = !thermal && pitch <= 800 && kind !== 'Chip' ? 1 : 0;
    t.fineWeight[p] = thermal ? 0 : sigmoid((560 - pitch) / 60);
    t.sizeAlong[p] = along;
    t.gap[p] = max(50, pitch - along);
    t.ball[p] = kind === 'Bga' ? 1 : 0;
  }
  TRAITS.set(product, t);
  return t;
}

/** Hazard of an insufficient or open joint from the paste volume that actually sits on the pad. */
function insufficientHazard(volume: number, factor: number): number {
  return factor * 0.55 * sigmoid((32 - volume) / 4.5);
}

/** Hazard of a bridge to the neighbour: paste reaching into the gap, worse with more volume. */
function bridgeHazard(volume: number, area: number, offAlong: number, sizeAlong: number, gap: number): number {
  const encroach = max(0, area / 100 - 1) * sizeAlong * 0.5 + abs(offAlong);
  return 0.4 * sigmoid((encroach / gap - 0.35) / 0.05 + (volume - 140) / 10);
}

/** The part of a deposit that stays on the pad when the print is shifted along the pitch axis. */
function onPad(volume: number, offAlong: number, sizeAlong: number): number {
  return volume * (1 - 1.2 * max(0, abs(offAlong) / sizeAlong - 0.1));
}

function depositArea(transfer: number): number {
  return 100 * (0.5 + 0.5 * min(1.15, transfer));
}

const READING: PadReading = { volumePct: 0, areaPct: 0, heightUm: 0, offsetXUm: 0, offsetYUm: 0, fail: false };
const round1 = (x: number): number => round(x * 10) / 10;
const RANDOM_HAZARD = 3e-6;

/**
 * Prints and inspects every pad of one board. Appends the defects that form to `defects`, calls
 * `emit` (when given) with each pad's reading, and returns the number of pads SPI failed.
 */
export function printAndInspect(
  c: PrintConditions,
  rng: Rng,
  defects: PadDefect[],
  emit?: (pad: number, reading: PadReading) => void,
): number {
  const { product, stencil } = c;
  const traits = traitsOf(product);
  const n = product.padCount;
  const thickness = stencil.thicknessUm;
  const spreadVol = 0.045 * c.spread;
  const spreadArea = 0.025 * c.spread;
  let failed = 0;
  for (let p = 0; p < n; p++) {
    const n1 = rng.normal();
    const n2 = rng.normal();
    const n3 = rng.normal();
    const n4 = rng.normal();
    const n5 = rng.normal();
    const n6 = rng.normal();
    const n7 = rng.normal();
    const n8 = rng.normal();
    const u = rng.next();

    let clogFactor = 1;
    const susceptibility = stencil.clogSusceptibility[p] as number;
    if (susceptibility > 0.01) {
      // Per wipe cycle a random subset of the small apertures starts to clog, each at its own rate.
      // Paste builds up on the walls of every small aperture between wipes; a few apertures
      // (a random subset per wipe cycle) clog outright, each at its own rate.
      clogFactor = 1 - 0.012 * susceptibility * (c.printsSinceWipe - 1);
      const h = hash3(c.clogKey, p, 0x5bd1e995);
      if (unitOf(h) < 0.003 * susceptibility) {
        const rate = 0.02 + 0.05 * unitOf(mix32(h));
        clogFactor = max(0.05, clogFactor - rate * c.printsSinceWipe);
      }
    }
    const excess = c.excess * (traits.fineWeight[p] as number);
    const transfer = (stencil.transfer[p] as number) * clogFactor * c.volumeFactor;
    const volume = 100 * transfer * (1 + excess) * (1 + spreadVol * n1);
    const area = depositArea(transfer) * (1 + 0.8 * excess) * (1 + spreadArea * n2);
    const offX = c.driftX + c.panelOffX + 4 * n3;
    const offY = c.driftY + c.panelOffY + 4 * n4;

    const volumePct = round1(volume * (1 + 0.025 * n5));
    const areaPct = round1(area * (1 + 0.02 * n6));
    const offsetXUm = round1(offX + 3 * n7);
    const offsetYUm = round1(offY + 3 * n8);
    const sizeX = product.padSizeX[p] as number;
    const sizeY = product.padSizeY[p] as number;
    const fail =
      volumePct < 50 || volumePct > 160 || areaPct < 60 || areaPct > 150 || abs(offsetXUm) > sizeX / 3 || abs(offsetYUm) > sizeY / 3;
    if (fail) failed++;

    const axisX = product.padAxis[p] === 0;
    const sizeAlong = traits.sizeAlong[p] as number;
    const gap = traits.gap[p] as number;
    const comp = product.padComponent[p] as number;
    const insFactor = traits.insFactor[p] as number;
    const offAlong = axisX ? offX : offY;
    const hIns = insufficientHazard(onPad(volume, offAlong, sizeAlong), insFactor);
    const hBr = traits.bridgeable[p] ? bridgeHazard(volume, area, offAlong, sizeAlong, gap) : 0;
    const hRandom = RANDOM_HAZARD * (c.solderability[comp] as number);
    const total = hIns + hBr + hRandom;
    if (u < total) {
      let type: PadDefect['type'];
      let mechanism: Mechanism = 'Random';
      if (u < hIns + hBr) {
        type = u < hIns ? (traits.ball[p] || volume < 25 ? 'Open' : 'InsufficientSolder') : 'Bridging';
        const h = u < hIns ? hIns : hBr;
        const drift = axisX ? c.driftX : c.driftY;
        const base = (v: number, a: number, off: number): number =>
          u < hIns ? insufficientHazard(onPad(v, off, sizeAlong), insFactor) : bridgeHazard(v, a, off, sizeAlong, gap);
        const insufficient = u < hIns;
        // Clogging only starves a pad and excess paste only floods it; drift does both.
        const unclogged = insufficient && clogFactor < 1 ? base(volume / clogFactor, area, offAlong) : h;
        const noExcess = !insufficient && excess > 0 ? base(volume / (1 + excess), area / (1 + 0.8 * excess), offAlong) : h;
        const noDrift = base(volume, area, offAlong - drift);
        const parts = [max(0, h - unclogged), max(0, h - noExcess), max(0, h - noDrift)];
        const attributed = (parts[0] as number) + (parts[1] as number) + (parts[2] as number);
        const pick = unitOf(hash2(c.clogKey ^ 0x2f6b, p)) * max(h, attributed);
        const names: Mechanism[] = ['StencilClogging', 'ExcessPaste', 'PrinterDrift'];
        let acc = 0;
        for (let k = 0; k < 3; k++) {
          acc += parts[k] as number;
          if (pick < acc) {
            mechanism = names[k] as Mechanism;
            break;
          }
        }
      } else {
        const r = (u - hIns - hBr) / hRandom;
        type = r < 0.45 ? 'InsufficientSolder' : r < 0.75 && traits.bridgeable[p] ? 'Bridging' : 'Open';
      }
      defects.push({ pad: p, component: comp, type, mechanism, spiFail: fail });
    }
    if (emit) {
      READING.volumePct = volumePct;
      READING.areaPct = areaPct;
      READING.heightUm = round1((thickness * volumePct) / max(1, areaPct));
      READING.offsetXUm = offsetXUm;
      READING.offsetYUm = offsetYUm;
      READING.fail = fail;
      emit(p, READING);
    }
  }
  return failed;
}
