// Domain pretraining: continued masked-LM pretraining, a new BERT from scratch, or sentence-embedding
// training by unsupervised SimCSE; held-out masked-LM loss comparisons, vocabulary learning and
// position-embedding extension.
import { z } from 'zod';
import type { BertShape } from '../bertSize';
import { byCorpus, event, id, job, method, path, run, section } from './define';
import type { ModelSourceRef } from './hub';
import type { RunCommon } from './runs';

export const pretrainModes = ['continue', 'scratch', 'simcse'] as const;
export type PretrainMode = (typeof pretrainModes)[number];
/** Modes that train a model folder the researcher chose (all but scratch). */
export const usesBaseModel = (mode: PretrainMode): boolean => mode !== 'scratch';
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
  /**
   * continue: masked-LM training of modelPath; scratch: a new BERT with a vocabulary learned from the
   * corpus; simcse: sentence-embedding training of modelPath by unsupervised SimCSE on the corpus's sentences.
   */
  mode: PretrainMode;
  /** The model to train (continue and simcse). */
  modelPath: string;
  scratch: ScratchSettings;
  /** The Hugging Face folder the model is written to (new or empty); its checkpoints live in it until the run ends. */
  outputDir: string;
  maxLength: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
  /** Next-sentence prediction as well (BERT's original second objective; BERT models only): sentence pairs instead of packed text. */
  nsp: boolean;
  /** SimCSE's temperature τ: similarities are cos / τ. */
  temperature: number;
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
  // SimCSE (Gao et al. 2021): unsupervised BERT-base 3e-5, batch 64, 1 epoch, sentences of 32 tokens, τ 0.05.
  learningRateSimcse: 3e-5,
  maxLengthSimcse: 32,
  temperature: 0.05,
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

/** A pretraining run; its checkpoint (a file in its output folder) is the optimizer steps done. */
export interface PretrainRunInfo extends RunCommon<'pretrain', PretrainConfig, { train: number; heldOut: number }, { step: number; savedAt: string }> {
  /** The model continued from (null from scratch). */
  base: { name: string; path: string; hash: string; modelType: string; source?: ModelSourceRef } | null;
  /** The written model (when done): its folder and hash. */
  output: { path: string; hash: string; parameters: number; vocabSize: number } | null;
  /** Packed sequences of maxLength tokens. */
  sequences: { train: number; heldOut: number };
  /** Held-out masked-LM loss before training and at the last evaluation. */
  initialLoss: HeldOutLossInfo | null;
  finalLoss: HeldOutLossInfo | null;
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
  /** What the held-out loss measures: masked-LM (continue, scratch) or SimCSE's contrastive loss (simcse). */
  mode: PretrainMode;
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
    maxLength: z.number().int().min(8).max(100_000).optional(),
    mlmProbability: z.number().gt(0).max(0.5).default(pretrainDefaults.mlmProbability),
    wholeWordMasking: z.boolean().default(pretrainDefaults.wholeWordMasking),
    nsp: z.boolean().default(pretrainDefaults.nsp),
    temperature: z.number().gt(0).max(10).default(pretrainDefaults.temperature),
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
    if (c.mode === 'simcse' && !c.modelPath) ctx.addIssue({ code: 'custom', path: ['modelPath'], message: 'SimCSE trains a model folder: choose one' });
    if (c.mode === 'simcse' && c.nsp) ctx.addIssue({ code: 'custom', path: ['nsp'], message: 'next-sentence prediction is a masked-LM objective, not SimCSE\'s' });
    const s = { ...pretrainDefaults.scratch, ...c.scratch };
    if (c.mode === 'scratch' && s.hiddenSize % s.numHeads !== 0) ctx.addIssue({ code: 'custom', path: ['scratch', 'numHeads'], message: `hidden size ${s.hiddenSize} is not divisible by ${s.numHeads} heads` });
    if (c.mode === 'scratch' && (c.maxLength ?? pretrainDefaults.maxLength) > s.maxPositions) ctx.addIssue({ code: 'custom', path: ['maxLength'], message: `longer than the new model's ${s.maxPositions} positions` });
  })
  .transform(
    (c): PretrainConfig => ({
      ...c,
      scratch: { ...pretrainDefaults.scratch, ...c.scratch },
      maxLength: c.maxLength ?? (c.mode === 'simcse' ? pretrainDefaults.maxLengthSimcse : pretrainDefaults.maxLength),
      learningRate: c.learningRate ?? (c.mode === 'scratch' ? pretrainDefaults.learningRateScratch : c.mode === 'simcse' ? pretrainDefaults.learningRateSimcse : pretrainDefaults.learningRateContinue),
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

export const pretraining = section({
  methods: {
    /** Domain pretraining (masked LM): one job; pretrain.progress events feed the loss curves. */
    'pretrain.start': method<{ jobId: string; runId: number }>()(pretrainConfigSchema),
    'pretrain.estimate': method<PretrainEstimate>()(pretrainConfigSchema),
    /** Masked-LM loss of one or more models on a corpus split, the same masks for all, averaged over seeds; stored as a comparison. */
    'mlm.evaluate': method<{ jobId: string }>()(mlmEvaluateSchema),
    'mlm.evaluations': method<MlmEvaluation[]>()(byCorpus),
    /** A WordPiece vocabulary learned from a corpus's train split, written with its tokenizer files into a new or empty folder. */
    'vocab.learn': method<{ jobId: string }>()(
      z.object({ corpusId: id, vocabSize: z.number().int().min(100).max(1_000_000), wordSplitter: z.enum(wordSplitters), lowercase: z.boolean(), outDir: path }),
    ),
    /** A copy of a model folder with its position embeddings stretched to `length` (cubic spline, as scipy.ndimage.zoom). */
    'models.extendPositions': method<{ path: string; files: string[]; from: number; to: number }>()(
      z.object({ path, outDir: path, length: z.number().int().min(2).max(65_536) }),
    ),
  },
  events: { 'pretrain.progress': event<PretrainProgress>() },
  jobs: { pretrain: job<PretrainResult>(), mlm: job<MlmEvaluation>(), vocab: job<VocabResult>() },
  runs: { pretrain: run<PretrainRunInfo, PretrainRunDetail>() },
});
