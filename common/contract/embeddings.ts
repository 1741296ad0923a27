// Embeddings: a corpus embedded with a model as a job, one vector per document kept in the project.
import { z } from 'zod';
import { byCorpus, id, job, method, path, section } from './define';
import type { ModelSourceRef } from './hub';

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
  /** `source`: the Hub id and commit the model was downloaded from, where it was (revision pinning). */
  model: { name: string; path: string; hash: string; modelType: string; source?: ModelSourceRef };
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

/** File formats an embedding run exports to, chosen by the file's extension (.csv, .npy, .parquet). */
export const embeddingExportFormats = ['csv', 'npy', 'parquet'] as const;
export type EmbeddingExportFormat = (typeof embeddingExportFormats)[number];

export interface EmbeddingExportResult {
  /** The file asked for (absolute). */
  path: string;
  format: EmbeddingExportFormat;
  /** Every file written: for NPY the matrix and, beside it, `<name>.rows.csv` saying which document each row is. */
  files: string[];
  rows: number;
  dimensions: number;
  /** Bytes written, all files together. */
  bytes: number;
}

export const embeddings = section({
  methods: {
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
    'embed.runs': method<EmbeddingRunInfo[]>()(byCorpus),
    /** An embedding run's vectors with each document's id, title, label and split, to CSV, NPY or Parquet by the path's extension. */
    'embed.export': method<EmbeddingExportResult>()(z.object({ runId: id, path })),
  },
  jobs: { embed: job<EmbedResult>() },
});
