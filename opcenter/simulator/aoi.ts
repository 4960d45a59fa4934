/**
 * Post-reflow automated optical inspection and the repair operator's review. AOI sees fillets and
 * bodies, not joints under a BGA; it misses some real defects and calls some good parts. The
 * reviewer confirms or dismisses each call, and now and then gets it wrong.
 */
import type { AoiComponentResultRow } from '../model/entity-sets';
import type { BoardDefect, DefectType } from './ground-truth';
import type { PackageClass } from './packages';
import type { Rng } from './prng';
import type { ProductModel } from './products';

const { floor } = Math;

/** One component the AOI machine called. */
export interface AoiCall {
  readonly component: number;
  readonly code: string;
  readonly verdict: 'Confirmed' | 'FalseCall';
}

/** The AOI result of one board. */
export interface AoiOutcome {
  readonly calls: readonly AoiCall[];
  readonly confirmed: number;
}

/** Chance that AOI calls a real defect of this type on this package class. */
export function aoiDetection(type: DefectType, kind: PackageClass): number {
  const hidden = kind === 'Bga';
  const leadless = kind === 'Qfn';
  switch (type) {
    case 'Bridging':
      return hidden ? 0 : leadless ? 0.75 : 0.9;
    case 'InsufficientSolder':
      return hidden ? 0 : leadless ? 0.5 : 0.82;
    case 'Open':
      return hidden ? 0 : leadless ? 0.35 : 0.6;
    case 'Missing':
      return 0.99;
    case 'Misaligned':
      return hidden ? 0.7 : 0.9;
    case 'Tombstone':
      return 0.97;
    case 'Polarity':
      return 0.93;
    default:
      return 0;
  }
}

/** Chance that AOI calls a good component of this package (false call). */
function falseCallRate(packageName: string, kind: PackageClass): number {
  if (packageName === '0201') return 0.0008;
  if (packageName === '0402') return 0.0004;
  if (kind === 'Chip') return 0.0002;
  if (kind === 'Bga') return 0.00005;
  return 0.0008;
}

const FALSE_CODES_CHIP = ['Tombstone', 'Misaligned', 'InsufficientSolder'];
const FALSE_CODES_IC = ['Bridging', 'InsufficientSolder', 'Polarity', 'Misaligned'];

/**
 * Inspects one board. Defects that AOI calls and the reviewer confirms are marked found by AOI
 * (and repaired); a confirmed defect dismissed as a false call goes on down the line.
 */
export function inspectAoi(product: ProductModel, defects: BoardDefect[], falseCallFactor: number, rng: Rng): AoiOutcome {
  const calls: AoiCall[] = [];
  const called = new Set<number>();
  let confirmed = 0;
  for (const d of defects) {
    const uDetect = rng.next();
    const uReview = rng.next();
    const comp = product.components[d.component];
    if (!comp || called.has(d.component)) continue;
    if (uDetect >= aoiDetection(d.type, comp.kind)) continue;
    called.add(d.component);
    const verdict = uReview < 0.95 ? 'Confirmed' : 'FalseCall';
    calls.push({ component: d.component, code: d.type, verdict });
    if (verdict === 'Confirmed') {
      confirmed++;
      for (const other of defects) if (other.component === d.component && other.detectedBy === 'Escape') other.detectedBy = 'AOI';
    }
  }
  const comps = product.components;
  for (let i = 0; i < comps.length; i++) {
    const comp = comps[i];
    const u = rng.next();
    if (!comp || called.has(i)) continue;
    if (u < falseCallRate(comp.packageName, comp.kind) * falseCallFactor) {
      const r = u / (falseCallRate(comp.packageName, comp.kind) * falseCallFactor);
      const codes = comp.kind === 'Chip' ? FALSE_CODES_CHIP : FALSE_CODES_IC;
      const verdict = r < 0.03 ? 'Confirmed' : 'FalseCall';
      if (verdict === 'Confirmed') confirmed++;
      calls.push({ component: i, code: codes[floor(r * codes.length)] as string, verdict });
    }
  }
  calls.sort((a, b) => a.component - b.component);
  return { calls, confirmed };
}

/** The AoiComponentResult rows of one inspection. */
export function aoiRows(product: ProductModel, inspectionId: string, serial: string, outcome: AoiOutcome): AoiComponentResultRow[] {
  const byComp = new Map(outcome.calls.map((c) => [c.component, c]));
  return product.components.map((comp, i) => {
    const call = byComp.get(i);
    return {
      Id: `${inspectionId}:${i}`,
      AoiInspectionId: inspectionId,
      SerialNumber: serial,
      ReferenceDesignator: comp.refdes,
      MaterialNId: comp.part.nid,
      PackageType: comp.packageName,
      Result: call ? 'Fail' : 'Pass',
      DefectCode: call ? call.code : null,
      ReviewVerdict: call ? call.verdict : null,
    };
  });
}
