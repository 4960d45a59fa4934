import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPI_FEATURE_COUNT, SPI_FEATURE_NAMES, SPI_FEATURES_VERSION } from '../features/spi-features';
import { createDatasetPlant, iterateSpiBoards, linesOf, SPI_CLASSES, type DatasetSpec, type ExportSummary, type Split } from './spi-dataset';
import { TableWriter } from './table-writer';

/** How the training tables thin out defect-free pads (there are ~10,000 of them per defect). */
export interface SpiExportOptions {
  /** Share of defect-free pads kept; each kept one is weighted 1/rate so the loss stays unbiased. */
  readonly negativeRate: number;
  /** Called every few hundred boards. */
  readonly progress?: (boards: number, rows: number) => void;
}

/** A hash of a pad's identity in [0, 1): which defect-free pads the thinning keeps, the same on every run. */
function unitHash(serialNumber: string, padId: string): number {
  let h = 0x811c9dc5;
  const text = `${serialNumber}/${padId}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/**
 * Writes the `train` and `calibration` tables of `spi-defect-risk` into `dir`, with `meta.json`
 * describing their columns. Held-out boards are never written: evaluation regenerates them.
 */
export function exportSpiTables(spec: DatasetSpec, dir: string, options: SpiExportOptions): ExportSummary {
  const data = createDatasetPlant(spec);
  const splits: Split[] = ['train', 'calibration'];
  const writers = new Map(splits.map((s) => [s, new TableWriter(dir, s, SPI_FEATURE_COUNT, 'u8')]));
  const weight = 1 / options.negativeRate;
  let boards = 0;
  try {
    for (const sample of iterateSpiBoards(data, spec, new Set(splits))) {
      const { features, labels } = sample;
      const keep: number[] = [];
      for (let i = 0; i < features.rows; i++) {
        if (labels[i] !== 0 || unitHash(features.serialNumber, features.padIds[i] as string) < options.negativeRate) keep.push(i);
      }
      const rows = new Float32Array(keep.length * SPI_FEATURE_COUNT);
      const kept = new Uint8Array(keep.length);
      const weights = new Float32Array(keep.length);
      keep.forEach((row, k) => {
        rows.set(features.values.subarray(row * SPI_FEATURE_COUNT, (row + 1) * SPI_FEATURE_COUNT), k * SPI_FEATURE_COUNT);
        kept[k] = labels[row] as number;
        weights[k] = labels[row] === 0 ? weight : 1;
      });
      (writers.get(sample.split) as TableWriter).append(rows, kept, weights);
      if (++boards % 500 === 0) options.progress?.(boards, [...writers.values()].reduce((n, w) => n + w.rows, 0));
    }
  } finally {
    for (const writer of writers.values()) writer.close();
  }
  const rows = Object.fromEntries([...writers].map(([split, writer]) => [split, writer.rows]));
  const meta = {
    model: 'spi-defect-risk',
    dataset: spec,
    featuresVersion: SPI_FEATURES_VERSION,
    featureNames: SPI_FEATURE_NAMES,
    classes: SPI_CLASSES,
    negativeRate: options.negativeRate,
    rows,
    boards,
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return { rows, window: data.window, lines: linesOf(data) };
}
