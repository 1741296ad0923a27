// Class-based TF-IDF and MMR, ported from BERTopic (MaartenGr/BERTopic @ f969760:
// bertopic/vectorizers/_ctfidf.py ClassTfidfTransformer.fit/transform, lines 54–115;
// bertopic/representation/_mmr.py mmr, lines 86–128; bertopic/_bertopic.py _c_tf_idf and
// _extract_words_per_topic). Grootendorst, "BERTopic: Neural topic modeling with a class-based
// TF-IDF procedure", arXiv:2203.05794.
import type { CsrMatrix } from './tfidf';
import {
  checkShapes,
  clusterCentroids,
  clusterIds,
  cosine,
  documentScales,
  rowNorms,
  StudyWordEmbeddings,
  topIndices,
  type ClusterLabels,
  type ClusteredEmbeddings,
  type LabelWord,
} from './vectors';

export interface CtfidfOptions {
  /** Label words per cluster. Default 20, the study's list length, so both lists sit side by side (BERTopic's own top_n_words is 10). */
  topN: number;
  /** BERTopic's bm25_weighting: idf = ln(1 + (A − f + 0.5) / (f + 0.5)). Default false, as BERTopic's. */
  bm25Weighting: boolean;
  /** BERTopic's reduce_frequent_words: the square root of the L1-normalised frequencies. Default false, as BERTopic's. */
  reduceFrequentWords: boolean;
}

export const defaultCtfidfOptions: CtfidfOptions = { topN: 20, bm25Weighting: false, reduceFrequentWords: false };

export interface CtfidfModel {
  /** [C] the classes, ascending; noise (-1) is a class of its own, as BERTopic's topic -1 is */
  classes: Int32Array;
  /** [C, V] each class's term counts: the counts of its documents added (BERTopic joins them into one document) */
  classCounts: CsrMatrix;
  /** A = int(mean words per class), truncated as BERTopic's int(X.sum(axis=1).mean()) */
  averageWords: number;
  /** [V] f_t, each term's count over all classes */
  termFrequency: Float64Array;
  /** [V] ln(A / f_t + 1); 0 for a term no class contains (numpy would give inf, then nan) */
  idf: Float64Array;
  /** [C, V] tf (L1 per class) × idf */
  ctfidf: CsrMatrix;
}

/**
 * c-TF-IDF from a [n, V] count matrix and [n] class ids. Unlike BERTopic, whose vectorizer is fitted
 * on the joined class documents (so its min_df counts classes), the vocabulary here is the
 * document-level one (min_df counts documents), shared with the study's labels so both methods pick
 * from the same words.
 */
export function classTfidf(counts: CsrMatrix, assignments: Int32Array, options: Partial<CtfidfOptions> = {}): CtfidfModel {
  const o = { ...defaultCtfidfOptions, ...options };
  if (assignments.length !== counts.rows) throw new RangeError(`${assignments.length} assignments for a matrix of ${counts.rows} documents`);
  const classes = clusterIds(assignments, true);
  const c = classes.length;
  const v = counts.cols;
  const row = new Map<number, number>();
  classes.forEach((cls, i) => row.set(cls, i));
  const members: number[][] = Array.from({ length: c }, () => []);
  assignments.forEach((a, i) => members[row.get(a) ?? 0].push(i));

  // Class counts [C, V], one dense row at a time.
  const dense = new Float64Array(v);
  const indptr = new Int32Array(c + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const termFrequency = new Float64Array(v);
  const rowSums = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    for (const r of members[k]) {
      for (let p = counts.indptr[r]; p < counts.indptr[r + 1]; p++) dense[counts.indices[p]] += counts.data[p];
    }
    for (let t = 0; t < v; t++) {
      if (dense[t] === 0) continue;
      indices.push(t);
      values.push(dense[t]);
      termFrequency[t] += dense[t];
      rowSums[k] += dense[t];
      dense[t] = 0;
    }
    indptr[k + 1] = indices.length;
  }
  const classCounts: CsrMatrix = { rows: c, cols: v, indptr, indices: Int32Array.from(indices), data: Float32Array.from(values) };

  // _ctfidf.py fit: df = X.sum(axis=0); avg_nr_samples = int(X.sum(axis=1).mean());
  // idf = log(avg_nr_samples / df + 1), or the BM25 variant.
  let total = 0;
  for (const s of rowSums) total += s;
  const averageWords = c === 0 ? 0 : Math.trunc(total / c);
  const idf = Float64Array.from(termFrequency, (f) => {
    if (f === 0) return 0;
    return o.bm25Weighting ? Math.log(1 + (averageWords - f + 0.5) / (f + 0.5)) : Math.log(averageWords / f + 1);
  });

  // _ctfidf.py transform: X = normalize(X, norm='l1'); optionally sqrt; X * diag(idf).
  const data = new Float32Array(values.length);
  for (let k = 0; k < c; k++) {
    for (let p = indptr[k]; p < indptr[k + 1]; p++) {
      let tf = values[p] / rowSums[k];
      if (o.reduceFrequentWords) tf = Math.sqrt(tf);
      data[p] = tf * idf[indices[p]];
    }
  }
  return { classes, classCounts, averageWords, termFrequency, idf, ctfidf: { ...classCounts, data } };
}

/** A class's words by c-TF-IDF, best first (ties to the lower column); words scoring 0 are left out, as BERTopic blanks them. */
export function topClassWords(model: CtfidfModel, vocabulary: readonly string[], cls: number, count: number): LabelWord[] {
  const k = model.classes.indexOf(cls);
  if (k < 0) return [];
  const { indptr, indices, data } = model.ctfidf;
  const s = indptr[k];
  const e = indptr[k + 1];
  const local = topIndices(data.subarray(s, e), count, (i) => data[s + i] > 0);
  return local.map((i) => ({ index: indices[s + i], term: vocabulary[indices[s + i]], score: data[s + i] }));
}

/**
 * BERTopic's maximal marginal relevance (_mmr.py mmr): picks `count` of the candidates, the first
 * the most similar to the topic, each next maximising
 * (1 − diversity) · cos(word, topic) − diversity · max cos(word, picked). Returns the candidates'
 * positions in the order picked.
 *   wordVectors [m, d] row-major, topic [d]
 */
export function maximalMarginalRelevance(wordVectors: Float64Array, topic: ArrayLike<number>, dim: number, diversity: number, count: number): number[] {
  const m = wordVectors.length / dim;
  if (m === 0 || count <= 0) return [];
  const wn = rowNorms(wordVectors, dim);
  let tsq = 0;
  for (let j = 0; j < dim; j++) tsq += topic[j] * topic[j];
  const tn = Math.sqrt(tsq);
  const toTopic = Float64Array.from({ length: m }, (_, i) => cosine(wordVectors, i * dim, wn[i], topic, 0, tn, dim)); // [m]
  const between = (a: number, b: number): number => cosine(wordVectors, a * dim, wn[a], wordVectors, b * dim, wn[b], dim);
  // np.argmax takes the first maximum.
  let first = 0;
  for (let i = 1; i < m; i++) if (toTopic[i] > toTopic[first]) first = i;
  const picked = [first];
  const candidates = Array.from({ length: m }, (_, i) => i).filter((i) => i !== first);
  const nearest = Float64Array.from({ length: m }, (_, i) => between(i, first)); // max cos to the picked words
  while (picked.length < Math.min(count, m)) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of candidates) {
      const score = (1 - diversity) * toTopic[i] - diversity * nearest[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picked.push(best);
    candidates.splice(candidates.indexOf(best), 1);
    for (const i of candidates) nearest[i] = Math.max(nearest[i], between(i, best));
  }
  return picked;
}

export interface MmrOptions {
  /** BERTopic's diversity λ in [0, 1]: 0 keeps c-TF-IDF's order, 1 only avoids repeats. BERTopic's default is 0.1. */
  diversity: number;
  /**
   * Candidates per cluster: the top max(topN, 30) c-TF-IDF words, as BERTopic hands representation
   * models at least 30 (_extract_words_per_topic).
   */
  candidates?: number;
  /** Scale document embeddings to unit length first (default true, as the study's labels do). */
  normaliseDocuments?: boolean;
}

export interface CtfidfLabelInput {
  /** [n, V] raw term counts (TfidfModel.counts) */
  counts: CsrMatrix;
  /** [V] the matrix's terms */
  vocabulary: readonly string[];
  /** [n] each document's cluster id; -1 is noise */
  assignments: Int32Array;
  /** For MMR: the word vectors come from the study's weighting, as no word model is at hand. */
  mmr?: MmrOptions & Omit<ClusteredEmbeddings, 'assignments'> & { tfidf: CsrMatrix };
}

/**
 * Each class's label words by c-TF-IDF (noise included, as BERTopic labels topic -1), optionally
 * re-chosen by MMR. With MMR the words are BERTopic's: the candidates' word vectors against the
 * topic's vector, which BERTopic gets by embedding the joined candidate words with its model and
 * which here is the cluster's centroid (the space the study's word vectors live in); the picked
 * words are then listed in c-TF-IDF order with their c-TF-IDF scores, as BERTopic lists them.
 */
export function ctfidfLabels(input: CtfidfLabelInput, options: Partial<CtfidfOptions> = {}): { model: CtfidfModel; labels: ClusterLabels[] } {
  const o = { ...defaultCtfidfOptions, ...options };
  if (input.vocabulary.length !== input.counts.cols) throw new RangeError(`${input.vocabulary.length} terms for a matrix of ${input.counts.cols} columns`);
  const model = classTfidf(input.counts, input.assignments, o);
  const mmr = input.mmr;
  if (!mmr) {
    return { model, labels: Array.from(model.classes, (cluster) => ({ cluster, words: topClassWords(model, input.vocabulary, cluster, o.topN) })) };
  }
  if (!(mmr.diversity >= 0 && mmr.diversity <= 1)) throw new RangeError(`MMR diversity must lie in [0, 1], got ${mmr.diversity}`);
  const docs: ClusteredEmbeddings = { embeddings: mmr.embeddings, dim: mmr.dim, assignments: input.assignments };
  checkShapes(docs, input.counts.rows);
  const d = mmr.dim;
  const scale = documentScales(docs, mmr.normaliseDocuments ?? true); // [n]
  const centroids = clusterCentroids(docs, model.classes, scale); // [C, d]
  const words = new StudyWordEmbeddings(mmr.tfidf, docs, scale);
  const pool = mmr.candidates ?? Math.max(o.topN, 30);
  const labels = Array.from(model.classes, (cluster, k) => {
    const candidates = topClassWords(model, input.vocabulary, cluster, pool);
    const vectors = words.vectors(candidates.map((w) => w.index)); // [m, d]
    const picked = new Set(maximalMarginalRelevance(vectors, centroids.subarray(k * d, (k + 1) * d), d, mmr.diversity, o.topN));
    return { cluster, words: candidates.filter((_, i) => picked.has(i)) };
  });
  return { model, labels };
}
