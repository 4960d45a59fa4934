import { readFileSync } from 'node:fs';
import { modelFiles, type ModelName } from './model-files';

/** One column of a model's input matrix. */
export interface InputColumn {
  readonly name: string;
  readonly unit: string;
  /** Smallest and largest value in the training table. */
  readonly range: readonly [number, number];
}

/** A tensor the model takes or gives. */
export interface TensorSpec {
  readonly name: string;
  readonly type: 'float32';
  /** Dimensions: a symbolic name for the batch, then the width. */
  readonly shape: readonly [string, number];
  readonly columns?: readonly InputColumn[];
  readonly description: string;
}

/** A target the issue set, with whether the card's figures meet it. */
export interface TargetCheck {
  readonly target: string;
  readonly met: boolean;
  readonly detail: string;
}

/**
 * A model card (`models/<name>/card.json`): what the model is, what it was trained on and how well
 * it does on data that training never saw. `npm run models:eval` recomputes every figure of
 * `metrics` from the committed ONNX file and fails when one differs by more than `tolerance`.
 */
export interface ModelCard {
  readonly name: ModelName;
  readonly version: string;
  readonly description: string;
  readonly onnx: { readonly file: 'model.onnx'; readonly sha256: string; readonly opset: number; readonly bytes: number };
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** The shared feature module and the version of its definitions that training used. */
  readonly features: { readonly module: string; readonly version: number };
  readonly training: {
    /** Always 'simulated' here: no real plant data has been used. */
    readonly data: 'simulated';
    readonly seed: number;
    /** Seed of the confirmation plant (same scale and end time): the blind `confirmation` set, never trained, calibrated or chosen on. */
    readonly confirmationSeed: number;
    readonly scale: string;
    /** First and last record time of the plant's history (ISO). */
    readonly history: { readonly from: string; readonly to: string };
    readonly lines: readonly string[];
    readonly split: string;
    readonly trainer: string;
    readonly trainerArguments: readonly string[];
    readonly rows: Readonly<Record<string, number>>;
  };
  /** Recomputed by `npm run models:eval`. */
  readonly metrics: unknown;
  readonly targets: readonly TargetCheck[];
  /** Largest absolute difference allowed between a card figure and its recomputation. */
  readonly tolerance: number;
  readonly limitations: readonly string[];
}

/** Reads a committed model card. */
export function readModelCard(name: ModelName, dir?: string): ModelCard {
  return JSON.parse(readFileSync(modelFiles(name, dir).card, 'utf8')) as ModelCard;
}
