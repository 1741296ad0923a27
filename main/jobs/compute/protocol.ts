// The messages between the main thread and the compute worker, the same for every task. Plain
// data only: strings, numbers, typed arrays (a task names the buffers it transfers rather than
// copies). A task's input, events and output are its own (tasks/<name>.ts).
import type { BackendName, ComputeBackendChoice, ComputeStatus, InferenceProviderChoice } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import type { TaskInput, TaskName } from './registry';

export type { TrainSplit } from './tasks/training/train';

/** Run task K on input; the answer is events and progress, then one result or failed. */
export type RunMessage<K extends TaskName = TaskName> = { type: 'run'; jobId: string; task: K; input: TaskInput<K> };

export type ToWorker =
  | { type: 'init'; choice: ComputeBackendChoice; provider?: InferenceProviderChoice; dictionaryPath?: string }
  | RunMessage
  | { type: 'cancel'; jobId: string }
  | { type: 'status' };

export type WorkerStatus = Omit<ComputeStatus, 'choice' | 'running'>;

// event and output are typed by the task the jobId was run with (ComputeClient keeps that).
export type FromWorker =
  | { type: 'ready'; status: WorkerStatus }
  | { type: 'status'; status: WorkerStatus }
  | { type: 'progress'; jobId: string; done: number; total: number }
  | { type: 'event'; jobId: string; event: unknown }
  | { type: 'result'; jobId: string; output: unknown }
  | { type: 'failed'; jobId: string; error: ErrorInfo };

export type { BackendName };
