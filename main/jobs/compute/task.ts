// What a compute task is: typed input, typed events, typed output, and run(input, ctx). The
// dispatcher (dispatcher.ts) looks a task up by name in tasks/index.ts and gives it one
// TaskContext; nothing else in the worker knows the tasks.
import type { Morphology } from '../../corpus/morphology';
import type { EncoderModel } from '../../ml/models/index';
import type { Tokenizer } from '../../ml/tokenizers/types';
import type { BackendChoice } from './backends';
import type { InferenceEngine } from './inference';

/** A model read for inference, with its tokenizer. */
export interface LoadedModel {
  path: string;
  model: EncoderModel;
  tokenizer: Tokenizer;
  modelType: string;
}

/** The one model kept loaded between tasks: embedding again with the same model skips reading it. */
export interface ModelCache {
  load(path: string): Promise<LoadedModel>;
  /** Frees the kept model (tasks that load big models of their own call this first). */
  release(): void;
}

/** What a running task may use; E is the task's event type. */
export interface TaskContext<E> {
  readonly jobId: string;
  /** The backend the worker chose at start (tfjs is already set to it). */
  readonly backend: BackendChoice;
  /** The encoder's inference forward pass (embedding, prediction): onnxruntime when it loaded, else the tfjs backend. */
  readonly inference: InferenceEngine;
  /** Whether main has cancelled this job (messages are only read while the task yields). */
  cancelled(): boolean;
  /** Lets waiting messages (cancel, status) in. */
  yieldToMessages(): Promise<void>;
  /** Lets messages in, then throws 'cancelled' when the job was cancelled. */
  checkCancel(): Promise<void>;
  progress(done: number, total: number): void;
  /** Sends an event to the caller's onEvent; the buffers named in transfer move instead of being copied. */
  emit(event: E, transfer?: ArrayBuffer[]): void;
  /** The MeCab dictionary, loaded once per worker. */
  morphology(): Promise<Morphology>;
  /** tfjs's gradients and ours (training needs them; inference does not). */
  registerGradients(): void;
  readonly models: ModelCache;
}

// Methods, not function properties: a definition is then assignable to the dispatcher's
// TaskDefinition<unknown, unknown, unknown> (method parameters are bivariant).
export interface TaskDefinition<I, E, O> {
  run(input: I, ctx: TaskContext<E>): Promise<O>;
  /** The output's buffers to transfer to main rather than copy (never a tensor's own storage). */
  transfer?(output: O): ArrayBuffer[];
}

/** A task definition with its types spelled once: defineTask<Input, Event, Output>({ run }). */
export function defineTask<I, E, O>(definition: TaskDefinition<I, E, O>): TaskDefinition<I, E, O> {
  return definition;
}
