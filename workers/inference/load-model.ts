import { readModelCard } from '../../models/model-card';
import { modelFiles, sha256Of, type ModelName } from '../../models/model-files';
import { OnnxModel } from '../../models/onnx-model';

/** A model file that is not the one its card describes: serving it would report figures it does not have. */
export class ModelFileMismatchError extends Error {
  readonly code = 'MODEL_FILE_MISMATCH';
  constructor(name: string, expected: string, actual: string) {
    super(`${name}: model.onnx has sha256 ${actual}, its card says ${expected}; retrain or restore the file`);
  }
}

/** No execution provider in the list could load the model. */
export class NoExecutionProviderError extends Error {
  readonly code = 'NO_EXECUTION_PROVIDER';
  constructor(name: string, tried: readonly { provider: string; reason: string }[]) {
    super(`${name}: no execution provider could load the model (${tried.map((t) => `${t.provider}: ${t.reason}`).join('; ')})`);
  }
}

/** A model ready to serve, with what it runs on. */
export interface LoadedModel {
  readonly name: ModelName;
  readonly version: string;
  /** The execution provider in use. */
  readonly provider: string;
  /** Providers tried before it, and why they could not load. */
  readonly fallbacks: readonly { readonly provider: string; readonly reason: string }[];
  readonly model: OnnxModel;
}

/** How to load a model. */
export interface LoadModelOptions {
  /** Execution providers in order of preference, e.g. ['cuda', 'cpu']. */
  readonly providers: readonly string[];
  readonly intraOpNumThreads?: number;
  /** Told once per provider that could not load. */
  readonly warn?: (message: string) => void;
}

/**
 * Loads a shipped model by the name and version of its card, on the first execution provider of
 * the list that can load it. The file must be the one the card hashes.
 */
export async function loadModel(name: ModelName, options: LoadModelOptions): Promise<LoadedModel> {
  const card = readModelCard(name);
  const files = modelFiles(name);
  const sha = sha256Of(files.onnx);
  if (sha !== card.onnx.sha256) throw new ModelFileMismatchError(name, card.onnx.sha256, sha);
  const fallbacks: { provider: string; reason: string }[] = [];
  for (const provider of options.providers) {
    try {
      const model = await OnnxModel.load(files.onnx, { executionProviders: [provider], intraOpNumThreads: options.intraOpNumThreads ?? 1 });
      return { name, version: card.version, provider, fallbacks, model };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
      fallbacks.push({ provider, reason });
      options.warn?.(`${name} ${card.version}: execution provider '${provider}' cannot load (${reason}); trying the next one`);
    }
  }
  throw new NoExecutionProviderError(name, fallbacks);
}
