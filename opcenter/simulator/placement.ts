/**
 * Component placement: the feeder setup of each product on each line, and the defects that belong
 * to a component rather than to one joint (missing and misaligned parts, off-value parts from a
 * bad lot, moisture damage past floor life).
 */
import { HOUR } from './calendar';
import type { LineLayout } from './equipment';
import type { LotRecord } from './lots';
import type { FeederEpisode, Mechanism } from './mechanisms';
import { packageOf } from './packages';
import type { Rng } from './prng';
import { sigmoid } from './prng';
import type { ProductModel } from './products';

/** Which machine, feeder slot and nozzle each BOM line is placed from. */
export interface PlacementSetup {
  readonly machine: Int32Array;
  readonly slot: Int32Array;
  readonly nozzle: readonly string[];
  readonly machineNids: readonly string[];
}

/** A defect of a whole component. */
export interface ComponentDefect {
  readonly component: number;
  readonly type: 'Missing' | 'Misaligned' | 'Tombstone' | 'Polarity' | 'Open' | 'HeadInPillow' | 'Parametric';
  readonly mechanism: Mechanism;
  /** Relative value error of an off-value part. */
  readonly deviation?: number;
}

/** Assigns BOM lines to machines: small chips on the first head, larger passives next, ICs last. */
export function createSetup(product: ProductModel, line: LineLayout): PlacementSetup {
  const machines = line.placers.length;
  const lines = product.bomLines.length;
  const machine = new Int32Array(lines);
  const slot = new Int32Array(lines);
  const nozzle: string[] = [];
  const nextSlot = new Array<number>(machines).fill(1);
  for (let b = 0; b < lines; b++) {
    const bom = product.bomLines[b];
    const first = bom?.components[0];
    const comp = first === undefined ? undefined : product.components[first];
    if (!comp) {
      machine[b] = -1;
      nozzle.push('');
      continue;
    }
    const pkg = packageOf(comp.packageName);
    const small = comp.kind === 'Chip' && (pkg.name === '0201' || pkg.name === '0402');
    const passive = comp.kind === 'Chip' || comp.kind === 'Sot';
    const m = machines === 2 ? (passive ? 0 : 1) : small ? 0 : passive ? 1 : 2;
    machine[b] = m;
    slot[b] = nextSlot[m] as number;
    nextSlot[m] = (nextSlot[m] as number) + (pkg.carrier === 'Reel' ? 1 : 2);
    nozzle.push(`${line.placers[m]}-${pkg.nozzle}`);
  }
  return { machine, slot, nozzle, machineNids: line.placers };
}

/** Inputs of the placement of one board. */
export interface PlacementConditions {
  readonly product: ProductModel;
  readonly setup: PlacementSetup;
  readonly trouble: FeederEpisode | null;
  /** The lot each BOM line was fed from. */
  readonly lots: readonly LotRecord[];
  readonly placedAt: number;
}

/** Places every component; appends component defects and fills the pick attempts per component. */
export function placeComponents(c: PlacementConditions, rng: Rng, defects: ComponentDefect[], pickAttempts: Uint8Array): void {
  const { product, setup, trouble } = c;
  const comps = product.components;
  for (let i = 0; i < comps.length; i++) {
    const comp = comps[i];
    if (!comp) continue;
    const uTrouble = rng.next();
    const uBase = rng.next();
    const uMoisture = rng.next();
    const uValue = rng.next();
    const uPick = rng.next();
    const b = comp.bomLine;
    const lot = c.lots[b] as LotRecord;
    let pMissing = 0;
    let pMisaligned = 0;
    let attempts = uPick < 0.004 ? 2 : 1;
    if (trouble && setup.machine[b] === trouble.machine) {
      const hit = trouble.nozzle === null ? setup.slot[b] === trouble.slot : setup.nozzle[b]?.endsWith(trouble.nozzle) === true;
      if (hit) {
        pMissing = trouble.pMissing;
        pMisaligned = trouble.pMisaligned;
        // A feeder that mis-indexes or a nozzle that loses vacuum needs more pick attempts.
        if (trouble.nozzle === null) attempts = uPick < 0.1 ? 3 : uPick < 0.4 ? 2 : 1;
      }
    }
    pickAttempts[i] = attempts;
    if (uTrouble < pMissing) defects.push({ component: i, type: 'Missing', mechanism: 'FeederNozzle' });
    else if (uTrouble < pMissing + pMisaligned) defects.push({ component: i, type: 'Misaligned', mechanism: 'FeederNozzle' });

    const tiny = comp.packageName === '0201' || comp.packageName === '0402';
    const polar = comp.part.kind === 'D' || (comp.part.kind === 'U' && comp.kind !== 'Bga');
    const hMissing = 3e-6;
    const hMisaligned = tiny ? 1.2e-5 : 5e-6;
    const hTombstone = tiny ? 1e-5 : 0;
    const hPolarity = polar ? 2e-5 : 0;
    if (uBase < hMissing) defects.push({ component: i, type: 'Missing', mechanism: 'Random' });
    else if (uBase < hMissing + hMisaligned) defects.push({ component: i, type: 'Misaligned', mechanism: 'Random' });
    else if (uBase < hMissing + hMisaligned + hTombstone) defects.push({ component: i, type: 'Tombstone', mechanism: 'Random' });
    else if (uBase < hMissing + hMisaligned + hTombstone + hPolarity) defects.push({ component: i, type: 'Polarity', mechanism: 'Random' });

    if (comp.moistureSensitive && lot.openedOn !== null) {
      // Moisture absorbed past the floor life turns to steam in reflow: the package warps and
      // balls lift (head-in-pillow) or leads open. Invisible to SPI, mostly to AOI too.
      const exposure = (c.placedAt - lot.openedOn) / HOUR;
      const h = exposure > (comp.floorLifeHours ?? 168) ? 0.1 * sigmoid((exposure - 220) / 25) : 0;
      if (uMoisture < h) {
        const type = comp.kind === 'Bga' && uMoisture < 0.7 * h ? 'HeadInPillow' : 'Open';
        defects.push({ component: i, type, mechanism: 'MoistureFloorLife' });
      }
    }
    if (lot.offFraction > 0 && comp.part.value !== undefined && uValue < lot.offFraction) {
      const deviation = lot.valueBias * (0.85 + 0.3 * (uValue / lot.offFraction));
      if (deviation > (comp.part.ictTolerance ?? 0.05)) defects.push({ component: i, type: 'Parametric', mechanism: 'LotOutOfTolerance', deviation });
    }
  }
}
