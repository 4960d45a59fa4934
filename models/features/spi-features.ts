/**
 * The features of `spi-defect-risk`: one row per SPI pad of a board, from what Opcenter holds about
 * the print (the SPI inspection, its stencil and the pad measurements, in the logical names of
 * `opcenter/client/mapping.json`). Training (`models/training`) and serving (workers) both call
 * `computeSpiFeatures`, so the two cannot compute a feature differently.
 */
import type { Row } from '../../opcenter/client';
import { FeatureInputError } from './feature-input.error';

/** One pad as the `spiPad` concept reads it. */
export interface SpiPadInput {
  readonly padId: string;
  readonly referenceDesignator: string;
  readonly pinNumber: string;
  readonly packageType: string;
  /** 'Rectangle' | 'Round' | 'Oblong' */
  readonly padShape: string;
  readonly padSizeXUm: number;
  readonly padSizeYUm: number;
  /** Centre-to-centre distance to the nearest neighbouring pad, µm. */
  readonly pitchUm: number;
  /** Aperture opening area over its wall area (IPC-7525; < 0.66 releases paste poorly). */
  readonly apertureAreaRatio: number;
  /** Measured volume, % of the aperture's nominal volume. */
  readonly volumePct: number;
  readonly areaPct: number;
  readonly heightUm: number;
  readonly offsetXUm: number;
  readonly offsetYUm: number;
  /** The SPI machine's own call: 'Pass' | 'Fail'. */
  readonly result: string;
}

/** Everything the features of one board need. */
export interface SpiBoardInput {
  readonly serialNumber: string;
  /** Opcenter id (guid) of the SPI inspection (not a feature: tells one print of the board from another). */
  readonly inspectionId?: string;
  /** The stencil used (not a feature: named in the likely cause an engineer reads). */
  readonly stencilId?: string;
  /** Prints since the last under-stencil wipe (1 = first print after a wipe). */
  readonly printsSinceWipe: number;
  /** 'A' | 'B' | 'C' */
  readonly shift: string;
  readonly stencilThicknessUm: number;
  /** Prints between two automatic wipes. */
  readonly wipeIntervalPrints: number;
  readonly pads: readonly SpiPadInput[];
}

/** Feature names, in column order. Units: µm, %, or a ratio; one-hot columns are 0 or 1. */
export const SPI_FEATURE_NAMES = [
  'volume_pct',
  'area_pct',
  'height_um',
  'offset_x_um',
  'offset_y_um',
  'offset_along_pitch_ratio',
  'offset_across_ratio',
  'pad_size_x_um',
  'pad_size_y_um',
  'pad_area_mm2',
  'pitch_um',
  'gap_um',
  'encroachment_ratio',
  'aperture_area_ratio',
  'stencil_thickness_um',
  'prints_since_wipe',
  'wipe_cycle_progress',
  'shape_round',
  'shape_rectangle',
  'shape_oblong',
  'package_bga',
  'package_wlcsp',
  'package_qfn',
  'package_lga',
  'package_chip',
  'package_gullwing',
  'package_other',
  'thermal_pad',
  'spi_fail',
  'board_offset_x_median_um',
  'board_offset_y_median_um',
  'board_fine_pitch_volume_mean_pct',
  'board_failed_pad_share',
  'volume_vs_package_mean',
  'shift_a',
  'shift_b',
  'shift_c',
] as const;

/** Number of feature columns. */
export const SPI_FEATURE_COUNT = SPI_FEATURE_NAMES.length;

/** Bumped whenever a feature's definition changes; model cards record the version they were trained on. */
export const SPI_FEATURES_VERSION = 1;

/** Pitch at or below which a pad counts as fine pitch (excess paste floods these first), µm. */
const FINE_PITCH_UM = 500;
/** Smallest gap to a neighbour the features assume, µm (pads closer than this are one land). */
const MIN_GAP_UM = 50;

/** The features of one board: `rows` x `SPI_FEATURE_COUNT`, row-major, in `padIds` order. */
export interface SpiFeatures {
  readonly serialNumber: string;
  readonly rows: number;
  readonly values: Float32Array;
  /** Pad ids (`<RefDes>-<pin>`) in row order: sorted, whatever order the pads came in. */
  readonly padIds: readonly string[];
  readonly referenceDesignators: readonly string[];
  /** Optional: each row's index into `components` (reference designators in order of first row), so aggregation needs no lookups. */
  readonly componentOfRow?: Int32Array;
  readonly components?: readonly string[];
}

type PackageFamily = 'bga' | 'wlcsp' | 'qfn' | 'lga' | 'chip' | 'gullwing' | 'other';

/** The land-pattern family of a package name as the plant's CAD data writes it. */
export function packageFamilyOf(packageType: string): PackageFamily {
  const name = packageType.toUpperCase();
  if (name.startsWith('BGA')) return 'bga';
  if (name.startsWith('WLCSP')) return 'wlcsp';
  if (name.startsWith('QFN') || name.startsWith('PQFN') || name.startsWith('DFN')) return 'qfn';
  if (name.startsWith('LGA')) return 'lga';
  if (/^\d{4}$/.test(name)) return 'chip';
  if (/^(SOIC|TSSOP|SSOP|SOT|SOD|QFP|LQFP|TQFP)/.test(name)) return 'gullwing';
  return 'other';
}

const FAMILY_COLUMN: Record<PackageFamily, number> = {
  bga: 20,
  wlcsp: 21,
  qfn: 22,
  lga: 23,
  chip: 24,
  gullwing: 25,
  other: 26,
};

/** Exposed pads, tabs and shield pins: large lands that neither bridge nor starve like signal pins. */
function isThermalPin(pin: string): boolean {
  return pin === 'EP' || pin === 'TAB' || /^S\d*$/.test(pin);
}

/** The `k`-th smallest of `a[from..to]` (inclusive), rearranging `a` around it (Hoare's selection). */
function select(a: Float64Array, k: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/** The median (the mean of the middle two for an even count; 0 for none), in linear time. */
function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const a = values.slice();
  const mid = n >> 1;
  const upper = select(a, mid, 0, n - 1);
  if (n % 2 === 1) return upper;
  // After selection every value left of `mid` is at most a[mid]: the lower middle is their maximum.
  let lower = a[0] as number;
  for (let i = 1; i < mid; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/**
 * What the features of a board need that does not change from print to print: its pads in `padId`
 * order with their geometry, package and aperture (a stencil belongs to one product revision, so
 * this is fixed per stencil). `prepareSpiLayout` computes it once; `fillSpiFeatures` adds a print.
 */
export interface SpiLayout {
  readonly rows: number;
  /** Pad ids in row order (sorted). */
  readonly padIds: readonly string[];
  readonly referenceDesignators: readonly string[];
  /** `padIds` joined with ',', to recognise measurements already in row order with one comparison. */
  readonly padIdKey: string;
  /** The feature rows with every static column filled and the rest 0. */
  readonly template: Float32Array;
  readonly alongX: Uint8Array;
  readonly sizeAlong: Float64Array;
  readonly sizeAcross: Float64Array;
  readonly gap: Float64Array;
  /** 1 where a pad counts towards the board's fine-pitch volume. */
  readonly finePitch: Uint8Array;
  /** Index of each pad's package type, for the per-package mean volume. */
  readonly packageGroup: Int32Array;
  readonly packageGroups: number;
  /** Each row's index into `components`. */
  readonly componentOfRow: Int32Array;
  /** Reference designators in order of their first row. */
  readonly components: readonly string[];
}

/** One print of a board: its measurements in the layout's row order and the print's context. */
export interface SpiPrint {
  readonly serialNumber: string;
  readonly printsSinceWipe: number;
  readonly shift: string;
  readonly stencilThicknessUm: number;
  readonly wipeIntervalPrints: number;
  readonly volumePct: Float64Array;
  readonly areaPct: Float64Array;
  readonly heightUm: Float64Array;
  readonly offsetXUm: Float64Array;
  readonly offsetYUm: Float64Array;
  /** 1 where the SPI machine called the pad 'Fail'. */
  readonly failed: Uint8Array;
}

/** The static geometry of one pad, as `SpiPadInput` holds it. */
export type SpiPadGeometry = Pick<
  SpiPadInput,
  'padId' | 'referenceDesignator' | 'pinNumber' | 'packageType' | 'padShape' | 'padSizeXUm' | 'padSizeYUm' | 'pitchUm' | 'apertureAreaRatio'
>;

function byPadId<T extends { padId: string }>(a: T, b: T): number {
  return a.padId < b.padId ? -1 : a.padId > b.padId ? 1 : 0;
}

/** The layout of a board's pads (any order in; rows come out in `padId` order). */
export function prepareSpiLayout(padsInAnyOrder: readonly SpiPadGeometry[]): SpiLayout {
  const pads = [...padsInAnyOrder].sort(byPadId);
  const n = pads.length;
  const width = SPI_FEATURE_COUNT;
  const template = new Float32Array(n * width);
  const alongX = new Uint8Array(n);
  const sizeAlong = new Float64Array(n);
  const sizeAcross = new Float64Array(n);
  const gap = new Float64Array(n);
  const finePitch = new Uint8Array(n);
  const packageGroup = new Int32Array(n);
  const groups = new Map<string, number>();
  const componentOfRow = new Int32Array(n);
  const components = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const pad = pads[i] as SpiPadGeometry;
    let component = components.get(pad.referenceDesignator);
    if (component === undefined) components.set(pad.referenceDesignator, (component = components.size));
    componentOfRow[i] = component;
    const o = i * width;
    // The pitch runs along the pad's short side (QFN leads, BGA rows, chip terminations alike).
    const along = pad.padSizeXUm <= pad.padSizeYUm;
    alongX[i] = along ? 1 : 0;
    sizeAlong[i] = along ? pad.padSizeXUm : pad.padSizeYUm;
    sizeAcross[i] = along ? pad.padSizeYUm : pad.padSizeXUm;
    gap[i] = Math.max(MIN_GAP_UM, pad.pitchUm - (sizeAlong[i] as number));
    const thermal = isThermalPin(pad.pinNumber);
    finePitch[i] = pad.pitchUm <= FINE_PITCH_UM && !thermal ? 1 : 0;
    let group = groups.get(pad.packageType);
    if (group === undefined) groups.set(pad.packageType, (group = groups.size));
    packageGroup[i] = group;
    template[o + 7] = pad.padSizeXUm;
    template[o + 8] = pad.padSizeYUm;
    template[o + 9] = (pad.padSizeXUm * pad.padSizeYUm) / 1e6;
    template[o + 10] = pad.pitchUm;
    template[o + 11] = gap[i] as number;
    template[o + 13] = pad.apertureAreaRatio;
    template[o + 17] = pad.padShape === 'Round' ? 1 : 0;
    template[o + 18] = pad.padShape === 'Rectangle' ? 1 : 0;
    template[o + 19] = pad.padShape === 'Oblong' ? 1 : 0;
    template[o + FAMILY_COLUMN[packageFamilyOf(pad.packageType)]] = 1;
    template[o + 27] = thermal ? 1 : 0;
  }
  const padIds = pads.map((p) => p.padId);
  return {
    rows: n,
    padIds,
    referenceDesignators: pads.map((p) => p.referenceDesignator),
    padIdKey: padIds.join(','),
    template,
    alongX,
    sizeAlong,
    sizeAcross,
    gap,
    finePitch,
    packageGroup,
    packageGroups: groups.size,
    componentOfRow,
    components: [...components.keys()],
  };
}

/** The feature rows of one print on a layout. */
export function fillSpiFeatures(layout: SpiLayout, print: SpiPrint): SpiFeatures {
  const n = layout.rows;
  const width = SPI_FEATURE_COUNT;
  const values = layout.template.slice();
  let fineSum = 0;
  let fineCount = 0;
  let failed = 0;
  const groupSum = new Float64Array(layout.packageGroups);
  const groupCount = new Float64Array(layout.packageGroups);
  for (let i = 0; i < n; i++) {
    const volume = print.volumePct[i] as number;
    if (print.failed[i] === 1) failed++;
    if (layout.finePitch[i] === 1) {
      fineSum += volume;
      fineCount++;
    }
    const g = layout.packageGroup[i] as number;
    groupSum[g] = (groupSum[g] as number) + volume;
    groupCount[g] = (groupCount[g] as number) + 1;
  }
  const boardOffX = median(print.offsetXUm);
  const boardOffY = median(print.offsetYUm);
  const fineMean = fineCount > 0 ? fineSum / fineCount : 100;
  const failedShare = n > 0 ? failed / n : 0;
  const wipeProgress = print.printsSinceWipe / Math.max(1, print.wipeIntervalPrints);
  const shiftColumn = print.shift === 'A' ? 34 : print.shift === 'B' ? 35 : 36;

  const { volumePct, areaPct, heightUm, offsetXUm, offsetYUm, stencilThicknessUm, printsSinceWipe } = print;
  const failedPads = print.failed;
  const { alongX: alongXs, sizeAlong: sizesAlong, sizeAcross: sizesAcross, gap: gaps, packageGroup } = layout;
  for (let i = 0; i < n; i++) {
    const o = i * width;
    const volume = volumePct[i] as number;
    const area = areaPct[i] as number;
    const offX = offsetXUm[i] as number;
    const offY = offsetYUm[i] as number;
    const alongX = alongXs[i] === 1;
    const sizeAlong = sizesAlong[i] as number;
    const offAlong = Math.abs(alongX ? offX : offY);
    const offAcross = Math.abs(alongX ? offY : offX);
    const gap = gaps[i] as number;
    const g = packageGroup[i] as number;
    const meanVolume = (groupSum[g] as number) / (groupCount[g] as number);

    values[o] = volume;
    values[o + 1] = area;
    values[o + 2] = heightUm[i] as number;
    values[o + 3] = offX;
    values[o + 4] = offY;
    values[o + 5] = offAlong / Math.max(1, sizeAlong);
    values[o + 6] = offAcross / Math.max(1, sizesAcross[i] as number);
    // How far paste reaches into the gap to the neighbour: spread beyond the pad plus the offset.
    values[o + 12] = (Math.max(0, area / 100 - 1) * sizeAlong * 0.5 + offAlong) / gap;
    values[o + 14] = stencilThicknessUm;
    values[o + 15] = printsSinceWipe;
    values[o + 16] = wipeProgress;
    values[o + 28] = failedPads[i] as number;
    values[o + 29] = boardOffX;
    values[o + 30] = boardOffY;
    values[o + 31] = fineMean;
    values[o + 32] = failedShare;
    values[o + 33] = meanVolume > 0 ? volume / meanVolume : 1;
    values[o + shiftColumn] = 1;
  }
  return {
    serialNumber: print.serialNumber,
    rows: n,
    values,
    padIds: layout.padIds,
    referenceDesignators: layout.referenceDesignators,
    componentOfRow: layout.componentOfRow,
    components: layout.components,
  };
}

/**
 * Computes the feature rows of one board. Pads are put in `padId` order first, so the rows and
 * every board-level aggregate are the same whatever order Opcenter returned the pads in.
 */
export function computeSpiFeatures(board: SpiBoardInput): SpiFeatures {
  return fillSpiFeatures(prepareSpiLayout(board.pads), spiPrintOf(board));
}

/** A board's print (measurements in padId order, the layout's row order) from its full input. */
export function spiPrintOf(board: SpiBoardInput): SpiPrint {
  return printOf(board, [...board.pads].sort(byPadId));
}

/** The measurements of one pad of a print. */
type PrintPad = Pick<SpiPadInput, 'padId' | 'volumePct' | 'areaPct' | 'heightUm' | 'offsetXUm' | 'offsetYUm' | 'result'>;

/** A print from its context and its pads already in padId order. */
function printOf(context: Omit<SpiPrint, 'volumePct' | 'areaPct' | 'heightUm' | 'offsetXUm' | 'offsetYUm' | 'failed'>, pads: readonly PrintPad[]): SpiPrint {
  const column = (read: (pad: PrintPad) => number) => Float64Array.from(pads, read);
  return {
    serialNumber: context.serialNumber,
    printsSinceWipe: context.printsSinceWipe,
    shift: context.shift,
    stencilThicknessUm: context.stencilThicknessUm,
    wipeIntervalPrints: context.wipeIntervalPrints,
    volumePct: column((p) => p.volumePct),
    areaPct: column((p) => p.areaPct),
    heightUm: column((p) => p.heightUm),
    offsetXUm: column((p) => p.offsetXUm),
    offsetYUm: column((p) => p.offsetYUm),
    failed: Uint8Array.from(pads, (p) => (p.result === 'Fail' ? 1 : 0)),
  };
}

const PAD_NUMBERS = [
  'padSizeXUm',
  'padSizeYUm',
  'pitchUm',
  'apertureAreaRatio',
  'volumePct',
  'areaPct',
  'heightUm',
  'offsetXUm',
  'offsetYUm',
] as const;
const PAD_TEXTS = ['padId', 'referenceDesignator', 'pinNumber', 'packageType', 'padShape', 'result'] as const;

function finiteNumber(subject: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FeatureInputError(subject, field, `must be a finite number, got ${JSON.stringify(value) ?? 'undefined'}`);
  }
  // JSON has no -0: a value that went through OData reads as 0, so the simulator's -0 must too.
  return value + 0;
}

function nonEmptyText(subject: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new FeatureInputError(subject, field, `must be a non-empty string, got ${JSON.stringify(value) ?? 'undefined'}`);
  }
  return value;
}

/** The checked context of a print: the inspection's and its stencil's fields, with the subject errors name. */
function printContextOf(inspection: Row, stencil: Row, padCount: number): { subject: string; context: Parameters<typeof printOf>[0] } {
  const serialNumber = nonEmptyText('spiInspection', 'serialNumber', inspection.serialNumber);
  const subject = `board ${serialNumber}`;
  const shift = nonEmptyText(subject, 'spiInspection.shift', inspection.shift);
  if (shift !== 'A' && shift !== 'B' && shift !== 'C') {
    throw new FeatureInputError(subject, 'spiInspection.shift', `must be 'A', 'B' or 'C', got '${shift}'`);
  }
  if (padCount === 0) throw new FeatureInputError(subject, 'spiPad', 'has no pads: the inspection holds no measurements');
  return {
    subject,
    context: {
      serialNumber,
      printsSinceWipe: finiteNumber(subject, 'spiInspection.printsSinceWipe', inspection.printsSinceWipe),
      shift,
      stencilThicknessUm: finiteNumber(subject, 'stencil.thicknessUm', stencil.thicknessUm),
      wipeIntervalPrints: finiteNumber(subject, 'stencil.wipeIntervalPrints', stencil.wipeIntervalPrints),
    },
  };
}

/**
 * Builds the input of `computeSpiFeatures` from Opcenter rows in logical names (an `spiInspection`,
 * its `stencil` and its `spiPad` rows), checking every field it uses.
 * @throws FeatureInputError naming the first field that is missing or malformed
 */
export function toSpiBoardInput(inspection: Row, stencil: Row, padRows: readonly Row[]): SpiBoardInput {
  const { subject, context } = printContextOf(inspection, stencil, padRows.length);
  const pads = padRows.map((row, index) => {
    const where = `spiPad[${typeof row.padId === 'string' ? row.padId : index}]`;
    const pad: Record<string, unknown> = {};
    for (const field of PAD_TEXTS) pad[field] = nonEmptyText(subject, `${where}.${field}`, row[field]);
    for (const field of PAD_NUMBERS) pad[field] = finiteNumber(subject, `${where}.${field}`, row[field]);
    return pad as unknown as SpiPadInput;
  });
  return {
    ...context,
    ...(typeof inspection.guid === 'string' ? { inspectionId: inspection.guid } : {}),
    ...(typeof inspection.stencilId === 'string' ? { stencilId: inspection.stencilId } : {}),
    pads,
  };
}

/** The spiPad fields that change from print to print; the rest of a row is its stencil's layout. */
export const SPI_PRINT_PAD_FIELDS = ['padId', 'volumePct', 'areaPct', 'heightUm', 'offsetXUm', 'offsetYUm', 'result'] as const;

/** One print read from Opcenter without its pads' geometry: to be filled into its stencil's layout. */
export interface SpiPrintReading {
  readonly inspectionId?: string;
  readonly stencilId?: string;
  /** The pad ids in layout order, joined with ',' (compare with `SpiLayout.padIdKey`). */
  readonly padIdKey: string;
  readonly print: SpiPrint;
}

/**
 * Builds a print from an `spiInspection`, its `stencil` and `spiPad` rows of SPI_PRINT_PAD_FIELDS only,
 * checking each field as `toSpiBoardInput` does; `fillSpiFeatures(layout, reading.print)` with the
 * stencil's layout then gives exactly `computeSpiFeatures` of the full rows.
 * @throws FeatureInputError naming the first field that is missing or malformed
 */
export function toSpiPrintReading(inspection: Row, stencil: Row, padRows: readonly Row[]): SpiPrintReading {
  const { subject, context } = printContextOf(inspection, stencil, padRows.length);
  const pads = padRows.map((row, index) => {
    const where = `spiPad[${typeof row.padId === 'string' ? row.padId : index}]`;
    return {
      padId: nonEmptyText(subject, `${where}.padId`, row.padId),
      result: nonEmptyText(subject, `${where}.result`, row.result),
      volumePct: finiteNumber(subject, `${where}.volumePct`, row.volumePct),
      areaPct: finiteNumber(subject, `${where}.areaPct`, row.areaPct),
      heightUm: finiteNumber(subject, `${where}.heightUm`, row.heightUm),
      offsetXUm: finiteNumber(subject, `${where}.offsetXUm`, row.offsetXUm),
      offsetYUm: finiteNumber(subject, `${where}.offsetYUm`, row.offsetYUm),
    };
  });
  pads.sort(byPadId);
  return {
    ...(typeof inspection.guid === 'string' ? { inspectionId: inspection.guid } : {}),
    ...(typeof inspection.stencilId === 'string' ? { stencilId: inspection.stencilId } : {}),
    padIdKey: pads.map((p) => p.padId).join(','),
    print: printOf(context, pads),
  };
}
