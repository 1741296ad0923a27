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
  /**
   * The baseline: cluster the TF-IDF of the same documents' label morphemes reduced by truncated SVD
   * (LSA) to this many dimensions instead of their embeddings, so a researcher sees what the language
   * model buys over word counts (null, or absent in runs made before it existed: the embeddings).
   */
  lsa: { components: number } | null;
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
  // scikit-learn's LSA example (and the bench's baseline): 100 dimensions.
  lsaComponents: 100,
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
  /** 0…clusters−1 as computed (a split's new topics numbered on from the highest), or -1 for HDBSCAN's noise. */
  cluster: number;
  /** The researcher's name for the topic (null: known by its words). */
  name: string | null;
  /** Label words the researcher pinned: shown first, kept through merges. */
  pinned: string[];
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

/** A researcher's change to a clustering's topics. */
export type TopicEdit =
  | { kind: 'rename'; cluster: number; name: string }
  | { kind: 'pin'; cluster: number; word: string; pinned: boolean }
  /** The topics become the first one (its name, everyone's pins). */
  | { kind: 'merge'; clusters: number[] }
  /** The documents re-clustered by k-means into `parts` new topics: a topic's own, or a selection's. */
  | { kind: 'split'; target: { cluster: number } | { documentIds: number[] }; parts: number }
  /** Documents to another topic, or to a new one (to: null). */
  | { kind: 'move'; documentIds: number[]; to: number | null };
export type TopicEditKind = TopicEdit['kind'];

export interface TopicEditRecord {
  id: number;
  edit: TopicEdit;
  at: string;
}

export interface ClusterRunDetail extends ClusterRunInfo {
  /** The topics as edited (the computed ones when there are no edits). */
  topics: TopicInfo[];
  /** The edits in force, oldest first: the last one is what undo takes back. */
  edits: TopicEditRecord[];
  /** Edits taken back that redo can restore, next first. */
  redo: TopicEditRecord[];
  /** The quality of the edited assignment (after a merge, split or move; inertia null), or null while the computed one stands. */
  editedQuality: ClusterQuality | null;
}

export interface TopicEditResult {
  runId: number;
  edit: TopicEdit;
  clusters: number;
  seconds: number;
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
    lsa: z.object({ components: z.number().int().min(2).max(1000) }).strict().nullable().default(null),
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

const topicDocuments = z.array(id).min(1).max(1_000_000);
const topicEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rename'), cluster: z.number().int().min(-1), name: z.string().trim().max(200) }).strict(),
  z.object({ kind: z.literal('pin'), cluster: z.number().int().min(-1), word: z.string().min(1).max(100), pinned: z.boolean() }).strict(),
  z.object({ kind: z.literal('merge'), clusters: z.array(z.number().int().min(0)).min(2).max(1000) }).strict(),
  z
    .object({
      kind: z.literal('split'),
      target: z.union([z.object({ cluster: z.number().int().min(-1) }).strict(), z.object({ documentIds: topicDocuments }).strict()]),
      parts: z.number().int().min(2).max(50),
    })
    .strict(),
  z.object({ kind: z.literal('move'), documentIds: topicDocuments, to: z.number().int().min(-1).nullable() }).strict(),
]);

export { clusterConfigSchema, mapConfigSchema, topicEditSchema };

// The k sweep: k-means for every k of a range on an embedding run, so the researcher can choose k
// by the elbow of the inertia and the silhouette. A job, not a run: its result stays in the job's record.
export interface KSweepConfig {
  embeddingRunId: number;
  /** The first and last k tried, every k between them: 2 ≤ from ≤ to ≤ documents − 1, to − from ≤ kSweepMaxSpan. */
  from: number;
  to: number;
  /** k-means++ restarts per k, the lowest inertia kept (as a clustering's). */
  restarts: number;
  metric: VectorMetric;
  /** As a clustering's: sweep in a UMAP-reduced space (null: the embeddings as they are). */
  reduce: { dimensions: number; neighbours: number } | null;
  seed: number;
}

export interface KSweepPoint {
  k: number;
  /** The kept restart's inertia: the elbow curve. */
  inertia: number;
  /** Mean silhouette in the swept space (on the same seeded sample for every k beyond 5,000 documents); null where it is undefined. */
  silhouette: number | null;
  /** Against the corpus's labels, when it has them. */
  nmi: number | null;
  ari: number | null;
}

export interface KSweepResult {
  embeddingRunId: number;
  points: KSweepPoint[];
  /** The k with the highest silhouette: a hint, not a rule (null when no k has one). */
  suggested: number | null;
  seconds: number;
}

/** The range the sweep form starts with; at most kSweepMaxSpan + 1 values of k in one sweep. */
export const kSweepDefaults = { from: 2, to: 30 };
export const kSweepMaxSpan = 100;

const kSweepConfigSchema = z
  .object({
    embeddingRunId: id,
    from: z.number().int().min(2).max(1000).default(kSweepDefaults.from),
    to: z.number().int().min(2).max(1100).default(kSweepDefaults.to),
    restarts: z.number().int().min(1).max(100).default(topicsDefaults.restarts),
    metric: z.enum(vectorMetrics).default(topicsDefaults.metric),
    reduce: z.object({ dimensions: z.number().int().min(2).max(100), neighbours: z.number().int().min(2).max(200) }).nullable().default(null),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(topicsDefaults.seed),
  })
  .strict();

export { kSweepConfigSchema };

export const topics = section({
  methods: {
    /** Clusters an embedding run and labels every cluster both ways: one job, one run. */
    'topics.cluster': method<{ jobId: string; runId: number }>()(clusterConfigSchema),
    /**
     * Edits a clustering's topics. A rename or pin is written at once (jobId null); a merge, split or
     * move is a job that labels every topic again and then writes the edit. Edits are kept apart from
     * the computed result.
     */
    'topics.edit': method<{ jobId: string | null }>()(z.object({ runId: id, edit: topicEditSchema })),
    /** Takes back the last edit in force (kept for redo until the next edit). */
    'topics.undo': method<{ edit: TopicEdit }>()(byRun),
    /** Restores the edit undo took back last. */
    'topics.redo': method<{ edit: TopicEdit }>()(byRun),
    /** Each document's cluster in a clustering run as edited (-1 = noise), parallel arrays. */
    'topics.assignments': method<{ documentIds: Int32Array; clusters: Int32Array }>()(byRun),
    /** Sweeps k (k-means for every k of from…to) with inertia, silhouette and, with gold labels, NMI and ARI per k: one job, no run. */
    'topics.sweep': method<{ jobId: string }>()(kSweepConfigSchema),
    /** Projects an embedding run to 2-D: one job, one run. */
    'maps.start': method<{ jobId: string; runId: number }>()(mapConfigSchema),
    /** A map's points: document ids and [n, 2] coordinates, row-major. */
    'maps.points': method<{ documentIds: Int32Array; coords: Float32Array }>()(byRun),
  },
  jobs: { cluster: job<ClusterResult>(), map: job<MapResult>(), topicEdit: job<TopicEditResult>(), sweep: job<KSweepResult>() },
  runs: { cluster: run<ClusterRunInfo, ClusterRunDetail>(), map: run<MapRunInfo>() },
});
