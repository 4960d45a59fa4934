/**
 * A board's SPI measurements as they travel with an event or a scoring job, so a worker can score
 * the print without reading its pads back from Opcenter: the pads in `padId` order and five
 * columns of numbers, packed (base64 of little-endian float64, one column after another) because a
 * worker parses thousands of these a second. The static rest of the features (pad geometry,
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
  /** base64 of float64 little-endian: every pad's volumePct, then areaPct, heightUm, offsetXUm, offsetYUm. */
  values: string;
  /** One character per pad: 'F' where the SPI machine failed it, 'P' where it passed. */
  results: string;
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
  const values = new Float64Array(n * SPI_MEASUREMENT_COLUMNS.length);
  SPI_MEASUREMENT_COLUMNS.forEach((column, c) => {
    for (let i = 0; i < n; i++) values[c * n + i] = (pads[i] as SpiPadMeasurement)[column];
  });
  return {
    inspectionId: print.inspectionId,
    stencilId: print.stencilId,
    printsSinceWipe: print.printsSinceWipe,
    shift: print.shift,
    padIds: pads.map((p) => p.padId).join(','),
    values: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'),
    results: pads.map((p) => (p.result === 'Fail' ? 'F' : 'P')).join(''),
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
  const bytes = Buffer.from(payload.values, 'base64');
  const width = SPI_MEASUREMENT_COLUMNS.length;
  if (bytes.byteLength !== rows * width * 8) {
    throw new FeatureInputError(subject, 'measurements.values', `holds ${bytes.byteLength} bytes; ${rows} pads need ${rows * width * 8} (${width} float64 columns)`);
  }
  const values = new Float64Array(rows * width);
  new Uint8Array(values.buffer).set(bytes);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      const column = SPI_MEASUREMENT_COLUMNS[Math.floor(i / rows)] as string;
      throw new FeatureInputError(subject, `measurements.${column}[${i % rows}]`, `must be a finite number, got ${value}`);
    }
    values[i] = value + 0;
  }
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
