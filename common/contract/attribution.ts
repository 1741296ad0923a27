// Attribution: Integrated Gradients over a model's word embeddings for documents of a corpus, as a
// run of the shared lifecycle — which words drove a fine-tuned classifier's prediction (a class's
// logit or probability), how much each word contributes to a sentence embedding (the implicit-
// weighting study's norm contribution), or what places a document in its topic (the cosine of its
// embedding to its cluster's centroid). Per-token scores are kept in the project; words and MeCab
// morphemes are gathered from them when a document is opened.
import { z } from 'zod';
import { byRun, id, job, method, path, run, section } from './define';
import { poolings, type Pooling } from './embeddings';
import type { ModelSourceRef } from './hub';
import type { RunCommon } from './runs';

export const attributionRules = ['riemann-left', 'riemann-right', 'riemann-middle', 'trapezoid', 'gauss-legendre'] as const;
export type AttributionRule = (typeof attributionRules)[number];
export const attributionBaselineKinds = ['pad', 'mask', 'unk', 'zero'] as const;
export type AttributionBaselineKind = (typeof attributionBaselineKinds)[number];

/** Whose model is attributed: a finished fine-tuning run of the project, or a model folder (its own head, if any). */
export type AttributionSource = { kind: 'run'; runId: number } | { kind: 'model'; path: string };

export type AttributionTargetSpec =
  /** A classifier's class: `label` null = each document's predicted class. */
  | { kind: 'class'; label: string | null; output: 'logit' | 'probability' }
  /** A sentence embedding (pooling and layer as on the Embeddings page); the study's norm contribution, exact or estimated from this many random projections. */
  | { kind: 'embedding'; pooling: Pooling; layer: number; estimate: number | null }
  /** The cosine of the document's embedding to its topic's centroid, with the clustering's embedding model, pooling and layer. */
  | { kind: 'membership'; clusteringRunId: number };

export type AttributionDocuments = { kind: 'ids'; ids: number[] } | { kind: 'split'; split: 'train' | 'dev' | 'test' | null; limit: number | null };

export interface AttributionConfig {
  corpusId: number;
  /** Null only with a membership target (the clustering's embedding model is used). */
  source: AttributionSource | null;
  target: AttributionTargetSpec;
  documents: AttributionDocuments;
  baseline: AttributionBaselineKind;
  steps: number;
  rule: AttributionRule;
  /**
   * A document whose completeness gap is above this is attributed again with twice the steps, at
   * most twice (so up to 4× steps); null: never.
   */
  tolerance: number | null;
  /**
   * Memory per forward and backward pass, as for a batch of this many documents of maxLength tokens:
   * a shorter document runs proportionally more integration points per pass. Lower it if memory runs short.
   */
  batchSize: number;
  maxLength: number;
  truncation: 'head' | 'head+tail';
  /** The estimate's random projections. */
  seed: number;
  name: string;
}

export const attributionDefaults = {
  // The study's and Captum's default.
  steps: 50,
  // Exact for polynomials of degree 2n − 1: the smallest completeness gaps per step (Captum's default too).
  rule: 'gauss-legendre' as AttributionRule,
  // Some documents' integrands have sharp features that 50 points miss (a 1.5% gap at 25 and 50
  // Gauss–Legendre points, 0.03% at 100): those get more steps until the gap is within 1%.
  tolerance: 0.01,
  // The study: [CLS] [PAD] … [PAD] [SEP].
  baseline: 'pad' as AttributionBaselineKind,
  batchSize: 16,
  maxLength: 128,
  // 64 projections put the estimate within about ±19% / −14% of the exact norm at 95% (attribute.ts's bound).
  estimate: 64,
  seed: 42,
  // A completeness gap beyond this is worth a warning: more steps, or another rule.
  gapWarning: 0.05,
};

export interface AttributionModelRef {
  name: string;
  path: string;
  hash: string;
  /** The Hub id and commit the (base) model was downloaded from, where it was (revision pinning). */
  source?: ModelSourceRef;
}

export interface AttributionRunInfo extends RunCommon<'attribution', AttributionConfig, { documents: number }, { step: number; savedAt: string }> {
  model: AttributionModelRef;
  /** Documents attributed so far. */
  done: number;
  /** Signed scores (a class, a topic) or norms (an embedding). */
  signed: boolean;
  /** Completeness gaps over the documents done: mean and largest. */
  gap: { mean: number; max: number } | null;
}

export interface AttributedDocumentInfo {
  documentId: number;
  title: string | null;
  /** The gold label. */
  label: string | null;
  /** What was attributed: a class's name, "embedding", or the topic's number. */
  target: string;
  /** A classifier's predicted class (null for other targets). */
  predicted: string | null;
  /** f(x) and f(x′): the attributed scalar at the document and at the baseline (an embedding: ‖f(x) − f(x′)‖ and 0). */
  atInput: number;
  atBaseline: number;
  /** Completeness gap |Σ attributions − (f(x) − f(x′))| / |f(x) − f(x′)|. */
  gap: number;
  /** The integration points used (more than the config's where the gap asked for them). */
  steps: number;
  tokens: number;
  /** Tokens of the text beyond maxLength, not attributed. */
  truncated: number;
}

/** A token as an attribution keeps it: its vocabulary entry, [start, end) in the document's text, whether the tokenizer added it, and its word (when the tokenizer has words). */
export interface AttributedToken {
  text: string;
  start: number;
  end: number;
  special: boolean;
  word?: number;
}

/** One document's result as the compute worker makes it and the project keeps it. */
export interface AttributedDocumentRecord {
  documentId: number;
  /** Its place in the run's order. */
  position: number;
  target: string;
  predicted: string | null;
  atInput: number;
  atBaseline: number;
  gap: number;
  steps: number;
  truncated: number;
  tokens: AttributedToken[];
  /** [tokens] each token's score, and an estimate's 95% interval (null when exact). */
  scores: Float32Array;
  low: Float32Array | null;
  high: Float32Array | null;
}

export interface AttributionRunDetail extends AttributionRunInfo {
  attributed: AttributedDocumentInfo[];
}

/** One scored unit of the text: a token, a word or a morpheme; [start, end) in the document's text. */
export interface ScoredSpan {
  start: number;
  end: number;
  text: string;
  score: number;
  /** The estimate's 95% interval (tokens of an estimated norm only). */
  low?: number;
  high?: number;
  /** A morpheme's part of speech (IPADIC's first level). */
  pos?: string;
  special?: boolean;
}

export interface DocumentAttribution {
  runId: number;
  signed: boolean;
  summary: AttributedDocumentInfo;
  /** The document's text: every span's offsets are into it. */
  text: string;
  tokens: ScoredSpan[];
  /** Subwords gathered into the tokenizer's words (sum, or L2 for norms). */
  words: ScoredSpan[];
  /** Tokens shared out over MeCab-IPADIC morphemes by characters (sum, or L2 for norms). */
  morphemes: ScoredSpan[];
}

export interface AttributionResult {
  runId: number;
  documents: number;
  gap: { mean: number; max: number } | null;
  seconds: number;
}

/** The implicit-weighting study's analysis of attribution runs against a corpus's word frequencies. */
export interface InformationConfig {
  runIds: number[];
  /** The corpus whose frequencies give P(w) (add-one smoothed). */
  frequencyCorpusId: number;
  /** MeCab-IPADIC morphemes (surface forms), or the model's own subword tokens. */
  unit: 'morpheme' | 'subword';
  /** Leave out symbols and punctuation (IPADIC's 記号; subwords without a letter or digit). */
  withoutSymbols: boolean;
  /** Bootstrap resamples for the intervals. */
  bootstrap: number;
  seed: number;
}

export interface CorrelationInfo {
  value: number;
  /** 95% intervals: Fisher's z, and the percentile bootstrap. */
  fisher: [number, number];
  bootstrap: [number, number];
}

export interface InformationRunReport {
  runId: number;
  name: string;
  /** What the run explains (e.g. "cls embedding, layer −1"). */
  target: AttributionTargetSpec;
  /** Word occurrences analysed. */
  n: number;
  information: { pearson: CorrelationInfo; spearman: CorrelationInfo };
  probability: { pearson: CorrelationInfo; spearman: CorrelationInfo };
  fit: { slope: number; intercept: number };
  /**
   * The scatter: occurrences' −log P(w), contribution and word (parallel arrays; plain numbers, as a
   * job's result is kept as JSON) — every one up to informationScatterLimit, else a seeded sample of that many.
   */
  points: { information: number[]; contribution: number[]; words: string[] };
}

export const informationScatterLimit = 5000;

export interface InformationResult {
  frequencyCorpusId: number;
  unit: 'morpheme' | 'subword';
  /** N and V of the frequency corpus. */
  tokens: number;
  types: number;
  runs: InformationRunReport[];
  seconds: number;
}

export const informationConfigSchema = z
  .object({
    runIds: z.array(id).min(1).max(8),
    frequencyCorpusId: id,
    unit: z.enum(['morpheme', 'subword']).default('morpheme'),
    withoutSymbols: z.boolean().default(true),
    bootstrap: z.number().int().min(0).max(100_000).default(1000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(attributionDefaults.seed),
  })
  .strict();

const attributionConfigSchema = z
  .object({
    corpusId: id,
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('run'), runId: id }).strict(), z.object({ kind: z.literal('model'), path }).strict()]).nullable(),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('class'), label: z.string().min(1).nullable().default(null), output: z.enum(['logit', 'probability']).default('logit') }).strict(),
      z
        .object({
          kind: z.literal('embedding'),
          pooling: z.enum(poolings).default('mean'),
          layer: z.number().int().min(-100).max(100).default(-1),
          estimate: z.number().int().min(8).max(4096).nullable().default(null),
        })
        .strict(),
      z.object({ kind: z.literal('membership'), clusteringRunId: id }).strict(),
    ]),
    documents: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('ids'), ids: z.array(id).min(1).max(100_000) }).strict(),
      z.object({ kind: z.literal('split'), split: z.enum(['train', 'dev', 'test']).nullable(), limit: z.number().int().min(1).max(1_000_000).nullable().default(null) }).strict(),
    ]),
    baseline: z.enum(attributionBaselineKinds).default(attributionDefaults.baseline),
    steps: z.number().int().min(2).max(1000).default(attributionDefaults.steps),
    rule: z.enum(attributionRules).default(attributionDefaults.rule),
    tolerance: z.number().gt(0).max(1).nullable().default(attributionDefaults.tolerance),
    batchSize: z.number().int().min(1).max(1024).default(attributionDefaults.batchSize),
    maxLength: z.number().int().min(8).max(8192).default(attributionDefaults.maxLength),
    truncation: z.enum(['head', 'head+tail']).default('head'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(attributionDefaults.seed),
    name: z.string().max(200).default(''),
  })
  .strict();

export { attributionConfigSchema };

export const attribution = section({
  methods: {
    /** Attributes documents as a job: one run, the documents' scores written as each is done (resume goes on from there). */
    'attribution.start': method<{ jobId: string; runId: number }>()(attributionConfigSchema),
    /** One attributed document: its text with token, word and morpheme scores. */
    'attribution.document': method<DocumentAttribution>()(byRun.extend({ documentId: id })),
    /** The attribution runs that hold a document's scores, newest first (the document viewer's heatmap). */
    'attribution.ofDocument': method<{ runId: number; name: string; target: AttributionTargetSpec; signed: boolean }[]>()(z.object({ documentId: id })),
    /** The study's analysis as a job: each run's word contributions against −log P(w) and P(w) of a corpus's frequencies. */
    'attribution.information': method<{ jobId: string }>()(informationConfigSchema),
  },
  jobs: { attribution: job<AttributionResult>(), information: job<InformationResult>() },
  runs: { attribution: run<AttributionRunInfo, AttributionRunDetail>() },
});

