// The worker's side of a TaskContext: the model cache and the context each task run gets.
import { ShirabeError } from '../../../common/errors';
import type { Morphology } from '../../corpus/morphology';
import { readConfig, readEncoder, readTokenizer, requireModelDir } from '../../modelFolders/modelFolder';
import { segmenterFor } from '../../modelFolders/segmenter';
import type { BackendChoice } from './backends';
import type { InferenceEngine } from './inference';
import type { FromWorker } from './protocol';
import type { LoadedModel, ModelCache, TaskContext } from './task';

export type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

export const yieldToMessages = () => new Promise<void>((r) => setImmediate(r));

/** Keeps the last model read; reading another frees it. */
export function modelCache(morphology: () => Promise<Morphology>): ModelCache {
  let loaded: LoadedModel | null = null;
  return {
    async load(path) {
      const dir = requireModelDir(path);
      if (loaded?.path === dir) return loaded;
      loaded?.model.dispose();
      loaded = null;
      const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, morphology));
      const model = readEncoder(dir, readConfig(dir));
      loaded = { path: dir, model, tokenizer, modelType: model.config.modelType };
      return loaded;
    },
    release() {
      loaded?.model.dispose();
      loaded = null;
    },
  };
}

export interface WorkerServices {
  backend: BackendChoice;
  /** The engine of inference forward passes (onnxruntime or the tfjs backend). */
  inference: InferenceEngine;
  morphology(): Promise<Morphology>;
  registerGradients(): void;
  models: ModelCache;
}

/** The context of one run: progress and events go out as messages tagged with the job's id. */
export function taskContext(jobId: string, post: Post, isCancelled: () => boolean, services: WorkerServices): TaskContext<unknown> {
  return {
    jobId,
    backend: services.backend,
    inference: services.inference,
    cancelled: isCancelled,
    yieldToMessages,
    async checkCancel() {
      await yieldToMessages();
      if (isCancelled()) throw new ShirabeError('cancelled');
    },
    progress: (done, total) => post({ type: 'progress', jobId, done, total }),
    emit: (event, transfer = []) => post({ type: 'event', jobId, event }, transfer),
    morphology: services.morphology,
    registerGradients: services.registerGradients,
    models: services.models,
  };
}
