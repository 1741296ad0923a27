// The typed messages between the main thread and the compute worker. Plain data only:
// strings, numbers, typed arrays (transferred, not copied).
import type { BackendName, ComputeBackendChoice, ComputeStatus, EmbedOptions } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';

/** embed.start's options with the corpus's texts in place of its id. */
export interface EmbedTask extends Omit<EmbedOptions, 'corpusId'> {
  texts: string[];
}

export interface EmbedOutcome {
  dimensions: number;
  /** Texts longer than maxLength tokens. */
  truncated: number;
  tokens: number;
  modelType: string;
}

export type ToWorker =
  | { type: 'init'; choice: ComputeBackendChoice; dictionaryPath?: string }
  | { type: 'embed'; jobId: string; task: EmbedTask }
  | { type: 'cancel'; jobId: string }
  | { type: 'status' };

export type WorkerStatus = Omit<ComputeStatus, 'choice' | 'running'>;

export type FromWorker =
  | { type: 'ready'; status: WorkerStatus }
  | { type: 'status'; status: WorkerStatus }
  | { type: 'progress'; jobId: string; done: number; total: number }
  | { type: 'vectors'; jobId: string; indices: Int32Array; vectors: Float32Array }
  | { type: 'done'; jobId: string; outcome: EmbedOutcome }
  | { type: 'failed'; jobId: string; error: ErrorInfo };

export type { BackendName };
