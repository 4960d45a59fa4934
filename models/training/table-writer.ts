import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes one training table as raw little-endian columns that numpy reads with `np.fromfile`:
 * `<name>.features.f32` (rows x width), `<name>.labels.<type>` and `<name>.weights.f32`.
 */
export class TableWriter {
  private readonly features: number;
  private readonly labels: number;
  private readonly weights: number;
  private rowCount = 0;

  constructor(
    dir: string,
    readonly name: string,
    readonly width: number,
    readonly labelType: 'u8' | 'f32',
  ) {
    mkdirSync(dir, { recursive: true });
    this.features = openSync(join(dir, `${name}.features.f32`), 'w');
    this.labels = openSync(join(dir, `${name}.labels.${labelType}`), 'w');
    this.weights = openSync(join(dir, `${name}.weights.f32`), 'w');
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends rows: `features` holds `labels.length` rows of `width` values. */
  append(features: Float32Array, labels: Uint8Array | Float32Array, weights: Float32Array): void {
    if (features.length !== labels.length * this.width || weights.length !== labels.length) {
      throw new RangeError(`${this.name}: ${labels.length} labels, ${weights.length} weights and ${features.length} feature values do not match width ${this.width}`);
    }
    writeSync(this.features, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    writeSync(this.labels, new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
    writeSync(this.weights, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
    this.rowCount += labels.length;
  }

  close(): void {
    closeSync(this.features);
    closeSync(this.labels);
    closeSync(this.weights);
  }
}
