// A clustering with its topics: an embedding run's vectors clustered (k-means restarts or HDBSCAN),
// its quality (silhouette; NMI, ARI and purity against the gold labels when there are any), and
// every cluster labelled two ways from the documents' MeCab morphemes — the study's TF-IDF-weighted
// word embeddings nearest the centroid, and BERTopic's class-based TF-IDF — with the documents
// nearest each centroid. Morphemes are analysed here (the worker has the dictionary).
import type { ClusterConfig, ClusterQuality } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed } from '../../../../../common/random';
import { hdbscan } from '../../../../ml/cluster/hdbscan';
import { kmeans, type KMeansResult } from '../../../../ml/cluster/kmeans';
import { adjustedRandIndex, normalizedMutualInfo, purity, silhouetteScore } from '../../../../ml/cluster/metrics';
import type { Vectors } from '../../../../ml/cluster/vectors';
import { umap } from '../../../../ml/maps/umap';
import { ctfidfLabels, documentTerms, defaultTermOptions, fitTfidf, labelLift, liftTable, representativeDocuments, studyLabels, type ClusterLabels } from '../../../../ml/topics/index';
import { defineTask, type TaskContext } from '../../task';

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

export interface ClusterTopic {
  cluster: number;
  size: number;
  study: { word: string; score: number }[];
  ctfidf: { word: string; score: number }[];
  /** Rows of the input nearest the centroid, most central first. */
  representatives: number[];
}

export interface ClusterOutput {
  /** [n] each document's cluster, -1 = noise. */
  assignments: Int32Array;
  clusters: number;
  vocabulary: number;
  quality: ClusterQuality;
  topics: ClusterTopic[];
}

/** Silhouette on a seeded sample beyond this many documents: it is O(n²·d), and sklearn users sample it the same way. */
const SILHOUETTE_SAMPLE = 5_000;
/** Documents analysed between two looks at cancel. */
const ANALYSE_BATCH = 200;

async function cluster(vectors: Vectors, config: ClusterConfig, ctx: TaskContext<never>): Promise<{ labels: Int32Array; inertia: number | null }> {
  const a = config.algorithm;
  if (a.kind === 'kmeans') {
    // One restart at a time, so cancel (read between them) stops a long clustering; the lowest inertia is kept, as n_init does.
    let best: KMeansResult | null = null;
    for (let r = 0; r < a.restarts; r++) {
      await ctx.checkCancel();
      const one = kmeans(vectors, { k: a.k, metric: config.metric, nInit: 1, seed: deriveSeed(config.seed, r) });
      if (!best || one.inertia < best.inertia) best = one;
      ctx.progress(r + 1, a.restarts + 2);
    }
    return { labels: best!.labels, inertia: best!.inertia };
  }
  // hdbscan() refuses more points than its pair budget allows (hdbscanTooManyPoints, with the way out).
  await ctx.checkCancel();
  const h = hdbscan(vectors, { minClusterSize: a.minClusterSize, minSamples: a.minSamples ?? undefined, metric: config.metric });
  ctx.progress(1, 3);
  return { labels: h.labels, inertia: null };
}

function words(labels: ClusterLabels[], cluster: number): { word: string; score: number }[] {
  return (labels.find((l) => l.cluster === cluster)?.words ?? []).map((w) => ({ word: w.term, score: w.score }));
}

export const clusterTopics = defineTask<ClusterInput, never, ClusterOutput>({
  async run(input, ctx) {
    const { config, dimensions: d } = input;
    const n = input.texts.length;
    if (input.vectors.length !== n * d) throw new ShirabeError('internal', { detail: `cluster: ${input.vectors.length} values for ${n} × ${d}` });
    // Clustering in a reduced space (BERTopic's UMAP to 5 dimensions before HDBSCAN, min_dist 0 to
    // pack clusters tight): the labels and representatives still come from the full embeddings.
    let space: Vectors = { data: input.vectors, n, d };
    if (config.reduce) {
      if (config.reduce.neighbours >= n) throw new ShirabeError('mapTooFewForNeighbours', { neighbours: config.reduce.neighbours, documents: n });
      const reduced = await umap(input.vectors, n, d, { nComponents: config.reduce.dimensions, nNeighbors: config.reduce.neighbours, minDist: 0, metric: config.metric, seed: config.seed }, { checkCancel: () => ctx.checkCancel() });
      space = { data: reduced.embedding, n, d: config.reduce.dimensions };
    }
    const { labels, inertia } = await cluster(space, config, ctx);
    const found = new Set(labels);
    found.delete(-1);
    const clusters = found.size;

    // Quality. Silhouette needs two clusters and leaves noise out (sklearn users drop -1 before it).
    const kept = labels.reduce((s, l) => s + (l >= 0 ? 1 : 0), 0);
    let silhouette: number | null = null;
    if (clusters >= 2) {
      const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] >= 0);
      // In the space that was clustered (the reduced one when there is one).
      const sd = space.d;
      const data = rows.length === n ? space.data : new Float32Array(rows.length * sd);
      if (rows.length !== n) rows.forEach((r, i) => data.set(space.data.subarray(r * sd, (r + 1) * sd), i * sd));
      silhouette = silhouetteScore({ data, n: rows.length, d: sd }, rows.length === n ? labels : labels.filter((l) => l >= 0), {
        metric: config.metric,
        sampleSize: kept > SILHOUETTE_SAMPLE ? SILHOUETTE_SAMPLE : undefined,
        seed: config.seed,
      });
    }
    let nmi: number | null = null;
    let ari: number | null = null;
    let pur: number | null = null;
    if (input.gold) {
      // Against the documents that have a gold label (noise counts as a cluster of its own, as sklearn would score it).
      const idx = Int32Array.from({ length: n }, (_, i) => i).filter((i) => input.gold![i] >= 0);
      const g = Int32Array.from(idx, (i) => input.gold![i]);
      const p = Int32Array.from(idx, (i) => labels[i]);
      if (idx.length > 0) {
        nmi = normalizedMutualInfo(g, p);
        ari = adjustedRandIndex(g, p);
        pur = purity(g, p);
      }
    }

    // Label words from whole morphemes: nouns, proper nouns and verbs as base forms, stop words out.
    const analyser = await ctx.morphology();
    const termOptions = { ...defaultTermOptions, stopWords: [...defaultTermOptions.stopWords, ...config.labels.stopWords] };
    const terms: string[][] = [];
    for (let i = 0; i < n; i += ANALYSE_BATCH) {
      await ctx.checkCancel();
      for (const text of input.texts.slice(i, i + ANALYSE_BATCH)) terms.push(documentTerms(analyser.analyse(text), termOptions));
    }
    ctx.progress(clusters + 1, clusters + 2);
    // No word can pass both bounds (sklearn raises here too): the same message as an empty vocabulary.
    if (config.labels.maxDfShare * n < config.labels.minDf) throw new ShirabeError('topicsNoVocabulary', { minDf: config.labels.minDf });
    const model = fitTfidf(terms, { minDf: config.labels.minDf, maxDf: { proportion: config.labels.maxDfShare } });
    if (model.vocabulary.length === 0) throw new ShirabeError('topicsNoVocabulary', { minDf: config.labels.minDf });
    const embedded = { embeddings: input.vectors, dim: d, assignments: labels };
    const study = studyLabels({ ...embedded, tfidf: model.tfidf, vocabulary: model.vocabulary }, { topN: config.labels.words });
    const { labels: ctfidf } = ctfidfLabels(
      {
        counts: model.counts,
        vocabulary: model.vocabulary,
        assignments: labels,
        mmr: config.labels.diversity === null ? undefined : { diversity: config.labels.diversity, embeddings: input.vectors, dim: d, tfidf: model.tfidf },
      },
      { topN: config.labels.words },
    );
    const table = liftTable(model.counts, labels);
    const representatives = representativeDocuments(embedded);

    const sizes = new Map<number, number>();
    for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    const ids = [...sizes.keys()].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b));
    const topics = ids.map((c) => ({
      cluster: c,
      size: sizes.get(c)!,
      study: words(study, c),
      ctfidf: words(ctfidf, c),
      representatives: representatives.find((r) => r.cluster === c)?.documents ?? [],
    }));
    ctx.progress(1, 1);
    return {
      assignments: labels,
      clusters,
      vocabulary: model.vocabulary.length,
      quality: {
        silhouette,
        nmi,
        ari,
        purity: pur,
        inertia,
        noise: n - kept,
        lift: { study: labelLift(table, study).mean, ctfidf: labelLift(table, ctfidf.filter((l) => l.cluster >= 0)).mean },
      },
      topics,
    };
  },
  transfer: (o) => [o.assignments.buffer as ArrayBuffer],
});
