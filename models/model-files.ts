import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The models the project ships, each in `models/<name>/` with `model.onnx`, `card.json` and `README.md`. */
export const MODEL_NAMES = ['spi-defect-risk', 'yield-predictor'] as const;

/** A shipped model's name. */
export type ModelName = (typeof MODEL_NAMES)[number];

function findModelsDir(): string {
  // Source (`models/`) under ts-jest, `dist/models/` when built: the ONNX files live beside the source.
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'models');
    dir = dirname(dir);
  }
  throw new Error(`Cannot find the project root above ${__dirname}`);
}

/** The folder that holds every model's files. */
export const MODELS_DIR = findModelsDir();

/** The files of one model. */
export function modelFiles(name: ModelName, dir = MODELS_DIR): { dir: string; onnx: string; card: string; readme: string } {
  const base = join(dir, name);
  return { dir: base, onnx: join(base, 'model.onnx'), card: join(base, 'card.json'), readme: join(base, 'README.md') };
}

/** Hex sha256 of a file. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
