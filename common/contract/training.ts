// Fine-tuning: single- and multi-label classifiers, full or LoRA, a learning-rate sweep with the
// best epoch kept by validation loss, test metrics, predictions, export.
import { z } from 'zod';
import { event, id, job, limit, method, path, run, section } from './define';
import type { RunStatus } from './jobs';
import type { ModelSourceRef } from './hub';
import type { RunCommon } from './runs';

export const trainMethods = ['full', 'lora'] as const;
export type TrainMethod = (typeof trainMethods)[number];
export const trainTasks = ['single-label', 'multi-label'] as const;
export type TrainTask = (typeof trainTasks)[number];
/** The Linear layers of every encoder layer LoRA can adapt (PEFT's query, key, value, attention.output.dense, intermediate.dense, output.dense). */
export const loraTargetNames = ['query', 'key', 'value', 'attentionOutput', 'intermediate', 'output'] as const;
export type LoraTargetName = (typeof loraTargetNames)[number];

export interface LoraSettings {
  rank: number;
  alpha: number;
  dropout: number;
  targets: LoraTargetName[];
}

/** Where the validation documents (for the best epoch) come from. */
export type ValidationSource = { source: 'holdout'; fraction: number } | { source: 'dev' };

export interface TrainConfig {
  corpusId: number;
  modelPath: string;
  method: TrainMethod;
  task: TrainTask;
  /** One run per learning rate; the epoch with the lowest validation loss of the best one is kept. */
  learningRates: number[];
  epochs: number;
  batchSize: number;
  /** Micro-batches summed per optimizer step (an effective batch of batchSize × this). */
  gradientAccumulation: number;
  maxLength: number;
  truncation: 'head' | 'head+tail';
  seed: number;
  weightDecay: number;
  /** Share of all optimizer steps spent warming the learning rate up from 0 (then linear decay to 0). */
  warmupRatio: number;
  /** Gradients are clipped to this global L2 norm. */
  maxGradNorm: number;
  lora: LoraSettings;
  validation: ValidationSource;
  /** Multi-label: a document's label text is split on this into its labels. */
  labelSeparator: string;
  /** Optimizer steps between checkpoints (a killed run resumes from the last one). */
  checkpointEvery: number;
  name: string;
}

/**
 * What a config file may leave out, with why: the CiNii BERT study's recipe (Adam, batch 6, up to
 * 5 epochs, 20% of the training split held out, learning rates 8e-6…5e-5 for full fine-tuning);
 * LoRA learning rates are an order of magnitude larger (Hu et al. 2021 used 2e-4…5e-4 on RoBERTa).
 */
export const trainDefaults = {
  method: 'full' as TrainMethod,
  task: 'single-label' as TrainTask,
  learningRatesFull: [8e-6, 1e-5, 2e-5, 5e-5],
  learningRatesLora: [1e-4, 2e-4, 5e-4, 1e-3],
  epochs: 5,
  batchSize: 6,
  gradientAccumulation: 1,
  maxLength: 128,
  truncation: 'head' as const,
  seed: 42,
  // transformers' Trainer / BERT's pretraining values.
  weightDecay: 0.01,
  warmupRatio: 0.1,
  maxGradNorm: 1.0,
  lora: { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] as LoraTargetName[] },
  validation: { source: 'holdout', fraction: 0.2 } as ValidationSource,
  labelSeparator: ';',
  checkpointEvery: 200,
};

export type TrainRunStatus = RunStatus;

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Test-split metrics, scikit-learn's definitions (zero_division='warn': an undefined ratio counts as 0). */
export interface TestMetrics {
  task: TrainTask;
  documents: number;
  /** Single-label accuracy, or multi-label subset accuracy (every label right). */
  accuracy: number;
  macro: AveragedScores;
  micro: AveragedScores;
  weighted: AveragedScores;
  perClass: ClassScores[];
  /** Single-label: rows = gold, columns = predicted, in label order. Null for multi-label. */
  confusion: number[][] | null;
  /** Multi-label only. */
  hammingLoss: number | null;
  /** Labels whose precision (never predicted) or recall (never in gold) was undefined and counted as 0. */
  zeroDivision: { noPredictions: string[]; noSupport: string[] };
  /** The share of test documents with the most frequent training label (single-label), for comparison. */
  majorityBaseline: { accuracy: number; macroF1: number } | null;
}

export interface LearningRateSummary {
  learningRate: number;
  bestEpoch: number;
  bestValidationLoss: number;
}

/** A fine-tuning run; its checkpoint is the optimizer steps done in one learning rate's run. */
export interface TrainRunInfo
  extends RunCommon<'train', TrainConfig, { train: number; validation: number; test: number }, { learningRateIndex: number; step: number; savedAt: string }> {
  labels: string[];
  /** The base model; `source` where it was downloaded from the Hub (id and commit), so the run can be re-run on the same commit. */
  model: { name: string; path: string; hash: string; modelType: string; source?: ModelSourceRef };
  /** The learning rate and epoch kept (lowest validation loss over all). */
  best: { learningRate: number; epoch: number; validationLoss: number } | null;
  perLearningRate: LearningRateSummary[];
  test: TestMetrics | null;
}

export interface StepPoint {
  learningRateIndex: number;
  /** Optimizer step within this learning rate's run, from 1. */
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
}

export interface EpochPoint {
  learningRateIndex: number;
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  validationMacroF1: number;
  validationMicroF1: number;
  seconds: number;
}

export interface TrainCurves {
  steps: StepPoint[];
  epochs: EpochPoint[];
}

export interface TrainRunDetail extends TrainRunInfo {
  curves: TrainCurves;
}

export interface TrainResult {
  runId: number;
  best: TrainRunInfo['best'];
  test: TestMetrics | null;
  seconds: number;
}

export interface PredictionRow {
  documentId: number;
  title: string | null;
  snippet: string;
  gold: string[];
  predicted: string[];
  /** Per label, in the run's label order (softmax for single-label, sigmoid for multi-label). */
  probabilities: number[];
  correct: boolean;
}

export interface TrainEstimate {
  parameters: number;
  trainable: number;
  /** Documents per split as the config would use them. */
  documents: { train: number; validation: number; test: number };
  labels: string[];
  stepsPerEpoch: number;
  totalSteps: number;
  /** Rough peak memory of training: weights, gradients, optimizer state and activations. */
  memoryBytes: number;
  /** From the FLOPs of a step and the backend's measured speed; null when the worker has not measured it. */
  secondsPerEpoch: number | null;
}

/** Live training events for the charts. */
export type TrainProgress =
  | ({ runId: number; kind: 'step' } & StepPoint)
  | ({ runId: number; kind: 'epoch' } & EpochPoint);
const loraSchema = z.object({
  rank: z.number().int().min(1).max(1024),
  alpha: z.number().positive().max(100_000),
  dropout: z.number().min(0).max(0.99),
  targets: z.array(z.enum(loraTargetNames)).min(1),
});

/** A training config: everything but the corpus and model may be left out (trainDefaults). */
export const trainConfigSchema = z
  .object({
    corpusId: id,
    modelPath: path,
    method: z.enum(trainMethods).default(trainDefaults.method),
    task: z.enum(trainTasks).default(trainDefaults.task),
    learningRates: z.array(z.number().positive().max(1)).min(1).max(20).optional(),
    epochs: z.number().int().min(1).max(1000).default(trainDefaults.epochs),
    batchSize: z.number().int().min(1).max(4096).default(trainDefaults.batchSize),
    gradientAccumulation: z.number().int().min(1).max(1024).default(trainDefaults.gradientAccumulation),
    maxLength: z.number().int().min(2).max(100_000).default(trainDefaults.maxLength),
    truncation: z.enum(['head', 'head+tail']).default(trainDefaults.truncation),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(trainDefaults.seed),
    weightDecay: z.number().min(0).max(1).default(trainDefaults.weightDecay),
    warmupRatio: z.number().min(0).max(1).default(trainDefaults.warmupRatio),
    maxGradNorm: z.number().positive().default(trainDefaults.maxGradNorm),
    lora: loraSchema.partial().default({}),
    validation: z
      .discriminatedUnion('source', [z.object({ source: z.literal('holdout'), fraction: z.number().gt(0).lt(1) }), z.object({ source: z.literal('dev') })])
      .default(trainDefaults.validation),
    labelSeparator: z.string().min(1).max(10).default(trainDefaults.labelSeparator),
    checkpointEvery: z.number().int().min(1).default(trainDefaults.checkpointEvery),
    name: z.string().max(200).default(''),
  })
  .strict()
  .transform(
    (c): TrainConfig => ({
      ...c,
      learningRates: c.learningRates ?? (c.method === 'lora' ? trainDefaults.learningRatesLora : trainDefaults.learningRatesFull),
      lora: { ...trainDefaults.lora, ...c.lora },
    }),
  );
export const training = section({
  methods: {
    /** Fine-tuning: one job that sweeps the learning rates and keeps the best epoch (train.progress events feed the charts). */
    'train.start': method<{ jobId: string; runId: number }>()(trainConfigSchema),
    'train.estimate': method<TrainEstimate>()(trainConfigSchema),
    'train.predictions': method<{ total: number; rows: PredictionRow[] }>()(
      z.object({
        runId: id,
        split: z.enum(['test', 'validation']),
        gold: z.string().nullable(),
        predicted: z.string().nullable(),
        errorsOnly: z.boolean(),
        offset: z.number().int().nonnegative(),
        limit,
      }),
    ),

    /** Writes the adapter (a PEFT folder; LoRA runs only) or, with merge, a full Hugging Face sequence-classification folder, into a new or empty folder. */
    'train.export': method<{ path: string; files: string[] }>()(z.object({ runId: id, outDir: path, merge: z.boolean() })),
    /**
     * Writes the run's classifier as ONNX into a new or empty folder: model.onnx (logits, LoRA merged,
     * dynamic batch and sequence axes; opset 17, runs on onnxruntime), config.json with the labels and
     * the base model's tokenizer files.
     */
    'train.exportOnnx': method<{ path: string; files: string[] }>()(z.object({ runId: id, outDir: path })),
  },
  events: { 'train.progress': event<TrainProgress>() },
  jobs: { train: job<TrainResult>() },
  runs: { train: run<TrainRunInfo, TrainRunDetail>() },
});
