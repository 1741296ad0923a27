// What a clustering and an edited clustering share: the quality of an assignment (silhouette in a
// given space; NMI, ARI and purity against the gold labels) and every cluster labelled two ways
// from the documents' MeCab morphemes — the study's TF-IDF-weighted word embeddings nearest the
// centroid, and BERTopic's class-based TF-IDF — with the documents nearest each centroid.
import { createHash } from 'node:crypto';
import type { ClusterConfig, ClusterQuality, VectorMetric } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { adjustedRandIndex, normalizedMutualInfo, purity, silhouetteScore } from '../../../../ml/cluster/metrics';
import type { Vectors } from '../../../../ml/cluster/vectors';
import { truncatedSvd } from '../../../../ml/maps/pca';
import { ctfidfLabels, documentTerms, defaultTermOptions, fitTfidf, labelLift, liftTable, representativeDocuments, studyLabels, type ClusterLabels, type TfidfModel } from '../../../../ml/topics/index';
import type { TaskContext } from '../../task';

export interface ClusterTopic {
  cluster: number;
  size: number;
  study: { word: string; score: number }[];
  ctfidf: { word: string; score: number }[];
  /** Rows of the input nearest the centroid, most central first. */
  representatives: number[];
}

/** Silhouette on a seeded sample beyond this many documents: it is O(n²·d), and sklearn users sample it the same way. */
const SILHOUETTE_SAMPLE = 5_000;
/** Documents analysed between two looks at cancel. */
const ANALYSE_BATCH = 200;

export type AssignmentQuality = Pick<ClusterQuality, 'silhouette' | 'nmi' | 'ari' | 'purity' | 'noise'>;

/** The quality of an assignment (-1 = noise): silhouette in `space` (null without two clusters or without a space), and against the gold labels when there are any. */
export function assignmentQuality(space: Vectors | null, labels: Int32Array, gold: Int32Array | null, metric: VectorMetric, seed: number): AssignmentQuality {
  const n = labels.length;
  const found = new Set(labels);
  found.delete(-1);
  const kept = labels.reduce((s, l) => s + (l >= 0 ? 1 : 0), 0);
  let silhouette: number | null = null;
  if (space && found.size >= 2) {
    // Noise is left out (sklearn users drop -1 before it).
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] >= 0);
    const sd = space.d;
    const data = rows.length === n ? space.data : new Float32Array(rows.length * sd);
    if (rows.length !== n) rows.forEach((r, i) => data.set(space.data.subarray(r * sd, (r + 1) * sd), i * sd));
    silhouette = silhouetteScore({ data, n: rows.length, d: sd }, rows.length === n ? labels : labels.filter((l) => l >= 0), {
      metric,
      sampleSize: kept > SILHOUETTE_SAMPLE ? SILHOUETTE_SAMPLE : undefined,
      seed,
    });
  }
  let nmi: number | null = null;
  let ari: number | null = null;
  let pur: number | null = null;
  if (gold) {
    // Against the documents that have a gold label (noise counts as a cluster of its own, as sklearn would score it).
    const idx = Int32Array.from({ length: n }, (_, i) => i).filter((i) => gold[i] >= 0);
    const g = Int32Array.from(idx, (i) => gold[i]);
    const p = Int32Array.from(idx, (i) => labels[i]);
    if (idx.length > 0) {
      nmi = normalizedMutualInfo(g, p);
      ari = adjustedRandIndex(g, p);
      pur = purity(g, p);
    }
  }
  return { silhouette, nmi, ari, purity: pur, noise: n - kept };
}

function words(labels: ClusterLabels[], cluster: number): { word: string; score: number }[] {
  return (labels.find((l) => l.cluster === cluster)?.words ?? []).map((w) => ({ word: w.term, score: w.score }));
}

export interface LabelledClusters {
  vocabulary: number;
  topics: ClusterTopic[];
  lift: ClusterQuality['lift'];
}

type LabelOptions = ClusterConfig['labels'];

/**
 * The last documents analysed, by a hash of their texts and stop words: an edit relabels the same
 * documents again, and their analysis is most of a clustering's time (a minute for livedoor's
 * 7,367 articles). One entry, in this worker only.
 */
let analysed: { key: string; terms: string[][] } | null = null;

/** Each document's label terms: whole morphemes (nouns, proper nouns and verbs as base forms, stop words out). */
export async function analyseTerms(texts: readonly string[], options: LabelOptions, ctx: TaskContext<never>, progress?: (done: number) => void): Promise<string[][]> {
  const hash = createHash('sha256').update(JSON.stringify(options.stopWords));
  for (const text of texts) hash.update('\u0000').update(text);
  const key = hash.digest('hex');
  if (analysed?.key === key) {
    progress?.(texts.length);
    return analysed.terms;
  }
  analysed = null;
  const analyser = await ctx.morphology();
  const termOptions = { ...defaultTermOptions, stopWords: [...defaultTermOptions.stopWords, ...options.stopWords] };
  const terms: string[][] = [];
  for (let i = 0; i < texts.length; i += ANALYSE_BATCH) {
    await ctx.checkCancel();
    for (const text of texts.slice(i, i + ANALYSE_BATCH)) terms.push(documentTerms(analyser.analyse(text), termOptions));
    progress?.(terms.length);
  }
  analysed = { key, terms };
  return terms;
}

/** The label vocabulary's TF-IDF (min_df, max_df), refused when no word passes both bounds. */
export function labelVocabulary(terms: readonly (readonly string[])[], options: LabelOptions): TfidfModel {
  // No word can pass both bounds (sklearn raises here too): the same message as an empty vocabulary.
  if (options.maxDfShare * terms.length < options.minDf) throw new ShirabeError('topicsNoVocabulary', { minDf: options.minDf });
  const model = fitTfidf(terms, { minDf: options.minDf, maxDf: { proportion: options.maxDfShare } });
  if (model.vocabulary.length === 0) throw new ShirabeError('topicsNoVocabulary', { minDf: options.minDf });
  return model;
}

/**
 * The baseline's space: the documents' TF-IDF over the label vocabulary reduced by truncated SVD
 * (LSA, sklearn's TruncatedSVD with its randomized solver, seeded), [n, components] row-major.
 */
export function lsaSpace(model: TfidfModel, components: number, seed: number, minDf: number): Vectors {
  const n = model.tfidf.rows;
  const words = model.vocabulary.length;
  if (components >= Math.min(n, words)) throw new ShirabeError('lsaTooFewWords', { components, words, minDf, documents: n, max: Math.max(1, Math.min(n, words) - 1) });
  return { data: truncatedSvd(model.tfidf, components, { seed }).transformed, n, d: components };
}

/**
 * Every cluster of `assignments` labelled both ways from the label vocabulary, with its
 * representatives; `vectors` are the space the clusters are described in (the embeddings, or the
 * baseline's LSA vectors).
 */
export function labelClusters(input: { vectors: Float32Array; dimensions: number; model: TfidfModel; labels: LabelOptions }, assignments: Int32Array): LabelledClusters {
  const { labels: options, dimensions: d, model } = input;
  const embedded = { embeddings: input.vectors, dim: d, assignments };
  const study = studyLabels({ ...embedded, tfidf: model.tfidf, vocabulary: model.vocabulary }, { topN: options.words });
  const { labels: ctfidf } = ctfidfLabels(
    {
      counts: model.counts,
      vocabulary: model.vocabulary,
      assignments,
      mmr: options.diversity === null ? undefined : { diversity: options.diversity, embeddings: input.vectors, dim: d, tfidf: model.tfidf },
    },
    { topN: options.words },
  );
  const table = liftTable(model.counts, assignments);
  const representatives = representativeDocuments(embedded);

  const sizes = new Map<number, number>();
  for (const l of assignments) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const ids = [...sizes.keys()].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b));
  const topics = ids.map((c) => ({
    cluster: c,
    size: sizes.get(c)!,
    study: words(study, c),
    ctfidf: words(ctfidf, c),
    representatives: representatives.find((r) => r.cluster === c)?.documents ?? [],
  }));
  return {
    vocabulary: model.vocabulary.length,
    topics,
    lift: { study: labelLift(table, study).mean, ctfidf: labelLift(table, ctfidf.filter((l) => l.cluster >= 0)).mean },
  };
}
