// Applying a classifier: a finished fine-tuning run (or any model folder with a classification head)
// run over the documents of a corpus as a run of the shared lifecycle. Each document's predicted
// labels, per-label probabilities (softmax for single-label, sigmoid for multi-label) and confidence
// are kept in the project, shown as a column of the corpus's document table, compared with the gold
// labels where the corpus has them, and exported as CSV.
import { z } from 'zod';
import { byRun, id, job, limit, method, path, run, section } from './define';
import type { SplitName } from './corpus';
import type { ModelSourceRef } from './hub';
import type { RunCommon } from './runs';
import type { TestMetrics, TrainTask } from './training';

/** Whose classifier is applied: a finished fine-tuning run of the project, or a model folder with its own classification head. */
export type PredictionSource = { kind: 'run'; runId: number } | { kind: 'model'; path: string };

export interface PredictionConfig {
  corpusId: number;
  source: PredictionSource;
  /** One split, or (null) every document of the corpus. */
  split: SplitName | null;
  /** Multi-label: a label is predicted when its probability is at least this; null = 0.5 (the fine-tuning's, logit > 0). */
  threshold: number | null;
  batchSize: number;
  /** Tokens per document; null = the run's (a model folder: 128, or fewer if it has fewer positions). */
  maxLength: number | null;
  /** null = the run's (a model folder: head). */
  truncation: 'head' | 'head+tail' | null;
  name: string;
}

export const predictionDefaults = {
  batchSize: 32,
  // As fine-tuning's default.
  maxLength: 128,
  threshold: 0.5,
  // Batches whose results are written (with the checkpoint) in one transaction: 256 documents at the default batch size.
  chunkBatches: 8,
};

/** How the predictions compare with the corpus's gold labels (scikit-learn's definitions, as fine-tuning's test metrics). */
export interface PredictionEvaluation {
  /** Accuracy (multi-label: subset accuracy), macro/micro/weighted scores, per-class table and (single-label) the confusion matrix, over the classifier's labels. */
  metrics: TestMetrics;
  /** Documents with a gold label, and of those the ones compared. */
  withGold: number;
  /** Documents with no gold label (not compared). */
  withoutGold: number;
  /**
   * Gold labels the classifier never saw: single-label documents with one of them are left out of
   * the comparison; multi-label documents are compared on the shared labels only.
   */
  unseen: { labels: string[]; documents: number };
}

export interface PredictionRunInfo extends RunCommon<'prediction', PredictionConfig, { documents: number }, { step: number; savedAt: string }> {
  /** `source`: the Hub id and commit the (base) model was downloaded from, where it was (revision pinning). */
  model: { name: string; path: string; hash: string; source?: ModelSourceRef };
  /** The classifier's labels, in its output order. */
  labels: string[];
  task: TrainTask;
  /** The multi-label threshold in force (0.5 for single-label, where it is not used). */
  threshold: number;
  /** Documents predicted so far. */
  done: number;
  /** Against the gold labels, once the run is done and where the corpus has any. */
  evaluation: PredictionEvaluation | null;
}

export type PredictionRunDetail = PredictionRunInfo;

/** One predicted document. */
export interface PredictedDocument {
  documentId: number;
  title: string | null;
  snippet: string;
  split: SplitName;
  /** The gold labels (multi-label: split on the run's separator); empty without one. */
  gold: string[];
  predicted: string[];
  /** Per label, in the run's label order. */
  probabilities: number[];
  /** Single-label: the top probability; multi-label: the least sure decision at the run's threshold, min over labels of p (predicted) or 1 − p (not). */
  confidence: number;
  /** Null without a gold label (or with one the classifier never saw, single-label). */
  correct: boolean | null;
}

/** What a document row of the corpus table shows for a chosen prediction run. */
export interface DocumentPrediction {
  labels: string[];
  confidence: number;
}

export interface PredictionResult {
  runId: number;
  documents: number;
  evaluation: PredictionEvaluation | null;
  seconds: number;
}

export const predictionSorts = ['position', 'confidence-desc', 'confidence-asc'] as const;
export type PredictionSort = (typeof predictionSorts)[number];

export const predictionConfigSchema = z
  .object({
    corpusId: id,
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('run'), runId: id }).strict(), z.object({ kind: z.literal('model'), path }).strict()]),
    split: z.enum(['train', 'dev', 'test']).nullable().default(null),
    threshold: z.number().gt(0).lt(1).nullable().default(null),
    batchSize: z.number().int().min(1).max(4096).default(predictionDefaults.batchSize),
    maxLength: z.number().int().min(8).max(8192).nullable().default(null),
    truncation: z.enum(['head', 'head+tail']).nullable().default(null),
    name: z.string().max(200).default(''),
  })
  .strict();

export const prediction = section({
  methods: {
    /** Applies the classifier as a job: one run, results written every few hundred documents with the checkpoint (resume goes on from there). */
    'prediction.start': method<{ jobId: string; runId: number }>()(predictionConfigSchema),
    /** A page of a run's predicted documents, filtered by a predicted label and sorted by confidence if asked. */
    'prediction.documents': method<{ total: number; rows: PredictedDocument[] }>()(
      byRun.extend({
        predicted: z.string().nullable().default(null),
        errorsOnly: z.boolean().default(false),
        sort: z.enum(predictionSorts).default('position'),
        offset: z.number().int().nonnegative().default(0),
        limit: limit.default(100),
      }),
    ),
    /** The run as CSV text (document id, title, gold, predicted, probability per label), for a download. */
    'prediction.csv': method<{ csv: string; rows: number }>()(byRun),
    /** The same CSV written to a file (a new name or a file to replace), atomically. */
    'prediction.export': method<{ path: string; rows: number; bytes: number }>()(byRun.extend({ path })),
  },
  jobs: { prediction: job<PredictionResult>() },
  runs: { prediction: run<PredictionRunInfo, PredictionRunDetail>() },
});
