// The typed messages between the main thread and the compute worker. Plain data only:
// strings, numbers, typed arrays (transferred, not copied).
import type { BackendName, ComputeBackendChoice, ComputeStatus, EmbedOptions, PretrainConfig, TrainConfig, WordSplitter } from '../../../common/contract';
import type { HeldOutLoss } from '../../ml/pretrain/mlm';
import type { PretrainEvent } from '../../ml/pretrain/pretrain';
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

/** Masked-LM pretraining: the corpus's texts; checkpoints are files the worker writes and reads itself. */
export interface PretrainTask {
  config: PretrainConfig;
  train: string[];
  heldOut: string[];
  /** The checkpoint file (written after every checkpoint event; read first when it exists and `resume` is set). */
  checkpointPath: string;
  resume: boolean;
  /** Keys added to the written config.json (the run's provenance). */
  provenance: Record<string, unknown>;
}

export interface PretrainOutcome {
  /** The Hugging Face folder's files: config, weights, tokenizer files written anew or copied by the caller. */
  files: [string, Uint8Array | string][];
  /** Tokenizer files to copy from the base model's folder (continued pretraining). */
  copyTokenizerFiles: boolean;
  initial: HeldOutLoss;
  final: HeldOutLoss;
  steps: number;
  sequences: { train: number; heldOut: number };
  parameters: number;
  vocabSize: number;
}

export interface MlmLossTask {
  modelPaths: string[];
  texts: string[];
  maxLength: number;
  seeds: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
  batchSize: number;
}

export interface MlmLossOutcome {
  /** Per model, in the task's order. */
  losses: HeldOutLoss[];
}

export interface VocabTask {
  texts: string[];
  vocabSize: number;
  wordSplitter: WordSplitter;
  lowercase: boolean;
  maxLength: number;
}

export interface VocabOutcome {
  vocab: string[];
  /** Distinct words counted, and characters in the alphabet. */
  words: number;
  files: [string, Uint8Array | string][];
}

export type ToWorker =
  | { type: 'init'; choice: ComputeBackendChoice; dictionaryPath?: string }
  | { type: 'embed'; jobId: string; task: EmbedTask }
  | { type: 'train'; jobId: string; task: TrainTask }
  | { type: 'export'; jobId: string; task: ExportTask }
  | { type: 'pretrain'; jobId: string; task: PretrainTask }
  | { type: 'mlmLoss'; jobId: string; task: MlmLossTask }
  | { type: 'vocab'; jobId: string; task: VocabTask }
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
  | { type: 'pretrainEvent'; jobId: string; event: Exclude<PretrainEvent, { type: 'checkpoint' }> }
  | { type: 'pretrainCheckpoint'; jobId: string; step: number }
  | { type: 'pretrained'; jobId: string; outcome: PretrainOutcome }
  | { type: 'mlmScored'; jobId: string; outcome: MlmLossOutcome }
  | { type: 'vocabLearned'; jobId: string; outcome: VocabOutcome }
  | { type: 'failed'; jobId: string; error: ErrorInfo };

export type { BackendName };
