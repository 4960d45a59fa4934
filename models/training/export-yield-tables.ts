import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { YIELD_FEATURE_COUNT, YIELD_FEATURE_NAMES, YIELD_FEATURES_VERSION } from '../features/yield-features';
import { createDatasetPlant, linesOf, type DatasetSpec, type ExportSummary, type Split } from './spi-dataset';
import { TableWriter } from './table-writer';
import { iterateYieldSamples, YIELD_CHECKPOINTS } from './yield-dataset';

/**
 * Writes the `train` and `calibration` tables of `yield-predictor` into `dir`, with `meta.json`
 * describing their columns. Held-out orders are never written: evaluation regenerates them.
 */
export function exportYieldTables(spec: DatasetSpec, dir: string): ExportSummary {
  const data = createDatasetPlant(spec);
  const splits: Split[] = ['train', 'calibration'];
  const writers = new Map(splits.map((s) => [s, new TableWriter(dir, s, YIELD_FEATURE_COUNT, 'f32')]));
  const orders = new Map<Split, Set<string>>(splits.map((s) => [s, new Set()]));
  try {
    for (const sample of iterateYieldSamples(spec, new Set(splits), data)) {
      (writers.get(sample.split) as TableWriter).append(sample.features, Float32Array.of(sample.label), Float32Array.of(1));
      orders.get(sample.split)?.add(sample.orderId);
    }
  } finally {
    for (const writer of writers.values()) writer.close();
  }
  const rows = Object.fromEntries([...writers].map(([split, writer]) => [split, writer.rows]));
  const meta = {
    model: 'yield-predictor',
    dataset: spec,
    featuresVersion: YIELD_FEATURES_VERSION,
    featureNames: YIELD_FEATURE_NAMES,
    checkpoints: YIELD_CHECKPOINTS,
    rows,
    orders: Object.fromEntries([...orders].map(([split, set]) => [split, set.size])),
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return { rows, window: data.window, lines: linesOf(data) };
}
