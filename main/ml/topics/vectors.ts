// What both labelling methods share: document embeddings, cluster centroids, word embeddings as the
// study builds them, cosine rankings, and each cluster's representative documents.
import { csrTranspose, type CsrMatrix } from './tfidf';

/** Document embeddings and their clusters, as the caller's clustering left them. */
export interface ClusteredEmbeddings {
  /** [n, d] row-major, one row per document */
  embeddings: Float32Array;
  /** d, the embedding width */
  dim: number;
  /** [n] each document's cluster id; -1 is noise (HDBSCAN) */
  assignments: Int32Array;
}

/** A label word: its column in the vocabulary, the word and the score it was ranked by. */
export interface LabelWord {
  index: number;
  term: string;
  score: number;
}

export interface ClusterLabels {
  cluster: number;
  words: LabelWord[];
}

/** n, after checking that embeddings are [n, dim] for n assignments (and n = rows when given). */
export function checkShapes(input: ClusteredEmbeddings, rows?: number): number {
  const { embeddings, dim, assignments } = input;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`embedding width must be a positive integer, got ${dim}`);
  const n = assignments.length;
  if (embeddings.length !== n * dim) throw new RangeError(`embeddings hold ${embeddings.length} values, expected ${n} × ${dim}`);
  if (rows !== undefined && rows !== n) throw new RangeError(`${n} assignments for a matrix of ${rows} documents`);
  return n;
}

/** [C] the cluster ids present, ascending; noise (-1) only when withNoise. */
export function clusterIds(assignments: Int32Array, withNoise: boolean): Int32Array {
  const ids = new Set<number>();
  for (const a of assignments) if (a >= 0 || withNoise) ids.add(a);
  return Int32Array.from([...ids].sort((a, b) => a - b));
}

/**
 * [n] the factor each document's embedding is used with: 1 / its L2 norm when normalising (0 for a
 * zero row), else 1. Applied on the fly, so an [n, d] input is never copied.
 */
export function documentScales(input: ClusteredEmbeddings, normalise: boolean): Float64Array {
  const n = input.assignments.length;
  const d = input.dim;
  if (!normalise) return new Float64Array(n).fill(1);
  const norms = rowNorms(input.embeddings, d);
  return norms.map((x) => (x > 0 ? 1 / x : 0));
}

/** [C, d] the mean of each listed cluster's (scaled) document embeddings: k-means' centroid. */
export function clusterCentroids(input: ClusteredEmbeddings, clusters: Int32Array, scale: Float64Array): Float64Array {
  const { embeddings, dim, assignments } = input;
  const row = new Map<number, number>();
  clusters.forEach((c, i) => row.set(c, i));
  const sums = new Float64Array(clusters.length * dim);
  const sizes = new Float64Array(clusters.length);
  assignments.forEach((a, i) => {
    const k = row.get(a);
    if (k === undefined) return;
    sizes[k]++;
    for (let j = 0; j < dim; j++) sums[k * dim + j] += scale[i] * embeddings[i * dim + j];
  });
  for (let k = 0; k < clusters.length; k++) if (sizes[k] > 0) for (let j = 0; j < dim; j++) sums[k * dim + j] /= sizes[k];
  return sums;
}

/** [C] the L2 norm of each row of a [C, d] matrix. */
export function rowNorms(x: Float32Array | Float64Array, dim: number): Float64Array {
  const out = new Float64Array(x.length / dim);
  for (let r = 0; r < out.length; r++) {
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += x[r * dim + j] * x[r * dim + j];
    out[r] = Math.sqrt(sq);
  }
  return out;
}

/** Cosine of two vectors given their norms; 0 when either is the zero vector. */
export function cosine(a: ArrayLike<number>, ao: number, an: number, b: ArrayLike<number>, bo: number, bn: number, dim: number): number {
  if (an === 0 || bn === 0) return 0;
  let dot = 0;
  for (let j = 0; j < dim; j++) dot += a[ao + j] * b[bo + j];
  return dot / (an * bn);
}

/** The top `count` of `scores`, best first; ties go to the lower index so results are reproducible. */
export function topIndices(scores: ArrayLike<number>, count: number, keep: (i: number) => boolean = () => true): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (keep(i)) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, Math.max(0, count));
}

/**
 * The study's word embeddings: a term's vector is the sum of the embeddings of the documents that
 * contain it, each weighted by the term's (L2-normalised) TF-IDF in that document:
 * W = TFIDFᵀ · diag(scale) · E, [V, n] · [n, n] · [n, d] -> [V, d]. Built one term at a time from
 * the transposed matrix, so a vocabulary of tens of thousands never needs its whole [V, d] in memory.
 */
export class StudyWordEmbeddings {
  private readonly byTerm: CsrMatrix; // [V, n]: a term's documents and weights × their scale, in one row
  private readonly embeddings: Float32Array; // [n, d]
  readonly dim: number;

  constructor(tfidf: CsrMatrix, input: Omit<ClusteredEmbeddings, 'assignments'>, scale: Float64Array) {
    const { embeddings, dim } = input;
    if (embeddings.length !== tfidf.rows * dim) throw new RangeError(`embeddings hold ${embeddings.length} values, expected ${tfidf.rows} × ${dim}`);
    if (scale.length !== tfidf.rows) throw new RangeError(`${scale.length} document scales for ${tfidf.rows} documents`);
    this.embeddings = embeddings;
    this.dim = dim;
    this.byTerm = csrTranspose(tfidf);
    const { indices, data } = this.byTerm;
    for (let p = 0; p < data.length; p++) data[p] *= scale[indices[p]];
  }

  get size(): number {
    return this.byTerm.rows;
  }

  /** Writes term t's [d] vector into out (float64 accumulation). */
  vector(t: number, out: Float64Array): Float64Array {
    out.fill(0);
    const { indptr, indices, data } = this.byTerm;
    const d = this.dim;
    for (let p = indptr[t]; p < indptr[t + 1]; p++) {
      const w = data[p];
      const o = indices[p] * d;
      for (let j = 0; j < d; j++) out[j] += w * this.embeddings[o + j];
    }
    return out;
  }

  /** [terms.length, d] the listed terms' vectors. */
  vectors(terms: readonly number[]): Float64Array {
    const d = this.dim;
    const out = new Float64Array(terms.length * d);
    const v = new Float64Array(d);
    terms.forEach((t, i) => out.set(this.vector(t, v), i * d));
    return out;
  }

  /** [V, C] cosine of every term's vector with each of C targets ([C, d] row-major). */
  cosines(targets: Float64Array): Float64Array {
    const d = this.dim;
    const c = targets.length / d;
    const tn = rowNorms(targets, d);
    const out = new Float64Array(this.size * c);
    const v = new Float64Array(d);
    for (let t = 0; t < this.size; t++) {
      this.vector(t, v);
      let sq = 0;
      for (let j = 0; j < d; j++) sq += v[j] * v[j];
      const vn = Math.sqrt(sq);
      for (let k = 0; k < c; k++) out[t * c + k] = cosine(v, 0, vn, targets, k * d, tn[k], d);
    }
    return out;
  }
}

export interface RepresentativeDocuments {
  cluster: number;
  /** document indices (rows of the input), most central first */
  documents: number[];
  /** their cosines to the cluster's centroid */
  scores: number[];
}

export interface RepresentativeOptions {
  /** Documents per cluster. Default 3: BERTopic keeps 3 per topic (_save_representative_docs). */
  count: number;
  /** L2-normalise document embeddings before taking the centroid. Default true, as the labels do. */
  normaliseDocuments: boolean;
}

export const defaultRepresentativeOptions: RepresentativeOptions = { count: 3, normaliseDocuments: true };

/**
 * Each cluster's documents nearest its centroid by cosine in the embedding space (noise has no
 * centroid and is skipped). BERTopic ranks a sample of 500 by c-TF-IDF cosine instead; here every
 * document of the cluster is ranked, by the embedding the clusters were made from.
 */
export function representativeDocuments(input: ClusteredEmbeddings, options: Partial<RepresentativeOptions> = {}): RepresentativeDocuments[] {
  const o = { ...defaultRepresentativeOptions, ...options };
  checkShapes(input);
  const d = input.dim;
  const e = input.embeddings; // a document's cosine does not depend on its scale, the centroid does
  const clusters = clusterIds(input.assignments, false);
  const centroids = clusterCentroids(input, clusters, documentScales(input, o.normaliseDocuments)); // [C, d]
  const cn = rowNorms(centroids, d);
  const en = rowNorms(e, d);
  return Array.from(clusters, (cluster, k) => {
    const members: number[] = [];
    const sims = new Map<number, number>();
    input.assignments.forEach((a, i) => {
      if (a !== cluster) return;
      members.push(i);
      sims.set(i, cosine(e, i * d, en[i], centroids, k * d, cn[k], d));
    });
    const score = (i: number): number => sims.get(i) ?? 0;
    members.sort((a, b) => score(b) - score(a) || a - b);
    const documents = members.slice(0, o.count);
    return { cluster, documents, scores: documents.map(score) };
  });
}
