/**
 * A board's SPI measurements as they travel with an event or a scoring job, so a worker can score
 * the print without reading its pads back from Opcenter: the pads in `padId` order and five
 * columns of numbers, packed (base64, one column after another) because a worker parses thousands
 * of these a second. SPI machines report to a fixed number of decimals, so a column whose every
 * value is exactly an integer count of 10^-d travels as 16- or 32-bit integers (a quarter or half
 * of float64's bytes); any other column as float64. Either way the worker reads back the very same
 * doubles, so features stay bit-identical to those computed from Opcenter's OData. The static rest of the features (pad geometry,
 * package, aperture, stencil) comes from the stencil's layout, read from Opcenter once per stencil.
 */
import { z } from 'zod';
import { FeatureInputError } from './feature-input.error';

/** The measurement columns, in their packed order. */
export const SPI_MEASUREMENT_COLUMNS = ['volumePct', 'areaPct', 'heightUm', 'offsetXUm', 'offsetYUm'] as const;

/** Most pads one print may carry (the largest panels have a few thousand). */
export const MAX_SPI_PADS = 20_000;

/** Packed measurements of one print (JSON-serializable). */
export interface SpiMeasurementsPayload {
  /** Opcenter id (guid) of the SPI inspection these measurements are. */
  inspectionId: string;
  stencilId: string;
  /** Prints since the last under-stencil wipe (1 = first print after a wipe). */
  printsSinceWipe: number;
  /** 'A' | 'B' | 'C' */
  shift: string;
  /** The pad ids, sorted, joined with ','. */
  padIds: string;
  /** base64 of every pad's volumePct, then areaPct, heightUm, offsetXUm, offsetYUm, each column as `encoding` says. */
  values: string;
  /**
   * How each column is stored, comma-separated in column order: `f64` (float64), or `i16:D` /
   * `i32:D` (little-endian integers n, read as n / 10^D, D in 0..4). Absent: every column float64.
   */
  encoding?: string;
  /** One character per pad: 'F' where the SPI machine failed it, 'P' where it passed. */
  results: string;
}

const COLUMN_ENCODING = '(?:f64|i(?:16|32):[0-4])';
const COLUMN_ENCODINGS = new RegExp(`^${COLUMN_ENCODING}(?:,${COLUMN_ENCODING}){${SPI_MEASUREMENT_COLUMNS.length - 1}}$`);

/** How one column is stored. */
interface ColumnEncoding {
  readonly type: 'f64' | 'i16' | 'i32';
  /** Decimals: integers n stand for n / 10^decimals. */
  readonly decimals: number;
}

const BYTES: Readonly<Record<ColumnEncoding['type'], number>> = { f64: 8, i16: 2, i32: 4 };
const POWERS = [1, 10, 100, 1000, 10000] as const;

/** The smallest exact storage of a column: integers of the fewest decimals that give back every value, else float64. */
function encodingOf(column: Float64Array): ColumnEncoding {
  for (let decimals = 0; decimals < POWERS.length; decimals++) {
    const scale = POWERS[decimals] as number;
    let largest = 0;
    let exact = true;
    for (let i = 0; i < column.length && exact; i++) {
      const value = column[i] as number;
      const n = Math.round(value * scale);
      // The reader computes n / scale: correctly rounded, so it is `value` exactly when this holds.
      exact = n / scale === value && Math.abs(n) <= 2_147_483_647;
      largest = Math.max(largest, Math.abs(n));
    }
    if (exact) return { type: largest <= 32_767 ? 'i16' : 'i32', decimals };
  }
  return { type: 'f64', decimals: 0 };
}

function parseEncoding(encoding: string | undefined): ColumnEncoding[] {
  if (encoding === undefined) return SPI_MEASUREMENT_COLUMNS.map(() => ({ type: 'f64', decimals: 0 }));
  return encoding.split(',').map((part) => (part === 'f64' ? { type: 'f64', decimals: 0 } : { type: part.slice(0, 3) as 'i16' | 'i32', decimals: Number(part.slice(4)) }));
}

/** The payload's schema, for job and event validation (sizes only: `unpackSpiMeasurements` checks the content). */
export const spiMeasurementsPayloadSchema = z.object({
  inspectionId: z.string().min(1).max(200),
  stencilId: z.string().min(1).max(200),
  printsSinceWipe: z.number().int().min(0).max(1_000_000),
  shift: z.enum(['A', 'B', 'C']),
  padIds: z.string().min(1).max(MAX_SPI_PADS * 64),
  values: z.string().min(1).max(Math.ceil((MAX_SPI_PADS * SPI_MEASUREMENT_COLUMNS.length * 8) / 3) * 4),
  results: z.string().min(1).max(MAX_SPI_PADS),
  encoding: z
    .string()
    .regex(COLUMN_ENCODINGS, `must list ${SPI_MEASUREMENT_COLUMNS.length} column encodings, each f64, i16:D or i32:D with D 0 to 4`)
    .optional(),
}) satisfies z.ZodType<SpiMeasurementsPayload>;

/** One pad's measurement, as an event lists it. */
export interface SpiPadMeasurement {
  readonly padId: string;
  readonly volumePct: number;
  readonly areaPct: number;
  readonly heightUm: number;
  readonly offsetXUm: number;
  readonly offsetYUm: number;
  /** 'Pass' | 'Fail' */
  readonly result: string;
}

/** Packs a print's measurements (pads in any order; they are sorted by `padId`). */
export function packSpiMeasurements(print: {
  inspectionId: string;
  stencilId: string;
  printsSinceWipe: number;
  shift: string;
  pads: readonly SpiPadMeasurement[];
}): SpiMeasurementsPayload {
  const pads = [...print.pads].sort((a, b) => (a.padId < b.padId ? -1 : a.padId > b.padId ? 1 : 0));
  const n = pads.length;
  // -0 becomes 0, as through JSON.
  const columns = SPI_MEASUREMENT_COLUMNS.map((column) => Float64Array.from(pads, (pad) => pad[column] + 0));
  const encodings = columns.map(encodingOf);
  const bytes = Buffer.alloc(encodings.reduce((sum, e) => sum + BYTES[e.type] * n, 0));
  let at = 0;
  columns.forEach((column, c) => {
    const { type, decimals } = encodings[c] as ColumnEncoding;
    const scale = POWERS[decimals] as number;
    for (let i = 0; i < n; i++) {
      const value = column[i] as number;
      if (type === 'f64') at = bytes.writeDoubleLE(value, at);
      else if (type === 'i16') at = bytes.writeInt16LE(Math.round(value * scale), at);
      else at = bytes.writeInt32LE(Math.round(value * scale), at);
    }
  });
  const encoding = encodings.map((e) => (e.type === 'f64' ? 'f64' : `${e.type}:${e.decimals}`)).join(',');
  return {
    inspectionId: print.inspectionId,
    stencilId: print.stencilId,
    printsSinceWipe: print.printsSinceWipe,
    shift: print.shift,
    padIds: pads.map((p) => p.padId).join(','),
    values: bytes.toString('base64'),
    results: pads.map((p) => (p.result === 'Fail' ? 'F' : 'P')).join(''),
    encoding,
  };
}

/** Measurements as an SPI event carries them: one column per measurement, one entry per pad. */
export interface SpiEventMeasurementColumns {
  readonly stencilId: string;
  readonly printsSinceWipe: number;
  readonly shift: string;
  readonly pads: {
    readonly padId: readonly string[];
    readonly volumePct: readonly number[];
    readonly areaPct: readonly number[];
    readonly heightUm: readonly number[];
    readonly offsetXUm: readonly number[];
    readonly offsetYUm: readonly number[];
    readonly result: readonly string[];
  };
}

/** Packs the measurements of an SPI event (columns of equal length, as ingest has checked). */
export function packSpiEventMeasurements(inspectionId: string, event: SpiEventMeasurementColumns): SpiMeasurementsPayload {
  const { pads } = event;
  return packSpiMeasurements({
    inspectionId,
    stencilId: event.stencilId,
    printsSinceWipe: event.printsSinceWipe,
    shift: event.shift,
    pads: pads.padId.map((padId, i) => ({
      padId,
      volumePct: pads.volumePct[i] as number,
      areaPct: pads.areaPct[i] as number,
      heightUm: pads.heightUm[i] as number,
      offsetXUm: pads.offsetXUm[i] as number,
      offsetYUm: pads.offsetYUm[i] as number,
      result: pads.result[i] as string,
    })),
  });
}

/** Unpacked measurements: the columns in `padIds` order. */
export interface SpiMeasurements {
  readonly inspectionId: string;
  readonly stencilId: string;
  readonly printsSinceWipe: number;
  readonly shift: string;
  readonly rows: number;
  /** `SpiMeasurementsPayload.padIds`, compared whole with a layout's `padIdKey`. */
  readonly padIdKey: string;
  readonly volumePct: Float64Array;
  readonly areaPct: Float64Array;
  readonly heightUm: Float64Array;
  readonly offsetXUm: Float64Array;
  readonly offsetYUm: Float64Array;
  readonly failed: Uint8Array;
}

/**
 * Unpacks and checks a payload: as many values and results as pads, every number finite (-0 read
 * as 0, as through JSON), results only 'P' or 'F'.
 * @throws FeatureInputError naming what is wrong
 */
export function unpackSpiMeasurements(subject: string, payload: SpiMeasurementsPayload): SpiMeasurements {
  const rows = payload.results.length;
  if (payload.shift !== 'A' && payload.shift !== 'B' && payload.shift !== 'C') {
    throw new FeatureInputError(subject, 'measurements.shift', `must be 'A', 'B' or 'C', got '${payload.shift}'`);
  }
  let commas = 0;
  for (let i = 0; i < payload.padIds.length; i++) if (payload.padIds.charCodeAt(i) === 44) commas++;
  if (commas + 1 !== rows) {
    throw new FeatureInputError(subject, 'measurements.padIds', `lists ${commas + 1} pads but results has ${rows}: send one result per pad`);
  }
  if (payload.encoding !== undefined && !COLUMN_ENCODINGS.test(payload.encoding)) {
    throw new FeatureInputError(subject, 'measurements.encoding', `must list ${SPI_MEASUREMENT_COLUMNS.length} column encodings, each f64, i16:D or i32:D with D 0 to 4; got '${payload.encoding}'`);
  }
  const encodings = parseEncoding(payload.encoding);
  const bytes = Buffer.from(payload.values, 'base64');
  const expected = encodings.reduce((sum, e) => sum + BYTES[e.type] * rows, 0);
  if (bytes.byteLength !== expected) {
    throw new FeatureInputError(
      subject,
      'measurements.values',
      `holds ${bytes.byteLength} bytes; ${rows} pads need ${expected} (columns ${encodings.map((e) => e.type).join(', ')})`,
    );
  }
  const values = new Float64Array(rows * SPI_MEASUREMENT_COLUMNS.length);
  let at = 0;
  encodings.forEach(({ type, decimals }, c) => {
    const size = BYTES[type];
    // A copy of the column's bytes is aligned for a typed-array view (the decoded buffer may not be).
    const raw = new Uint8Array(rows * size);
    raw.set(bytes.subarray(at, at + rows * size));
    at += rows * size;
    const column = values.subarray(c * rows, (c + 1) * rows);
    if (type === 'f64') {
      column.set(new Float64Array(raw.buffer));
      for (let i = 0; i < rows; i++) {
        const value = column[i] as number;
        if (!Number.isFinite(value)) {
          throw new FeatureInputError(subject, `measurements.${SPI_MEASUREMENT_COLUMNS[c] as string}[${i}]`, `must be a finite number, got ${value}`);
        }
        column[i] = value + 0;
      }
      return;
    }
    const ints = type === 'i16' ? new Int16Array(raw.buffer) : new Int32Array(raw.buffer);
    const scale = POWERS[decimals] as number;
    // n / 1 is n (and 0 / scale is +0): the same doubles the packer checked it gives back.
    for (let i = 0; i < rows; i++) column[i] = (ints[i] as number) / scale;
  });
  const failed = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const code = payload.results.charCodeAt(i);
    if (code === 70) failed[i] = 1;
    else if (code !== 80) throw new FeatureInputError(subject, `measurements.results[${i}]`, `must be 'P' or 'F', got '${payload.results[i]}'`);
  }
  const column = (c: number) => values.subarray(c * rows, (c + 1) * rows);
  return {
    inspectionId: payload.inspectionId,
    stencilId: payload.stencilId,
    printsSinceWipe: payload.printsSinceWipe,
    shift: payload.shift,
    rows,
    padIdKey: payload.padIds,
    volumePct: column(0),
    areaPct: column(1),
    heightUm: column(2),
    offsetXUm: column(3),
    offsetYUm: column(4),
    failed,
  };
}
