// The alternative the LLM topic-extraction study weighed and found poor for Japanese: label a
// cluster with the vocabulary words whose own embedding (the word fed to the same model, alone,
// with the same pooling) is nearest the cluster's centroid by cosine. The study's method
// (studyLabels) builds each word's vector from the documents that use it instead; issue 17 compares
// the two by mean lift (lift.ts). The caller embeds the words: main/ml has no model at hand here.
import {
  checkShapes,
  clusterCentroids,
  clusterIds,
  cosine,
  documentScales,
  rowNorms,
  topIndices,
  type ClusterLabels,
  type ClusteredEmbeddings,
} from './vectors';

export interface SingleWordLabelOptions {
  /** Label words per cluster. Default 20, as the study's lists. */
  topN: number;
  /** Scale each document embedding to unit length before the centroid. Default true, as studyLabels does. */
  normaliseDocuments: boolean;
}

export const defaultSingleWordLabelOptions: SingleWordLabelOptions = { topN: 20, normaliseDocuments: true };

export interface SingleWordLabelInput extends ClusteredEmbeddings {
  /** [V, dim] row-major: each vocabulary word embedded on its own, by the model and pooling of `embeddings` */
  wordEmbeddings: Float32Array;
  /** [V] the words, in the rows' order */
  vocabulary: readonly string[];
}

/**
 * For every cluster (noise excluded), the topN words whose single-word embedding has the highest
 * cosine with the cluster's centroid (the mean of its, by default unit-length, document
 * embeddings: the same centroid studyLabels ranks against). A word embedded as the zero vector
 * scores 0. Ties go to the lower vocabulary index.
 */
export function singleWordLabels(input: SingleWordLabelInput, options: Partial<SingleWordLabelOptions> = {}): ClusterLabels[] {
  const o = { ...defaultSingleWordLabelOptions, ...options };
  checkShapes(input);
  const d = input.dim;
  const v = input.vocabulary.length;
  if (input.wordEmbeddings.length !== v * d) throw new RangeError(`word embeddings hold ${input.wordEmbeddings.length} values, expected ${v} words × ${d}`);
  const clusters = clusterIds(input.assignments, false);
  const centroids = clusterCentroids(input, clusters, documentScales(input, o.normaliseDocuments)); // [C, d]
  const cn = rowNorms(centroids, d); // [C]
  const wn = rowNorms(input.wordEmbeddings, d); // [V]
  return Array.from(clusters, (cluster, k) => {
    const scores = new Float64Array(v); // [V] cosines with cluster k's centroid
    for (let t = 0; t < v; t++) scores[t] = cosine(input.wordEmbeddings, t * d, wn[t], centroids, k * d, cn[k], d);
    return {
      cluster,
      words: topIndices(scores, o.topN).map((t) => ({ index: t, term: input.vocabulary[t], score: scores[t] })),
    };
  });
}
