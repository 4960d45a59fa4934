/**
 * Stencils: one per product per line. The aperture area ratio (aperture opening area over aperture
 * wall area) decides how well paste releases: below about 0.66 paste sticks to the walls, transfer
 * efficiency falls and apertures clog between under-stencil wipes.
 */
import type { StencilRow } from '../model/entity-sets';
import { guidOf, hashString, rngFor, sigmoid } from './prng';
import type { ProductModel } from './products';

const { round } = Math;

/** A stencil with per-aperture print properties, indexed like the product's pads. */
export interface StencilModel {
  readonly index: number;
  readonly id: string;
  readonly nid: string;
  readonly product: number;
  readonly line: number;
  readonly lineNid: string;
  readonly thicknessUm: number;
  readonly wipeInterval: number;
  /** Aperture area ratio per pad. */
  readonly areaRatio: Float64Array;
  /** Nominal transfer efficiency per pad (fraction of the aperture volume printed). */
  readonly transfer: Float64Array;
  /** Susceptibility to clogging per pad (0..1). */
  readonly clogSusceptibility: Float64Array;
  /** Prints made with this stencil so far (advanced as boards are printed). */
  printCount: number;
  readonly initialPrintCount: number;
}

const PURPOSE = hashString('stencil');

/** Area ratio of one aperture: L*W / (2*(L+W)*T) for rectangles, D / (4*T) for round ones. */
export function areaRatio(sizeX: number, sizeY: number, round: boolean, thickness: number): number {
  if (round) return sizeX / (4 * thickness);
  return (sizeX * sizeY) / (2 * (sizeX + sizeY) * thickness);
}

/** Creates the stencil of a product on a line. */
export function createStencil(seed: number, index: number, product: ProductModel, line: number, lineNid: string): StencilModel {
  const rng = rngFor(seed, PURPOSE, product.index, line);
  const [thin, thick] = product.spec.stencilUm;
  const thickness = round(rng.range(thin, thick + 0.999) / 5) * 5;
  const n = product.padCount;
  const ratio = new Float64Array(n);
  const transfer = new Float64Array(n);
  const clog = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const scale = product.padApertureScale[p] as number;
    const ar = areaRatio((product.padSizeX[p] as number) * scale, (product.padSizeY[p] as number) * scale, product.padShape[p] === 'Round', thickness);
    ratio[p] = round(ar * 1000) / 1000;
    transfer[p] = 1 - 0.35 * sigmoid((0.58 - ar) / 0.05);
    clog[p] = sigmoid((0.66 - ar) / 0.025);
  }
  const initial = rng.int(2000, 40000);
  return {
    index,
    id: guidOf(seed, PURPOSE, index),
    nid: `STN-${product.spec.nid}-${lineNid}`,
    product: product.index,
    line,
    lineNid,
    thicknessUm: thickness,
    wipeInterval: rng.int(5, 10),
    areaRatio: ratio,
    transfer,
    clogSusceptibility: clog,
    printCount: initial,
    initialPrintCount: initial,
  };
}

/** The Stencil row of a stencil as it stands. */
export function stencilRow(s: StencilModel, product: ProductModel, inUse: boolean): StencilRow {
  return {
    Id: s.id,
    NId: s.nid,
    MaterialNId: product.spec.nid,
    ThicknessUm: s.thicknessUm,
    ApertureCount: product.padCount * product.spec.panelSize,
    WipeIntervalPrints: s.wipeInterval,
    PrintCount: s.printCount,
    LineNId: s.lineNid,
    Status: inUse ? 'InUse' : 'Stored',
  };
}
