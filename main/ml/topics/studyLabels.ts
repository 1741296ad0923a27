// Cluster labels by the LLM topic-extraction study's method: a word's embedding is the
// TF-IDF-weighted sum of the embeddings of the documents that contain it, and a cluster's label
// words are the words nearest its centroid by cosine.
import type { CsrMatrix } from './tfidf';
import {
  checkShapes,
  clusterCentroids,
  clusterIds,
  documentScales,
  StudyWordEmbeddings,
  topIndices,
  type ClusterLabels,
  type ClusteredEmbeddings,
} from './vectors';

/** The study notebook's settings, for the caller that builds the whole recipe. */
export const studyDefaults = {
  /** Clusters for k-means: the study's k = 20 (it used k = 9 on livedoor's nine categories). */
  k: 20,
  /** Label words per cluster: the study listed 20. */
  topN: 20,
  /** A term must be in at least 10 documents: the study's TfidfVectorizer(min_df=10). */
  minDf: 10,
} as const;

export interface StudyLabelOptions {
  /** Label words per cluster. Default 20: the study's notebook. */
  topN: number;
  /**
   * Scale each document embedding to unit length before the weighted sum and the centroid.
   * Default true: the clusters and every similarity here are cosine, and a document's vector length
   * (which for CLS or mean pooling tracks length and frequency, not topic) would otherwise weight
   * the documents in each word's sum beyond their TF-IDF.
   */
  normaliseDocuments: boolean;
}

export const defaultStudyLabelOptions: StudyLabelOptions = { topN: studyDefaults.topN, normaliseDocuments: true };

export interface StudyLabelInput extends ClusteredEmbeddings {
  /** [n, V] TF-IDF with unit-L2 rows (TfidfModel.tfidf): the "normalised TF-IDF" of the study */
  tfidf: CsrMatrix;
  /** [V] the matrix's terms */
  vocabulary: readonly string[];
}

/**
 * For every cluster (noise excluded), the topN vocabulary words whose study embedding has the
 * highest cosine with the cluster's centroid (the mean of its document embeddings). A word need not
 * occur in the cluster: it is near the centroid because the documents that use it are.
 */
export function studyLabels(input: StudyLabelInput, options: Partial<StudyLabelOptions> = {}): ClusterLabels[] {
  const o = { ...defaultStudyLabelOptions, ...options };
  checkShapes(input, input.tfidf.rows);
  if (input.vocabulary.length !== input.tfidf.cols) throw new RangeError(`${input.vocabulary.length} terms for a matrix of ${input.tfidf.cols} columns`);
  const scale = documentScales(input, o.normaliseDocuments); // [n]
  const clusters = clusterIds(input.assignments, false);
  const centroids = clusterCentroids(input, clusters, scale); // [C, d]
  const words = new StudyWordEmbeddings(input.tfidf, input, scale);
  const cos = words.cosines(centroids); // [V, C]
  const c = clusters.length;
  return Array.from(clusters, (cluster, k) => {
    const scores = new Float64Array(words.size); // [V] cosines with cluster k's centroid
    for (let t = 0; t < words.size; t++) scores[t] = cos[t * c + k];
    return {
      cluster,
      words: topIndices(scores, o.topN).map((t) => ({ index: t, term: input.vocabulary[t], score: scores[t] })),
    };
  });
}
