// TF-IDF of pre-cut documents exactly as scikit-learn's TfidfVectorizer with its defaults
// (sklearn/feature_extraction/text.py: CountVectorizer._limit_features, TfidfTransformer:
// smooth_idf=True, sublinear_tf=False, norm='l2'), with the analyzer replaced by the caller's terms.

/**
 * A sparse matrix in compressed sparse rows. Row r's entries are
 * indices[indptr[r] .. indptr[r + 1]) (column numbers, ascending) and the data at the same places.
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** [rows + 1] where each row starts in indices/data; indptr[rows] = nnz */
  indptr: Int32Array;
  /** [nnz] column of each stored entry, ascending within a row */
  indices: Int32Array;
  /** [nnz] value of each stored entry */
  data: Float32Array;
}

/** A document-frequency bound as scikit-learn takes it: an int is a number of documents, a float a proportion. */
export type DocumentFrequency = number | { proportion: number };

export interface VocabularyOptions {
  /** Terms in fewer documents are dropped. Default 10: the study's notebook (min_df=10). */
  minDf: DocumentFrequency;
  /** Terms in more documents are dropped. Default every document: scikit-learn's max_df=1.0. */
  maxDf: DocumentFrequency;
}

export const defaultVocabularyOptions: VocabularyOptions = { minDf: 10, maxDf: { proportion: 1 } };

export interface TfidfModel {
  /** [V] the kept terms in code-point order: scikit-learn's sorted vocabulary_ (get_feature_names_out) */
  vocabulary: string[];
  /** [V] how many documents contain each term */
  documentFrequency: Int32Array;
  /** [V] ln((1 + n) / (1 + df)) + 1 (smooth_idf) */
  idf: Float64Array;
  /** [n, V] raw term counts (CountVectorizer.transform) */
  counts: CsrMatrix;
  /** [n, V] counts × idf, each row scaled to unit L2 norm (a row without kept terms stays empty) */
  tfidf: CsrMatrix;
}

/** Python's string order (code points), which is not JavaScript's (UTF-16 units) beyond the BMP. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate (0xD800–0xDFFF) stands for a code point above 0xFFFF: move it past 0xE000–0xFFFF.
      const fx = x >= 0xd800 ? (x <= 0xdfff ? x + 0x2000 : x - 0x800) : x;
      const fy = y >= 0xd800 ? (y <= 0xdfff ? y + 0x2000 : y - 0x800) : y;
      return fx - fy;
    }
  }
  return a.length - b.length;
}

function bound(df: DocumentFrequency, nDocs: number, what: string): number {
  if (typeof df === 'number') {
    if (!Number.isInteger(df) || df < 1) throw new RangeError(`${what} as a document count must be an integer ≥ 1, got ${df}`);
    return df;
  }
  if (!(df.proportion >= 0 && df.proportion <= 1)) throw new RangeError(`${what} as a proportion must lie in [0, 1], got ${df.proportion}`);
  return df.proportion * nDocs;
}

/**
 * The vocabulary scikit-learn keeps: every term whose document frequency lies in [minDf, maxDf],
 * in code-point order. Empty when nothing survives (scikit-learn raises "After pruning, no terms
 * remain"); the caller says so in the researcher's language.
 */
export function buildVocabulary(
  docs: readonly (readonly string[])[],
  options: Partial<VocabularyOptions> = {},
): { vocabulary: string[]; documentFrequency: Int32Array } {
  const o = { ...defaultVocabularyOptions, ...options };
  const n = docs.length;
  const low = bound(o.minDf, n, 'minDf');
  const high = bound(o.maxDf, n, 'maxDf');
  if (high < low) throw new RangeError('maxDf corresponds to fewer documents than minDf');
  const df = new Map<string, number>();
  for (const doc of docs) {
    for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const vocabulary = [...df.keys()].filter((t) => {
    const f = df.get(t) ?? 0;
    return f >= low && f <= high;
  });
  vocabulary.sort(compareCodePoints);
  return { vocabulary, documentFrequency: Int32Array.from(vocabulary, (t) => df.get(t) ?? 0) };
}

/** [n, V] raw counts of the vocabulary's terms in each document; other terms are ignored. */
export function countMatrix(docs: readonly (readonly string[])[], vocabulary: readonly string[]): CsrMatrix {
  const column = new Map<string, number>();
  vocabulary.forEach((t, j) => column.set(t, j));
  const indptr = new Int32Array(docs.length + 1);
  const indices: number[] = [];
  const data: number[] = [];
  docs.forEach((doc, r) => {
    const counts = new Map<number, number>();
    for (const t of doc) {
      const j = column.get(t);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const cols = [...counts.keys()].sort((a, b) => a - b);
    for (const j of cols) {
      indices.push(j);
      data.push(counts.get(j) ?? 0);
    }
    indptr[r + 1] = indices.length;
  });
  return { rows: docs.length, cols: vocabulary.length, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

/** [V] smooth IDF from document frequencies: ln((1 + n) / (1 + df)) + 1. */
export function smoothIdf(documentFrequency: Int32Array, nDocs: number): Float64Array {
  return Float64Array.from(documentFrequency, (df) => Math.log((1 + nDocs) / (1 + df)) + 1);
}

/** [n, V] counts × idf with unit-L2 rows (TfidfTransformer.transform), computed in float64, stored float32. */
export function tfidfFromCounts(counts: CsrMatrix, idf: Float64Array): CsrMatrix {
  const data = new Float32Array(counts.data.length);
  for (let r = 0; r < counts.rows; r++) {
    const s = counts.indptr[r];
    const e = counts.indptr[r + 1];
    let sq = 0;
    for (let p = s; p < e; p++) {
      const v = counts.data[p] * idf[counts.indices[p]];
      sq += v * v;
    }
    const norm = Math.sqrt(sq);
    for (let p = s; p < e; p++) data[p] = norm > 0 ? (counts.data[p] * idf[counts.indices[p]]) / norm : 0;
  }
  return { rows: counts.rows, cols: counts.cols, indptr: counts.indptr, indices: counts.indices, data };
}

/** TfidfVectorizer(analyzer=<the given terms>, min_df, max_df).fit_transform(docs), and its parts. */
export function fitTfidf(docs: readonly (readonly string[])[], options: Partial<VocabularyOptions> = {}): TfidfModel {
  const { vocabulary, documentFrequency } = buildVocabulary(docs, options);
  const counts = countMatrix(docs, vocabulary);
  const idf = smoothIdf(documentFrequency, docs.length);
  return { vocabulary, documentFrequency, idf, counts, tfidf: tfidfFromCounts(counts, idf) };
}

// ---------------------------------------------------------------- helpers for the LSA baseline and the labels

/** [cols, rows] the transpose, again in CSR (so a term's documents are one row). */
export function csrTranspose(m: CsrMatrix): CsrMatrix {
  const nnz = m.indptr[m.rows];
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) indptr[m.indices[p] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const next = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  // Rows are visited in order, so each transposed row's indices come out ascending.
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const q = next[m.indices[p]]++;
      indices[q] = r;
      data[q] = m.data[p];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/** [rows, cols] row-major dense copy (for ml-matrix's SVD on a small corpus). */
export function csrToDense(m: CsrMatrix): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out[r * m.cols + m.indices[p]] = m.data[p];
  }
  return out;
}

/** M · B: [rows, cols] · [cols, k] (B row-major) -> [rows, k], accumulated in float64. */
export function csrMultiply(m: CsrMatrix, b: Float32Array | Float64Array, k: number): Float64Array {
  if (b.length !== m.cols * k) throw new RangeError(`B has ${b.length} values, expected ${m.cols} × ${k}`);
  const out = new Float64Array(m.rows * k);
  for (let r = 0; r < m.rows; r++) {
    const o = r * k;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const v = m.data[p];
      const bo = m.indices[p] * k;
      for (let j = 0; j < k; j++) out[o + j] += v * b[bo + j];
    }
  }
  return out;
}

/** Mᵀ · A: [cols, rows] · [rows, k] (A row-major) -> [cols, k], accumulated in float64, without forming Mᵀ. */
export function csrTransposeMultiply(m: CsrMatrix, a: Float32Array | Float64Array, k: number): Float64Array {
  if (a.length !== m.rows * k) throw new RangeError(`A has ${a.length} values, expected ${m.rows} × ${k}`);
  const out = new Float64Array(m.cols * k);
  for (let r = 0; r < m.rows; r++) {
    const ao = r * k;
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const v = m.data[p];
      const o = m.indices[p] * k;
      for (let j = 0; j < k; j++) out[o + j] += v * a[ao + j];
    }
  }
  return out;
}
