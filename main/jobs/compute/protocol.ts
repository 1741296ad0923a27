// The typed messages between the main thread and the compute worker. Plain data only:
// strings, numbers, typed arrays (transferred, not copied).
import type { BackendName, ComputeBackendChoice, ComputeStatus, EmbedOptions, TrainConfig } from '../../../common/contract';
import type { EpochEvent, FineTuneCheckpoint, StepEvent } from '../../ml/train/fineTune';
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

/** Documents of one split for training: texts and targets (class index, or 0/1 per label). */
export interface TrainSplit {
  texts: string[];
  targets: (number | number[])[];
}

export interface TrainTask {
  modelPath: string;
  config: TrainConfig;
  labels: string[];
  train: TrainSplit;
  validation: TrainSplit;
  test: TrainSplit;
  resume?: FineTuneCheckpoint;
}

export interface TrainOutcome {
  best: { learningRateIndex: number; epoch: number; loss: number };
  summaries: FineTuneCheckpoint['summaries'];
  /** The kept model's trainable values by key ("lora:…" adapters, or every parameter for full fine-tuning), our layout. */
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** [n × K] logits of the validation and test documents, in the task's order. */
  validationLogits: Float32Array;
  testLogits: Float32Array;
  modelType: string;
  truncated: number;
}

/** Rebuild a finished run's model from its base and kept values, and write it as Hugging Face files. */
export interface ExportTask {
  modelPath: string;
  config: TrainConfig;
  labels: string[];
  /** The run's kept trainable values (our layout), as stored. */
  values: Map<string, Float32Array>;
  merge: boolean;
  /** adapter_config.json's base_model_name_or_path. */
  baseName: string;
}

export type ToWorker =
  | { type: 'init'; choice: ComputeBackendChoice; dictionaryPath?: string }
  | { type: 'embed'; jobId: string; task: EmbedTask }
  | { type: 'train'; jobId: string; task: TrainTask }
  | { type: 'export'; jobId: string; task: ExportTask }
  | { type: 'cancel'; jobId: string }
  | { type: 'status' };

export type WorkerStatus = Omit<ComputeStatus, 'choice' | 'running'>;

export type FromWorker =
  | { type: 'ready'; status: WorkerStatus }
  | { type: 'status'; status: WorkerStatus }
  | { type: 'progress'; jobId: string; done: number; total: number }
  | { type: 'vectors'; jobId: string; indices: Int32Array; vectors: Float32Array }
  | { type: 'done'; jobId: string; outcome: EmbedOutcome }
  | { type: 'trainEvent'; jobId: string; event: StepEvent | EpochEvent }
  | { type: 'checkpoint'; jobId: string; checkpoint: FineTuneCheckpoint }
  | { type: 'trained'; jobId: string; outcome: TrainOutcome }
  | { type: 'exported'; jobId: string; files: [string, Uint8Array | string][] }
  | { type: 'failed'; jobId: string; error: ErrorInfo };

export type { BackendName };
