/**
 * A worker thread that owns one ONNX session, so inference never blocks the process's event loop
 * (BullMQ lock renewal, health checks and metrics keep answering during a large batch).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { ModelName } from '../../models/model-files';
import { loadModel, type LoadedModel } from './load-model';
import { defaultChunkRows, type ThreadReply, type ThreadRequest, type ThreadStart } from './inference-messages';

const port = parentPort;
if (port === null) throw new Error('inference-thread must run in a worker thread');
const start = workerData as ThreadStart;
// A provider that cannot load is reported once by loadModel, with its reason; onnxruntime would
// also print a native error for it. Real failures still surface as exceptions.
ort.env.logLevel = 'fatal';
const warnings: string[] = [];
let loaded: LoadedModel | undefined;
let chunkRows = Number.MAX_SAFE_INTEGER;

const ready = loadModel(start.modelName as ModelName, {
  providers: start.providers,
  intraOpNumThreads: start.intraOpNumThreads,
  warn: (message) => warnings.push(message),
}).then(
  (model) => {
    loaded = model;
    chunkRows = start.chunkRows ?? defaultChunkRows(model.provider);
    const reply: ThreadReply = { kind: 'ready', version: model.version, provider: model.provider, fallbacks: [...model.fallbacks], warnings };
    port.postMessage(reply);
  },
  (error: unknown) => {
    const reply: ThreadReply = { kind: 'failed', message: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code };
    port.postMessage(reply);
  },
);

port.on('message', (request: ThreadRequest) => {
  void ready.then(async () => {
    if (request.kind === 'close') {
      await loaded?.model.release();
      port.close();
      return;
    }
    try {
      if (loaded === undefined) throw new Error('the model did not load');
      const outputs = await loaded.model.run(request.values, request.width, chunkRows);
      const reply: ThreadReply = { kind: 'result', id: request.id, outputs };
      port.postMessage(reply, Object.values(outputs).map((o) => o.buffer as ArrayBuffer));
    } catch (error) {
      const reply: ThreadReply = { kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    }
  });
});
