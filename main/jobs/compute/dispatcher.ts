// The compute worker's message loop: picks the backend once, then runs one task at a time (looked
// up by name in tasks/index.ts) and answers with its result or why it failed. Cancel and status
// are answered between a task's batches. worker.ts connects it to the thread's port.
import * as tf from '@tensorflow/tfjs-core';
import { ShirabeError, toErrorInfo } from '../../../common/errors';
import { Morphology } from '../../corpus/morphology';
import { probedAdapter, takeGpuFault } from './gpuAdapter';
import { selectBackend, type BackendChoice } from './backends';
import { selectInference, type InferenceEngine } from './inference';
import { modelCache, taskContext, type Post } from './context';
import { registerGradients } from './gradientsBundle';
import type { ToWorker, WorkerStatus } from './protocol';
import type { LoadedModel, ModelCache, TaskDefinition } from './task';
import * as taskList from './tasks/index';

type AnyTask = TaskDefinition<unknown, unknown, unknown>;

export interface DispatcherOptions {
  post: Post;
  /** The tasks by name: tasks/index.ts (tests pass their own). */
  tasks?: Readonly<Record<string, AnyTask>>;
  registerGradients?: () => void;
}

export interface Dispatcher {
  handle(message: ToWorker): void;
  /** Settles when everything queued so far has run (for tests). */
  idle(): Promise<void>;
}

/**
 * An allocation failure as the message a researcher can act on (any task): libtensorflow's GPU
 * out of memory, or the WebAssembly heap exhausted (its 4 GiB end is hit as a trap, "memory access
 * out of bounds", or as an abort when the heap cannot grow).
 */
function outOfMemory(err: unknown): ShirabeError | null {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.split('\n')[0].slice(0, 200);
  if (/memory access out of bounds|Cannot enlarge memory|Aborted\(OOM\)|Array buffer allocation failed/i.test(message)) return new ShirabeError('wasmOutOfMemory', { detail });
  return /\bOOM\b|out of memory|ResourceExhausted/i.test(message) ? new ShirabeError('gpuOutOfMemory', { detail }) : null;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { post } = options;
  const tasks: Readonly<Record<string, AnyTask>> = options.tasks ?? taskList;
  let backend: BackendChoice | null = null;
  let inference: InferenceEngine | null = null;
  let dictionaryPath: string | undefined;
  const morphology = () => Morphology.load(dictionaryPath);
  const cache = modelCache(morphology);
  // onnxruntime's session holds its own copy of the kept model's weights: freed with the model (a
  // training task releases the cache for memory; another model replaces it).
  let kept: LoadedModel | null = null;
  const models: ModelCache = {
    async load(path) {
      const loaded = await cache.load(path);
      if (kept && kept !== loaded) inference?.release();
      kept = loaded;
      return loaded;
    },
    release() {
      inference?.release();
      kept = null;
      cache.release();
    },
  };
  const cancelled = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  const status = (): WorkerStatus => {
    const m = tf.memory();
    return {
      backend: backend?.backend ?? null,
      device: backend?.device ?? null,
      skipped: backend?.skipped ?? [],
      gpu: backend?.gpu ?? probedAdapter(),
      memory: { tensors: m.numTensors, bytes: m.numBytes, rssBytes: process.memoryUsage().rss },
      inference: inference?.status ?? null,
    };
  };

  const run = async (jobId: string, name: string, input: unknown): Promise<void> => {
    try {
      const task = Object.hasOwn(tasks, name) ? tasks[name] : undefined;
      if (!task) throw new ShirabeError('internal', { detail: `the compute worker has no task "${name}" (it has ${Object.keys(tasks).join(', ')})` });
      if (!backend || !inference) throw new ShirabeError('internal', { detail: `the compute worker ran "${name}" before choosing a backend` });
      const ctx = taskContext(jobId, post, () => cancelled.has(jobId), { backend, inference, morphology, registerGradients: options.registerGradients ?? registerGradients, models });
      takeGpuFault(); // an error of an earlier task's, already reported with it
      const output = await task.run(input, ctx);
      const fault = takeGpuFault();
      if (fault) throw new ShirabeError('gpuFault', { detail: fault });
      post({ type: 'result', jobId, output }, task.transfer?.(output) ?? []);
    } catch (err) {
      post({ type: 'failed', jobId, error: toErrorInfo(outOfMemory(err) ?? err) });
    } finally {
      cancelled.delete(jobId);
    }
  };

  const handle = (msg: ToWorker): void => {
    switch (msg.type) {
      case 'init':
        dictionaryPath = msg.dictionaryPath;
        queue = queue.then(async () => {
          backend = await selectBackend(msg.choice);
          inference = await selectInference(backend, msg.choice, { provider: msg.provider ?? 'auto' });
          post({ type: 'ready', status: status() });
        });
        break;
      case 'status':
        // Answered at once, even while a task runs (between its batches).
        post({ type: 'status', status: status() });
        break;
      case 'cancel':
        cancelled.add(msg.jobId);
        break;
      case 'run':
        queue = queue.then(() => run(msg.jobId, msg.task, msg.input));
        break;
    }
  };

  return { handle, idle: () => queue };
}
