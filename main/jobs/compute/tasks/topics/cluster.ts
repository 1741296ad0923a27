// A clustering with its topics: an embedding run's vectors clustered (k-means restarts or HDBSCAN),
// its quality (silhouette; NMI, ARI and purity against the gold labels when there are any), and
// every cluster labelled two ways (labelling.ts). Morphemes are analysed here (the worker has the dictionary).
import type { ClusterConfig, ClusterQuality } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed } from '../../../../../common/random';
import { hdbscan } from '../../../../ml/cluster/hdbscan';
import { kmeans, type KMeansResult } from '../../../../ml/cluster/kmeans';
import type { Vectors } from '../../../../ml/cluster/vectors';
import { umap } from '../../../../ml/maps/umap';
import { defineTask, type TaskContext } from '../../task';
import type { TfidfModel } from '../../../../ml/topics/index';
import { analyseTerms, assignmentQuality, labelClusters, labelVocabulary, lsaSpace, type ClusterTopic } from './labelling';

export type { ClusterTopic } from './labelling';

export interface ClusterInput {
  config: ClusterConfig;
  /** [n, d] row-major: the embedding run's vectors, in document order. */
  vectors: Float32Array;
  dimensions: number;
  /** [n] the documents' texts, for their label words. */
  texts: string[];
  /** [n] each document's gold label index, -1 where it has none; null when the corpus has no labels. */
  gold: Int32Array | null;
}

export interface ClusterOutput {
  /** [n] each document's cluster, -1 = noise. */
  assignments: Int32Array;
  clusters: number;
  vocabulary: number;
  quality: ClusterQuality;
  topics: ClusterTopic[];
}

/** k restarts (the lowest inertia kept) or HDBSCAN, with cancel read between restarts. */
export async function cluster(
  vectors: Vectors,
  config: Pick<ClusterConfig, 'algorithm' | 'metric' | 'seed'>,
  ctx: TaskContext<never>,
  progress: (done: number, total: number) => void = (done, total) => ctx.progress(done, total),
): Promise<{ labels: Int32Array; inertia: number | null }> {
  const a = config.algorithm;
  if (a.kind === 'kmeans') {
    // One restart at a time, so cancel (read between them) stops a long clustering; the lowest inertia is kept, as n_init does.
    let best: KMeansResult | null = null;
    for (let r = 0; r < a.restarts; r++) {
      await ctx.checkCancel();
      const one = kmeans(vectors, { k: a.k, metric: config.metric, nInit: 1, seed: deriveSeed(config.seed, r) });
      if (!best || one.inertia < best.inertia) best = one;
      progress(r + 1, a.restarts);
    }
    return { labels: best!.labels, inertia: best!.inertia };
  }
  // hdbscan() refuses more points than its pair budget allows (hdbscanTooManyPoints, with the way out).
  await ctx.checkCancel();
  const h = hdbscan(vectors, { minClusterSize: a.minClusterSize, minSamples: a.minSamples ?? undefined, metric: config.metric });
  progress(1, 1);
  return { labels: h.labels, inertia: null };
}

/**
 * The documents' label vocabulary and the space they are described in: their embeddings, or for the
 * baseline the TF-IDF of the same morphemes reduced by truncated SVD (LSA).
 */
export async function documentSpace(
  input: Pick<ClusterInput, 'config' | 'vectors' | 'dimensions' | 'texts'>,
  ctx: TaskContext<never>,
  progress?: (done: number) => void,
): Promise<{ vectors: Vectors; model: TfidfModel }> {
  const { config, dimensions: d } = input;
  const n = input.texts.length;
  if (input.vectors.length !== n * d) throw new ShirabeError('internal', { detail: `cluster: ${input.vectors.length} values for ${n} × ${d}` });
  const model = labelVocabulary(await analyseTerms(input.texts, config.labels, ctx, progress), config.labels);
  // Runs made before the baseline existed have no lsa field.
  const lsa = config.lsa ?? null;
  return { vectors: lsa ? lsaSpace(model, lsa.components, config.seed, config.labels.minDf) : { data: input.vectors, n, d }, model };
}

export const clusterTopics = defineTask<ClusterInput, never, ClusterOutput>({
  async run(input, ctx) {
    const { config } = input;
    // Progress in documents: the morpheme analysis (most of the time) one per document, the clustering as a tenth of them.
    const n = input.texts.length;
    const clusteringSteps = Math.max(1, Math.round(n / 10));
    const total = n + clusteringSteps + 1;
    const { vectors, model } = await documentSpace(input, ctx, (done) => ctx.progress(done, total));
    // Clustering in a reduced space (BERTopic's UMAP to 5 dimensions before HDBSCAN, min_dist 0 to
    // pack clusters tight): the labels and representatives still come from the full vectors.
    let space: Vectors = vectors;
    if (config.reduce) {
      if (config.reduce.neighbours >= n) throw new ShirabeError('mapTooFewForNeighbours', { neighbours: config.reduce.neighbours, documents: n });
      const reduced = await umap(vectors.data, n, vectors.d, { nComponents: config.reduce.dimensions, nNeighbors: config.reduce.neighbours, minDist: 0, metric: config.metric, seed: config.seed }, { checkCancel: () => ctx.checkCancel() });
      space = { data: reduced.embedding, n, d: config.reduce.dimensions };
    }
    const { labels, inertia } = await cluster(space, config, ctx, (done, of) => ctx.progress(n + Math.round((done / of) * clusteringSteps), total));
    // Silhouette in the space that was clustered (the reduced one when there is one).
    const quality = assignmentQuality(space, labels, input.gold, config.metric, config.seed);
    const labelled = labelClusters({ vectors: vectors.data, dimensions: vectors.d, model, labels: config.labels }, labels);
    ctx.progress(1, 1);
    const found = new Set(labels);
    found.delete(-1);
    return {
      assignments: labels,
      clusters: found.size,
      vocabulary: labelled.vocabulary,
      quality: { ...quality, inertia, lift: labelled.lift },
      topics: labelled.topics,
    };
  },
  transfer: (o) => [o.assignments.buffer as ArrayBuffer],
});
