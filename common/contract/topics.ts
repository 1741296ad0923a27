// Maps and topics: an embedding run clustered (k-means or HDBSCAN, optionally in a UMAP-reduced
// space) with every cluster labelled two ways — the LLM topic-extraction study's TF-IDF-weighted
// word embeddings nearest the centroid, and BERTopic's class-based TF-IDF — and projected to a 2-D
// map (UMAP, t-SNE or PCA). Clusterings and maps are runs of the shared lifecycle.
import { z } from 'zod';
import { byRun, id, job, method, run, section } from './define';
import type { Pooling } from './embeddings';
import type { RunCommon } from './runs';

export const vectorMetrics = ['cosine', 'euclidean'] as const;
export type VectorMetric = (typeof vectorMetrics)[number];
export const mapMethods = ['umap', 'tsne', 'pca'] as const;
export type MapMethod = (typeof mapMethods)[number];

export type ClusterAlgorithm =
  | { kind: 'kmeans'; k: number; restarts: number }
  | { kind: 'hdbscan'; minClusterSize: number; minSamples: number | null };

export interface ClusterConfig {
  embeddingRunId: number;
  algorithm: ClusterAlgorithm;
  metric: VectorMetric;
  /** Cluster in a UMAP-reduced space instead of the full embeddings (null: the embeddings as they are). */
  reduce: { dimensions: number; neighbours: number } | null;
  labels: {
    /** Label words per cluster and method. */
    words: number;
    /** A word must occur in at least this many documents. */
    minDf: number;
    /** …and in at most this share of them. */
    maxDfShare: number;
    /** Extra stop words, on top of the built-in Japanese and English lists. */
    stopWords: string[];
    /** BERTopic's MMR diversity for the c-TF-IDF words (0 = none … 1 = most diverse), or null for plain c-TF-IDF. */
    diversity: number | null;
  };
  seed: number;
  name: string;
}

export const topicsDefaults = {
  // The study's k (and BERTopic's minimum topic size for HDBSCAN).
  k: 20,
  // sklearn 1.2.1's n_init.
  restarts: 10,
  minClusterSize: 10,
  // Embeddings are compared by direction.
  metric: 'cosine' as VectorMetric,
  // BERTopic reduces to 5 dimensions with 15 neighbours before HDBSCAN; k-means on the embeddings needs no reduction.
  reduce: { dimensions: 5, neighbours: 15 },
  // The study: 20 label words, min_df 10.
  words: 20,
  minDf: 10,
  maxDfShare: 1,
  seed: 42,
  // umap-learn's defaults.
  neighbours: 15,
  minDist: 0.1,
  // sklearn's TSNE default.
  perplexity: 30,
};

export interface LabelWordInfo {
  word: string;
  score: number;
}

export interface TopicInfo {
  /** 0…clusters−1, or -1 for HDBSCAN's noise. */
  cluster: number;
  size: number;
  /** The study's label words: nearest the centroid by cosine (TF-IDF-weighted word embeddings). */
  study: LabelWordInfo[];
  /** BERTopic's class-based TF-IDF words (with MMR when the config asks for it). */
  ctfidf: LabelWordInfo[];
  /** The documents nearest the centroid. */
  representatives: { documentId: number; title: string | null; snippet: string }[];
  /** How the cluster's documents are spread over the gold labels (empty when the corpus has none). */
  gold: { label: string; count: number }[];
}

export interface ClusterQuality {
  /** Mean silhouette in the clustered space (on a seeded sample for large runs); null with one cluster. */
  silhouette: number | null;
  /** Against the corpus's labels, when it has them. */
  nmi: number | null;
  ari: number | null;
  purity: number | null;
  /** k-means' inertia (null for HDBSCAN). */
  inertia: number | null;
  /** Documents HDBSCAN left as noise. */
  noise: number;
  /** Mean lift of each method's label words for their clusters: how specific they are. */
  lift: { study: number; ctfidf: number };
}

export interface EmbeddingRef {
  runId: number;
  model: string;
  pooling: Pooling;
  layer: number;
  dimensions: number;
}

export interface ClusterRunInfo extends RunCommon<'cluster', ClusterConfig, { documents: number }, { step: number; savedAt: string }> {
  embedding: EmbeddingRef;
  clusters: number | null;
  /** Words that passed min_df / max_df. */
  vocabulary: number | null;
  quality: ClusterQuality | null;
}

export interface ClusterRunDetail extends ClusterRunInfo {
  topics: TopicInfo[];
}

export interface MapConfig {
  embeddingRunId: number;
  method: MapMethod;
  metric: VectorMetric;
  /** UMAP's n_neighbors. */
  neighbours: number;
  /** UMAP's min_dist. */
  minDist: number;
  /** t-SNE's perplexity. */
  perplexity: number;
  seed: number;
  name: string;
}

export interface MapRunInfo extends RunCommon<'map', MapConfig, { documents: number }, { step: number; savedAt: string }> {
  embedding: EmbeddingRef;
  /** sklearn's trustworthiness (k = 10) on a seeded sample: how well the map keeps neighbourhoods. */
  trustworthiness: number | null;
}

export interface ClusterResult {
  runId: number;
  clusters: number;
  quality: ClusterQuality;
  seconds: number;
}

export interface MapResult {
  runId: number;
  trustworthiness: number | null;
  seconds: number;
}

const clusterConfigSchema = z
  .object({
    embeddingRunId: id,
    algorithm: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('kmeans'), k: z.number().int().min(2).max(1000).default(topicsDefaults.k), restarts: z.number().int().min(1).max(100).default(topicsDefaults.restarts) }),
        z.object({ kind: z.literal('hdbscan'), minClusterSize: z.number().int().min(2).max(100_000).default(topicsDefaults.minClusterSize), minSamples: z.number().int().min(1).max(100_000).nullable().default(null) }),
      ])
      .default({ kind: 'kmeans', k: topicsDefaults.k, restarts: topicsDefaults.restarts }),
    metric: z.enum(vectorMetrics).default(topicsDefaults.metric),
    reduce: z.object({ dimensions: z.number().int().min(2).max(100), neighbours: z.number().int().min(2).max(200) }).nullable().default(null),
    labels: z
      .object({
        words: z.number().int().min(1).max(200).default(topicsDefaults.words),
        minDf: z.number().int().min(1).default(topicsDefaults.minDf),
        maxDfShare: z.number().gt(0).max(1).default(topicsDefaults.maxDfShare),
        stopWords: z.array(z.string().min(1).max(100)).max(10_000).default([]),
        diversity: z.number().min(0).max(1).nullable().default(null),
      })
      .strict()
      .default({ words: topicsDefaults.words, minDf: topicsDefaults.minDf, maxDfShare: topicsDefaults.maxDfShare, stopWords: [], diversity: null }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(topicsDefaults.seed),
    name: z.string().max(200).default(''),
  })
  .strict();

const mapConfigSchema = z
  .object({
    embeddingRunId: id,
    method: z.enum(mapMethods).default('umap'),
    metric: z.enum(vectorMetrics).default(topicsDefaults.metric),
    neighbours: z.number().int().min(2).max(200).default(topicsDefaults.neighbours),
    minDist: z.number().min(0).max(1).default(topicsDefaults.minDist),
    perplexity: z.number().min(2).max(500).default(topicsDefaults.perplexity),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(topicsDefaults.seed),
    name: z.string().max(200).default(''),
  })
  .strict();

export { clusterConfigSchema, mapConfigSchema };

export const topics = section({
  methods: {
    /** Clusters an embedding run and labels every cluster both ways: one job, one run. */
    'topics.cluster': method<{ jobId: string; runId: number }>()(clusterConfigSchema),
    /** Each document's cluster in a clustering run (-1 = noise), parallel arrays. */
    'topics.assignments': method<{ documentIds: Int32Array; clusters: Int32Array }>()(byRun),
    /** Projects an embedding run to 2-D: one job, one run. */
    'maps.start': method<{ jobId: string; runId: number }>()(mapConfigSchema),
    /** A map's points: document ids and [n, 2] coordinates, row-major. */
    'maps.points': method<{ documentIds: Int32Array; coords: Float32Array }>()(byRun),
  },
  jobs: { cluster: job<ClusterResult>(), map: job<MapResult>() },
  runs: { cluster: run<ClusterRunInfo, ClusterRunDetail>(), map: run<MapRunInfo>() },
});
