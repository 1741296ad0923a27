// How specific a label list is to its cluster: the mean lift of its words, lift = P(w | c) / P(w),
// with probabilities over documents (the share of the cluster's documents that contain w over the
// share of all documents that do). Issue 17 compares the study's TF-IDF-weighted labels with
// less specific ones by it; 1 means a word is no more common in the cluster than anywhere.
import type { CsrMatrix } from './tfidf';
import { clusterIds, topIndices, type ClusterLabels, type LabelWord } from './vectors';

export interface LiftTable {
  /** [C] cluster ids ascending (noise, -1, included when present) */
  clusters: Int32Array;
  /** [C] documents per cluster */
  sizes: Int32Array;
  /** [C, V] documents of each cluster that contain each term */
  clusterDf: Int32Array;
  /** [V] documents that contain each term (all documents, noise included) */
  df: Int32Array;
  /** n, all documents */
  documents: number;
  /** V */
  terms: number;
}

/** Document frequencies per cluster from a [n, V] count (or TF-IDF) matrix and [n] assignments. */
export function liftTable(counts: CsrMatrix, assignments: Int32Array): LiftTable {
  if (assignments.length !== counts.rows) throw new RangeError(`${assignments.length} assignments for a matrix of ${counts.rows} documents`);
  const clusters = clusterIds(assignments, true);
  const row = new Map<number, number>();
  clusters.forEach((c, i) => row.set(c, i));
  const v = counts.cols;
  const sizes = new Int32Array(clusters.length);
  const clusterDf = new Int32Array(clusters.length * v);
  const df = new Int32Array(v);
  for (let r = 0; r < counts.rows; r++) {
    const k = row.get(assignments[r]) ?? 0;
    sizes[k]++;
    for (let p = counts.indptr[r]; p < counts.indptr[r + 1]; p++) {
      if (counts.data[p] === 0) continue;
      const t = counts.indices[p];
      clusterDf[k * v + t]++;
      df[t]++;
    }
  }
  return { clusters, sizes, clusterDf, df, documents: counts.rows, terms: v };
}

/** lift(term, cluster); 0 for a term no document contains or a cluster the table does not hold. */
export function lift(table: LiftTable, cluster: number, term: number): number {
  const k = table.clusters.indexOf(cluster);
  if (k < 0 || table.df[term] === 0 || table.sizes[k] === 0) return 0;
  return (table.clusterDf[k * table.terms + term] / table.sizes[k]) / (table.df[term] / table.documents);
}

/** The mean lift of a label list for its cluster (NaN for an empty list). */
export function meanLift(table: LiftTable, cluster: number, terms: readonly number[]): number {
  if (terms.length === 0) return Number.NaN;
  let sum = 0;
  for (const t of terms) sum += lift(table, cluster, t);
  return sum / terms.length;
}

/** Mean lift of each cluster's label list, and their mean over clusters. */
export function labelLift(table: LiftTable, labels: readonly ClusterLabels[]): { perCluster: number[]; mean: number } {
  const perCluster = labels.map((l) => meanLift(table, l.cluster, l.words.map((w) => w.index)));
  const finite = perCluster.filter((x) => Number.isFinite(x));
  return { perCluster, mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN };
}

/**
 * The naive baseline: each cluster's most frequent terms (total count in its documents, ties to
 * the lower column). It is what counting alone gives, and like labels from single-word embeddings
 * it is pulled towards words that are common everywhere, so it is the floor the weighted labels
 * must beat on specificity. Noise is skipped, as the study's labels skip it.
 */
export function frequentWordLabels(counts: CsrMatrix, vocabulary: readonly string[], assignments: Int32Array, topN: number): ClusterLabels[] {
  if (assignments.length !== counts.rows) throw new RangeError(`${assignments.length} assignments for a matrix of ${counts.rows} documents`);
  const clusters = clusterIds(assignments, false);
  const row = new Map<number, number>();
  clusters.forEach((c, i) => row.set(c, i));
  const v = counts.cols;
  const totals = new Float64Array(clusters.length * v); // [C, V] term counts per cluster
  for (let r = 0; r < counts.rows; r++) {
    const k = row.get(assignments[r]);
    if (k === undefined) continue;
    for (let p = counts.indptr[r]; p < counts.indptr[r + 1]; p++) totals[k * v + counts.indices[p]] += counts.data[p];
  }
  return Array.from(clusters, (cluster, k) => {
    const scores = totals.subarray(k * v, (k + 1) * v);
    const words: LabelWord[] = topIndices(scores, topN, (t) => scores[t] > 0).map((t) => ({ index: t, term: vocabulary[t], score: scores[t] }));
    return { cluster, words };
  });
}
