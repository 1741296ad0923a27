// The one API contract. The Electron preload, the IPC adapter, the WebSocket server and the
// renderer client are all derived from `contract` below: a method renamed or mistyped here
// fails to compile in every process. Payloads are plain data only.
import { z } from 'zod';
import type { BertShape } from './bertSize';
import type { ErrorInfo } from './errors';
import type { Language } from './messages';

// ---------------------------------------------------------------- shared shapes

export const importFormats = ['auto', 'csv', 'tsv', 'jsonl', 'xlsx', 'dir'] as const;
export type ImportFormat = (typeof importFormats)[number];
export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;

export const encodings = ['auto', 'utf-8', 'utf-16', 'shift_jis', 'euc-jp'] as const;
export type EncodingChoice = (typeof encodings)[number];
export type Encoding = Exclude<EncodingChoice, 'auto'>;

export const splitNames = ['train', 'dev', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

const splitRatios = z.tuple([z.number(), z.number(), z.number()]);

/** Everything the user chooses in the import dialog; the CLI flags map 1:1 onto it. */
export const importOptionsSchema = z.object({
  name: z.string(),
  format: z.enum(importFormats),
  encoding: z.enum(encodings),
  /** CSV/TSV/xlsx: first row names the columns. Without it columns are "1", "2", …. */
  hasHeader: z.boolean(),
  /** Excel: sheet name; empty = first sheet. */
  sheet: z.string(),
  /** Column (CSV/TSV/xlsx header name or 1-based number as a string; JSONL key) holding the text. */
  textColumn: z.string(),
  titleColumn: z.string().nullable(),
  labelColumn: z.string().nullable(),
  /** Columns stored as metadata JSON; null = every column not used above. */
  metadataColumns: z.array(z.string()).nullable(),
  /** Folder of .txt: the first N lines of each file become fields (e.g. url, date, title). */
  headerLines: z.number().int(),
  /** Names for those N lines; a line named "title" fills the title. */
  headerFields: z.array(z.string()),
  skipBadRows: z.boolean(),
  split: splitRatios,
  seed: z.number().int(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const defaultImportOptions: ImportOptions = {
  name: '',
  format: 'auto',
  encoding: 'auto',
  hasHeader: true,
  sheet: '',
  textColumn: '',
  titleColumn: null,
  labelColumn: null,
  metadataColumns: null,
  headerLines: 0,
  headerFields: [],
  skipBadRows: false,
  split: [0.8, 0.1, 0.1],
  seed: 42,
};

export interface EncodingGuess {
  encoding: Encoding;
  /** 0..1: share of the sampled bytes that decode cleanly and plausibly in this encoding. */
  confidence: number;
  hasBom: boolean;
}

export interface ImportPreview {
  path: string;
  format: ConcreteFormat;
  /** What was detected; the options used for the preview may override it. */
  detectedEncoding: EncodingGuess;
  encoding: Encoding;
  /** Other encodings that also decode the sample, best first. */
  candidates: EncodingGuess[];
  sheets: string[];
  columns: string[];
  /** The first rows as the importer would read them, as strings by column. */
  rows: Record<string, string>[];
  /** For a folder: number of .txt files and the labels (subfolder names) found. */
  fileCount: number;
  labels: string[];
  /** Suggested column choices (text = longest average string column, label = few distinct values). */
  suggested: { textColumn: string; titleColumn: string | null; labelColumn: string | null };
  totalBytes: number;
}

export interface BadRow {
  line: number;
  error: ErrorInfo;
}

export interface ImportReport {
  corpusId: number;
  name: string;
  documents: number;
  emptySkipped: number;
  duplicates: number;
  badRows: BadRow[];
  badRowCount: number;
  encoding: Encoding;
  format: ConcreteFormat;
  splits: Record<SplitName, number>;
  seconds: number;
}

export interface ProjectInfo {
  path: string;
  schemaVersion: number;
  corpora: number;
  sizeBytes: number;
}

export interface CorpusSummary {
  id: number;
  name: string;
  documents: number;
  createdAt: string;
  source: string;
  format: ConcreteFormat;
  encoding: Encoding;
  seed: number;
  split: [number, number, number];
  labels: { label: string; count: number }[];
  splits: Record<SplitName, number>;
  emptySkipped: number;
  duplicates: number;
  badRows: number;
}

/** [start, end) character offsets (UTF-16 code units, as JavaScript strings index). */
export type Span = [number, number];

export interface DocumentRow {
  id: number;
  corpusId: number;
  ordinal: number;
  title: string | null;
  label: string | null;
  split: SplitName;
  chars: number;
  duplicateOf: number | null;
  /** A window of text; with a query, around the first hit, with all hits in it highlighted. */
  snippet: { text: string; highlights: Span[] };
}

export interface DocumentDetail {
  id: number;
  corpusId: number;
  ordinal: number;
  title: string | null;
  label: string | null;
  split: SplitName;
  text: string;
  metadata: Record<string, string>;
  duplicateOf: number | null;
}

export interface Morpheme {
  surface: string;
  /** e.g. 名詞, with sub-categories as in IPADIC: 名詞,固有名詞,地域,一般 */
  pos: string;
  posDetail: string[];
  baseForm: string;
  reading: string;
  pronunciation: string;
  start: number;
  end: number;
}

export interface DocumentQuery {
  corpusId: number;
  query: string;
  label: string | null;
  split: SplitName | null;
  offset: number;
  limit: number;
}

export interface KwicLine {
  documentId: number;
  title: string | null;
  label: string | null;
  /** Offset of the keyword in the document text. */
  start: number;
  left: string;
  keyword: string;
  right: string;
}

export type KwicSort = 'document' | 'left' | 'right';

export interface Histogram {
  /** Bin edges, length = counts.length + 1; bin i is [edges[i], edges[i+1]) except the last, which is closed. */
  edges: number[];
  counts: number[];
}

export interface CorpusStats {
  corpusId: number;
  documents: number;
  labels: { label: string; count: number }[];
  splits: Record<SplitName, number>;
  unit: 'chars' | 'morphemes';
  histogram: Histogram;
  mean: number;
  median: number;
  min: number;
  max: number;
  emptySkipped: number;
  duplicates: number;
  /** For morphemes: how many documents have been analysed (cache); the rest need a job. */
  analysed: number;
}

export type JobKind = 'import' | 'morphology' | 'embed' | 'train' | 'pretrain' | 'mlm' | 'vocab';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  title: string;
  status: JobStatus;
  done: number;
  total: number;
  unit: 'bytes' | 'documents' | 'steps';
  startedAt: number | null;
  finishedAt: number | null;
  etaSeconds: number | null;
  error: ErrorInfo | null;
  result: ImportReport | { documents: number } | EmbedResult | TrainResult | PretrainResult | MlmEvaluation | VocabResult | null;
}

export interface Settings {
  language: Language;
  theme: 'light' | 'dark';
  recent: string[];
  /** 'auto' tries tensorflow (CUDA, then CPU) → webgpu → wasm → cpu; any other value forces that backend. */
  computeBackend: ComputeBackendChoice;
  /** Model folders added on the Models page, most recent first. */
  models: string[];
}

// ---------------------------------------------------------------- models, compute, embeddings

export const backendNames = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];
export type ComputeBackendChoice = 'auto' | BackendName;

export interface ComputeStatus {
  /** The backend the worker runs on, null until the worker has started. */
  backend: BackendName | null;
  /** What the backend runs on, e.g. "CUDA GPU", "CPU (libtensorflow)", "WebAssembly SIMD, 1 thread". */
  device: string | null;
  choice: ComputeBackendChoice;
  /** Every backend tried before the one chosen, with why it was skipped. */
  skipped: { backend: BackendName; reason: string }[];
  memory: { tensors: number; bytes: number; rssBytes: number } | null;
  running: boolean;
}

export type TokenizerKindName = 'wordpiece' | 'bert-japanese' | 'tokenizer.json';

export interface ModelInfo {
  path: string;
  name: string;
  modelType: string;
  architecture: string;
  /** transformers' class names from config.json's "architectures". */
  classes: string[];
  parameters: number;
  layers: number;
  hiddenSize: number;
  /** Width of each layer's feed-forward block. */
  intermediateSize: number;
  heads: number;
  maxPositions: number;
  vocabSize: number;
  tokenizer: { kind: TokenizerKindName; description: string; vocabSize: number; maxLength: number | null };
  weightsFile: string;
  dtypes: Record<string, number>;
  loadedHeads: { pooler: boolean; mlm: boolean; classifier: boolean };
  labels: string[];
  missing: string[];
  misshaped: string[];
  unexpected: string[];
  warnings: string[];
  /** SHA-256 of config.json and the weight files, to recognise the model when a project is shared. */
  hash: string;
}

export interface TokenView {
  id: number;
  token: string;
  start: number;
  end: number;
  special: boolean;
}

export const poolings = ['cls', 'mean', 'last', 'max'] as const;
export type Pooling = (typeof poolings)[number];

export interface EmbedOptions {
  corpusId: number;
  modelPath: string;
  pooling: Pooling;
  /** Hidden state to pool: 0 = embeddings output … L = last layer; negative counts from the end (-1 = last). */
  layer: number;
  maxLength: number;
  batchSize: number;
  truncation: 'head' | 'head+tail';
}

export interface EmbedResult {
  runId: number;
  documents: number;
  dimensions: number;
  truncated: number;
  seconds: number;
  backend: string;
}

export interface EmbeddingRunInfo {
  id: number;
  corpusId: number;
  corpusName: string;
  model: { name: string; path: string; hash: string; modelType: string };
  pooling: Pooling;
  layer: number;
  maxLength: number;
  batchSize: number;
  truncation: 'head' | 'head+tail';
  seed: number;
  dimensions: number;
  documents: number;
  truncatedDocuments: number;
  backend: string;
  versions: Record<string, string>;
  createdAt: string;
  seconds: number;
}

// ---------------------------------------------------------------- fine-tuning

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

export type TrainRunStatus = 'running' | 'interrupted' | 'done' | 'failed' | 'cancelled';

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

export interface TrainRunInfo {
  id: number;
  corpusId: number;
  corpusName: string;
  name: string;
  status: TrainRunStatus;
  config: TrainConfig;
  labels: string[];
  model: { name: string; path: string; hash: string; modelType: string };
  /** SHA-256 over the documents' ids, texts, labels and splits as used. */
  dataHash: string;
  documents: { train: number; validation: number; test: number };
  backend: string | null;
  versions: Record<string, string>;
  createdAt: string;
  finishedAt: string | null;
  seconds: number | null;
  /** The learning rate and epoch kept (lowest validation loss over all). */
  best: { learningRate: number; epoch: number; validationLoss: number } | null;
  perLearningRate: LearningRateSummary[];
  test: TestMetrics | null;
  /** Optimizer steps done at the last checkpoint (what "Resume" continues from). */
  checkpoint: { learningRateIndex: number; step: number; savedAt: string } | null;
  error: ErrorInfo | null;
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

// ---------------------------------------------------------------- domain pretraining

export const pretrainModes = ['continue', 'scratch'] as const;
export type PretrainMode = (typeof pretrainModes)[number];
/** How a new vocabulary's words are cut before WordPiece: MeCab-IPADIC morphemes (Japanese) or BERT's basic tokenizer. */
export const wordSplitters = ['mecab', 'basic'] as const;
export type WordSplitter = (typeof wordSplitters)[number];

/** A new model's tokenizer and shape (from-scratch pretraining). */
export interface ScratchSettings extends BertShape {
  wordSplitter: WordSplitter;
  lowercase: boolean;
}

/** Where held-out text (for the masked-LM loss) comes from. */
export type HeldOutSource = { source: 'dev' } | { source: 'holdout'; fraction: number };

export interface PretrainConfig {
  corpusId: number;
  /** continue: masked-LM training of modelPath; scratch: a new BERT with a vocabulary learned from the corpus. */
  mode: PretrainMode;
  /** The model to continue from (continue only). */
  modelPath: string;
  scratch: ScratchSettings;
  /** The Hugging Face folder the model is written to (new or empty); its checkpoints live in it until the run ends. */
  outputDir: string;
  maxLength: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
  /** Next-sentence prediction as well (BERT's original second objective; BERT models only): sentence pairs instead of packed text. */
  nsp: boolean;
  learningRate: number;
  epochs: number;
  batchSize: number;
  gradientAccumulation: number;
  weightDecay: number;
  warmupRatio: number;
  maxGradNorm: number;
  seed: number;
  heldOut: HeldOutSource;
  /** Held-out masked-LM loss: one masking per seed, averaged (the CiNii BERT study used three). */
  evalSeeds: number;
  checkpointEvery: number;
  name: string;
}

/**
 * What a pretraining config may leave out, with why: BERT's masking (15%, whole words as the
 * Japanese BERTs do), run_mlm.py's AdamW settings; continued pretraining at a fine-tuning-sized
 * learning rate (Gururangan et al. 2020 used 1e-4 with large batches; 5e-5 suits small ones),
 * from scratch higher, as small BERTs are trained (Turc et al. 2019: 1e-4 … 5e-4).
 */
export const pretrainDefaults = {
  mode: 'continue' as PretrainMode,
  scratch: {
    vocabSize: 8000,
    hiddenSize: 256,
    numLayers: 4,
    numHeads: 4,
    intermediateSize: 1024,
    maxPositions: 512,
    typeVocabSize: 2,
    wordSplitter: 'mecab' as WordSplitter,
    lowercase: false,
  },
  maxLength: 128,
  mlmProbability: 0.15,
  wholeWordMasking: true,
  // RoBERTa (Liu et al. 2019) found masked-LM alone as good or better; the CiNii BERT study used MLM only.
  nsp: false,
  learningRateContinue: 5e-5,
  learningRateScratch: 5e-4,
  epochs: 3,
  batchSize: 16,
  gradientAccumulation: 1,
  weightDecay: 0.01,
  warmupRatio: 0.06,
  maxGradNorm: 1.0,
  seed: 42,
  heldOut: { source: 'dev' } as HeldOutSource,
  evalSeeds: 3,
  checkpointEvery: 500,
};

export interface HeldOutLossInfo {
  /** Mean over mask seeds of the mean loss per predicted token (nats). */
  loss: number;
  perSeed: number[];
  /** Predicted tokens per seed. */
  tokens: number[];
}

export interface PretrainRunInfo {
  id: number;
  corpusId: number;
  corpusName: string;
  name: string;
  status: TrainRunStatus;
  config: PretrainConfig;
  /** The model continued from (null from scratch). */
  base: { name: string; path: string; hash: string; modelType: string } | null;
  /** The written model (when done): its folder and hash. */
  output: { path: string; hash: string; parameters: number; vocabSize: number } | null;
  dataHash: string;
  documents: { train: number; heldOut: number };
  /** Packed sequences of maxLength tokens. */
  sequences: { train: number; heldOut: number };
  backend: string | null;
  versions: Record<string, string>;
  createdAt: string;
  finishedAt: string | null;
  seconds: number | null;
  /** Held-out masked-LM loss before training and at the last evaluation. */
  initialLoss: HeldOutLossInfo | null;
  finalLoss: HeldOutLossInfo | null;
  checkpoint: { step: number; savedAt: string } | null;
  error: ErrorInfo | null;
}

export interface PretrainPoint {
  kind: 'step' | 'eval';
  /** Optimizer steps done (0 for the evaluation before training). */
  step: number;
  epoch: number;
  /** Training: the batch's loss; evaluation: the held-out loss. */
  loss: number;
  learningRate: number | null;
  seconds: number | null;
}

export interface PretrainRunDetail extends PretrainRunInfo {
  points: PretrainPoint[];
}

export interface PretrainEstimate {
  /** The model's parameters: the continued model's, or the new shape's. */
  parameters: number;
  documents: { train: number; heldOut: number };
  /** Characters of training text (the sequence count is known once the worker has tokenized it). */
  characters: number;
  /** Rough peak memory of training: weights, gradients, AdamW state and activations. */
  memoryBytes: number;
}

export interface PretrainResult {
  runId: number;
  initialLoss: HeldOutLossInfo;
  finalLoss: HeldOutLossInfo;
  outputDir: string;
  seconds: number;
}

export type PretrainProgress = { runId: number } & PretrainPoint;

export interface VocabResult {
  path: string;
  files: string[];
  vocabSize: number;
  /** Distinct words counted in the corpus. */
  words: number;
}

export interface MlmModelScore {
  path: string;
  name: string;
  hash: string;
  /** Tokenizer identity (SHA-256 of its files): losses are comparable only between equal ones. */
  tokenizerHash: string;
  loss: HeldOutLossInfo;
  /** Index of the comparable group (models with the same tokenizer share one). */
  group: number;
}

export interface MlmEvaluation {
  id: number;
  corpusId: number;
  corpusName: string;
  split: 'train' | 'dev' | 'test';
  maxLength: number;
  seeds: number;
  documents: number;
  createdAt: string;
  models: MlmModelScore[];
}

export const dialogPurposes = ['newProject', 'openProject', 'saveCopy', 'importFile', 'importFolder'] as const;
export type DialogPurpose = (typeof dialogPurposes)[number];

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  /** Browser mode can't show native dialogs: the UI asks for server-side paths and uploads files. */
  nativeDialogs: boolean;
  /** Browser mode: larger files must be given as a path on the server. */
  maxUploadBytes: number;
  platform: string;
}

// ---------------------------------------------------------------- the method table

const empty = z.object({});
const path = z.string().min(1);
const id = z.number().int().nonnegative();
const limit = z.number().int().min(1).max(100_000);

/** Declares a method: its payload schema (validated on the main side) and its result type. */
function method<O>() {
  return <I extends z.ZodType>(input: I): { input: I; output: O } => ({ input, output: undefined as unknown as O });
}

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
const byRun = z.object({ runId: id });
const bertShapeSchema = z.object({
  vocabSize: z.number().int().min(100).max(1_000_000),
  hiddenSize: z.number().int().min(8).max(8192),
  numLayers: z.number().int().min(1).max(96),
  numHeads: z.number().int().min(1).max(128),
  intermediateSize: z.number().int().min(8).max(65_536),
  maxPositions: z.number().int().min(8).max(65_536),
  typeVocabSize: z.number().int().min(1).max(16),
});

/** A pretraining config: the corpus, the output folder and (to continue) the model; the rest has defaults (pretrainDefaults). */
export const pretrainConfigSchema = z
  .object({
    corpusId: id,
    mode: z.enum(pretrainModes).default(pretrainDefaults.mode),
    modelPath: z.string().default(''),
    scratch: bertShapeSchema.extend({ wordSplitter: z.enum(wordSplitters), lowercase: z.boolean() }).partial().default({}),
    outputDir: path,
    maxLength: z.number().int().min(8).max(100_000).default(pretrainDefaults.maxLength),
    mlmProbability: z.number().gt(0).max(0.5).default(pretrainDefaults.mlmProbability),
    wholeWordMasking: z.boolean().default(pretrainDefaults.wholeWordMasking),
    nsp: z.boolean().default(pretrainDefaults.nsp),
    learningRate: z.number().positive().max(1).optional(),
    epochs: z.number().int().min(1).max(1000).default(pretrainDefaults.epochs),
    batchSize: z.number().int().min(1).max(4096).default(pretrainDefaults.batchSize),
    gradientAccumulation: z.number().int().min(1).max(1024).default(pretrainDefaults.gradientAccumulation),
    weightDecay: z.number().min(0).max(1).default(pretrainDefaults.weightDecay),
    warmupRatio: z.number().min(0).max(1).default(pretrainDefaults.warmupRatio),
    maxGradNorm: z.number().positive().default(pretrainDefaults.maxGradNorm),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(pretrainDefaults.seed),
    heldOut: z
      .discriminatedUnion('source', [z.object({ source: z.literal('dev') }), z.object({ source: z.literal('holdout'), fraction: z.number().gt(0).lt(1) })])
      .default(pretrainDefaults.heldOut),
    evalSeeds: z.number().int().min(1).max(20).default(pretrainDefaults.evalSeeds),
    checkpointEvery: z.number().int().min(1).default(pretrainDefaults.checkpointEvery),
    name: z.string().max(200).default(''),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mode === 'continue' && !c.modelPath) ctx.addIssue({ code: 'custom', path: ['modelPath'], message: 'continued pretraining needs a model folder to continue' });
    const s = { ...pretrainDefaults.scratch, ...c.scratch };
    if (c.mode === 'scratch' && s.hiddenSize % s.numHeads !== 0) ctx.addIssue({ code: 'custom', path: ['scratch', 'numHeads'], message: `hidden size ${s.hiddenSize} is not divisible by ${s.numHeads} heads` });
    if (c.mode === 'scratch' && c.maxLength > s.maxPositions) ctx.addIssue({ code: 'custom', path: ['maxLength'], message: `longer than the new model's ${s.maxPositions} positions` });
  })
  .transform(
    (c): PretrainConfig => ({
      ...c,
      scratch: { ...pretrainDefaults.scratch, ...c.scratch },
      learningRate: c.learningRate ?? (c.mode === 'scratch' ? pretrainDefaults.learningRateScratch : pretrainDefaults.learningRateContinue),
    }),
  );

const mlmEvaluateSchema = z.object({
  corpusId: id,
  modelPaths: z.array(path).min(1).max(20),
  split: z.enum(['train', 'dev', 'test']).default('test'),
  maxLength: z.number().int().min(8).max(100_000).default(pretrainDefaults.maxLength),
  seeds: z.number().int().min(1).max(20).default(3),
  mlmProbability: z.number().gt(0).max(0.5).default(pretrainDefaults.mlmProbability),
  wholeWordMasking: z.boolean().default(pretrainDefaults.wholeWordMasking),
  batchSize: z.number().int().min(1).max(4096).default(16),
});


const byPath = z.object({ path });
const byJob = z.object({ jobId: z.string() });
const byDocument = z.object({ documentId: id });

export const contract = {
  'app.info': method<AppInfo>()(empty),
  'settings.get': method<Settings>()(empty),
  'settings.set': method<Settings>()(
    z.object({
      language: z.enum(['ja', 'en']).optional(),
      theme: z.enum(['light', 'dark']).optional(),
      computeBackend: z.enum(['auto', ...backendNames]).optional(),
    }),
  ),

  /** Electron only: a native file dialog; null when cancelled. Browser mode answers null and the UI asks for a path. */
  'dialog.pick': method<{ path: string | null }>()(
    z.object({ purpose: z.enum(dialogPurposes), defaultPath: z.string().optional() }),
  ),

  'project.create': method<ProjectInfo>()(byPath),
  'project.open': method<ProjectInfo>()(byPath),
  'project.current': method<ProjectInfo | null>()(empty),
  'project.close': method<null>()(empty),
  'project.saveCopy': method<{ path: string; sizeBytes: number }>()(byPath),

  /** Browser mode: the file goes to a private temporary folder on the server; returns its path. */
  'files.upload': method<{ path: string }>()(
    z.object({ name: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array) }),
  ),

  'import.preview': method<ImportPreview>()(z.object({ path, options: importOptionsSchema.partial() })),
  'import.start': method<{ jobId: string }>()(z.object({ path, options: importOptionsSchema })),

  'jobs.list': method<JobInfo[]>()(empty),
  'jobs.get': method<JobInfo>()(byJob),
  'jobs.cancel': method<JobInfo>()(byJob),

  'corpus.list': method<CorpusSummary[]>()(empty),
  'corpus.documents': method<{ total: number; rows: DocumentRow[] }>()(
    z.object({
      corpusId: id,
      query: z.string(),
      label: z.string().nullable(),
      split: z.enum(splitNames).nullable(),
      offset: z.number().int().nonnegative(),
      limit,
    }),
  ),
  'corpus.document': method<DocumentDetail>()(byDocument),
  'corpus.morphology': method<Morpheme[]>()(byDocument),
  'corpus.kwic': method<{ total: number; lines: KwicLine[] }>()(
    z.object({
      corpusId: id.nullable(),
      word: z.string(),
      width: z.number().int().min(1).max(500),
      sort: z.enum(['document', 'left', 'right']),
      limit,
    }),
  ),
  'corpus.stats': method<CorpusStats>()(
    z.object({ corpusId: id, unit: z.enum(['chars', 'morphemes']), bins: z.number().int().min(1).max(200) }),
  ),
  /** Analyses every not-yet-analysed document of a corpus as a job (for the morpheme histogram). */
  'corpus.analyse': method<{ jobId: string }>()(z.object({ corpusId: id })),

  /** Reads a model folder without loading it into the compute worker: the check report. */
  'models.inspect': method<ModelInfo>()(byPath),
  /** Remembers a model folder on the Models page (after inspecting it). */
  'models.add': method<ModelInfo>()(byPath),
  'models.remove': method<Settings>()(byPath),
  'models.tokenize': method<{ tokens: TokenView[]; truncated: number }>()(
    z.object({ path, text: z.string().max(100_000), maxLength: z.number().int().min(2).max(100_000).optional() }),
  ),

  'compute.status': method<ComputeStatus>()(empty),

  'embed.start': method<{ jobId: string }>()(
    z.object({
      corpusId: id,
      modelPath: path,
      pooling: z.enum(poolings),
      layer: z.number().int().min(-1000).max(1000),
      maxLength: z.number().int().min(2).max(100_000),
      batchSize: z.number().int().min(1).max(4096),
      truncation: z.enum(['head', 'head+tail']),
    }),
  ),
  'embed.runs': method<EmbeddingRunInfo[]>()(z.object({ corpusId: id.nullable() })),

  /** Fine-tuning: one job that sweeps the learning rates and keeps the best epoch (train.progress events feed the charts). */
  'train.start': method<{ jobId: string; runId: number }>()(trainConfigSchema),
  /** Continues an interrupted run from its last checkpoint. */
  'train.resume': method<{ jobId: string }>()(byRun),
  /** A new run with a finished run's config (same seed, so the same numbers on the same backend). */
  'train.rerun': method<{ jobId: string; runId: number }>()(byRun),
  'train.estimate': method<TrainEstimate>()(trainConfigSchema),
  'train.runs': method<TrainRunInfo[]>()(z.object({ corpusId: id.nullable() })),
  'train.run': method<TrainRunDetail>()(byRun),
  'train.delete': method<null>()(byRun),
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

  /** Domain pretraining (masked LM): one job; pretrain.progress events feed the loss curves. */
  'pretrain.start': method<{ jobId: string; runId: number }>()(pretrainConfigSchema),
  'pretrain.resume': method<{ jobId: string }>()(byRun),
  'pretrain.estimate': method<PretrainEstimate>()(pretrainConfigSchema),
  'pretrain.runs': method<PretrainRunInfo[]>()(z.object({ corpusId: id.nullable() })),
  'pretrain.run': method<PretrainRunDetail>()(byRun),
  'pretrain.delete': method<null>()(byRun),
  /** Masked-LM loss of one or more models on a corpus split, the same masks for all, averaged over seeds; stored as a comparison. */
  'mlm.evaluate': method<{ jobId: string }>()(mlmEvaluateSchema),
  'mlm.evaluations': method<MlmEvaluation[]>()(z.object({ corpusId: id.nullable() })),
  /** A WordPiece vocabulary learned from a corpus's train split, written with its tokenizer files into a new or empty folder. */
  'vocab.learn': method<{ jobId: string }>()(
    z.object({ corpusId: id, vocabSize: z.number().int().min(100).max(1_000_000), wordSplitter: z.enum(wordSplitters), lowercase: z.boolean(), outDir: path }),
  ),
  /** A copy of a model folder with its position embeddings stretched to `length` (cubic spline, as scipy.ndimage.zoom). */
  'models.extendPositions': method<{ path: string; files: string[]; from: number; to: number }>()(
    z.object({ path, outDir: path, length: z.number().int().min(2).max(65_536) }),
  ),

  /** SVG (as ECharts renders it) to PDF with the embedded Japanese font. */
  'figure.pdf': method<{ bytes: Uint8Array }>()(
    z.object({ svg: z.string().min(1), width: z.number().positive(), height: z.number().positive() }),
  ),
};

export type Contract = typeof contract;
export type Method = keyof Contract;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type Output<M extends Method> = Contract[M]['output'];
export const methods = Object.keys(contract) as Method[];

/** Server-to-client events. */
export interface Events {
  'job.update': JobInfo;
  'project.changed': ProjectInfo | null;
  'train.progress': TrainProgress;
  'pretrain.progress': PretrainProgress;
}
export type EventName = keyof Events;
export const eventNames: EventName[] = ['job.update', 'project.changed', 'train.progress', 'pretrain.progress'];

/** What every transport's client side exposes to the renderer (window.shirabe in Electron). */
export interface ShirabeApi {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** What every transport's server side calls into. */
export type Handlers = { [M in Method]: (input: z.output<Contract[M]['input']>) => Promise<Output<M>> };

/** Result envelope used by IPC and WebSocket alike. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
