// PCA and truncated SVD as scikit-learn 1.2.1 defines them (sklearn.decomposition.PCA with
// svd_solver='full', TruncatedSVD): the same components, explained variances and signs
// (sklearn.utils.extmath.svd_flip, u-based), checked against test/fixtures/sklearn/maps.json.
//
// Method: the top eigenpairs of the smaller Gram matrix, XᵀX ([d, d]) or XXᵀ ([n, n]), formed
// exactly in float64 (linalg.ts). For the inputs a map is made of (n up to 10⁵ documents, d = 768)
// this costs one pass of n·d²/2 multiply-adds and then only d-sized work, where an SVD of X
// would cost n·d² per sweep; squaring the condition number only blurs eigenvalues below about
// 1e-8 of the largest, far under the components a map or LSA keeps. When both sides exceed
// GRAM_LIMIT the Gram matrix would not fit (d² doubles), and subspace iteration runs on the
// operator v ↦ Xᵀ(Xv) instead, never forming it (the path a large sparse TF-IDF matrix takes).
// truncatedSvd defaults to sklearn's own default there, randomized subspace iteration with a
// fixed number of products (Halko, Martinsson & Tropp 2011), since an LSA of 100 components
// converged to working precision takes minutes; algorithm: 'exact' gives the converged one.
import { columnMeans, dot64, gramOfColumns, gramOfRows, matrixOperator, topEigenpairs, type Eigenpairs, type SymmetricOperator } from './linalg';

/** A sparse matrix in compressed sparse row form (as scipy.sparse.csr_matrix). */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** [rows + 1]: row r's entries are indptr[r] … indptr[r+1]−1. */
  indptr: ArrayLike<number>;
  /** [nnz] column of each entry. */
  indices: ArrayLike<number>;
  /** [nnz] value of each entry. */
  data: ArrayLike<number>;
}

/** A dense matrix: data [rows, cols] row-major. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

export interface PcaResult {
  /** [m, d]: component j at j·d, unit length, sign as sklearn's svd_flip. */
  components: Float64Array;
  /** [m]: variance along each component (ddof 1, as sklearn). */
  explainedVariance: Float64Array;
  /** [m]: share of the total variance. */
  explainedVarianceRatio: Float64Array;
  /** [m]: singular values of the centred X. */
  singularValues: Float64Array;
  /** [d]: the column means that were subtracted. */
  mean: Float64Array;
  /** [n, m] row-major: the centred rows projected on the components. */
  transformed: Float32Array;
  /** Whether the eigen-solver converged to tolerance (false only on the iterative path, with its iteration cap). */
  converged: boolean;
}

export interface TruncatedSvdResult {
  /** [m, d]: right singular vectors, sign as sklearn's svd_flip. */
  components: Float64Array;
  /** [m] */
  singularValues: Float64Array;
  /** [m]: variance of each column of `transformed` (ddof 0, as sklearn's TruncatedSVD). */
  explainedVariance: Float64Array;
  /** [m]: explainedVariance over the total variance of X's columns (ddof 0). */
  explainedVarianceRatio: Float64Array;
  /** [n, m] row-major: X · componentsᵀ (= U Σ). */
  transformed: Float32Array;
  converged: boolean;
}

/** Above this size on both sides the Gram matrix is not formed: 2048² doubles are 32 MiB. */
export const GRAM_LIMIT = 2048;

export interface DecompositionOptions {
  /** Seed of the iterative eigen-solver's start block; the result does not depend on it beyond the tolerance. */
  seed?: number;
  /**
   * 'auto' (default) forms the smaller Gram matrix when it has at most GRAM_LIMIT rows;
   * 'operator' always iterates on v ↦ Xᵀ(Xv), as inputs too large on both sides do (for tests
   * of that path, and for callers who cannot spare the d² doubles).
   */
  solver?: 'auto' | 'operator';
}

export interface TruncatedSvdOptions extends DecompositionOptions {
  /**
   * 'randomized' (default, sklearn's TruncatedSVD default): m + 10 vectors, n_iter = 5 power
   * iterations (seven products with XᵀX here: sklearn's range finder and its power iterations),
   * then Rayleigh–Ritz; seconds for an LSA of 100 components from a 7,367 × 5,000 TF-IDF matrix,
   * where the exact solver took five minutes. Its leading components are accurate; the last few
   * of m, near the noise, are approximate, as sklearn's are.
   * 'exact': converged to working precision, as sklearn's algorithm='arpack' (tests, small m).
   */
  algorithm?: 'randomized' | 'exact';
  /** Power iterations of the randomized algorithm: sklearn TruncatedSVD's n_iter, 5. */
  nIter?: number;
}

/** PCA of x ([n, d] row-major) to m components: sklearn's PCA(n_components=m, svd_solver='full'). */
export function pca(x: ArrayLike<number>, n: number, d: number, m: number, options: DecompositionOptions = {}): PcaResult {
  checkShape(x.length, n, d, m, 'pca');
  if (n < 2) throw new RangeError('pca: needs at least 2 rows');
  const mean = columnMeans(x, n, d);
  let totalSquares = 0; // Σ ‖x_r − μ‖², the trace of the centred Gram matrix
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const e = x[r * d + j] - mean[j];
      totalSquares += e * e;
    }
  }
  const { components, lambda, converged } = rightSingularVectors({ rows: n, cols: d, data: x }, m, mean, options);
  const transformed = project({ rows: n, cols: d, data: x }, components, m, mean);
  flipSigns(components, transformed, n, d, m);
  const explainedVariance = lambda.map((v) => v / (n - 1));
  return {
    components,
    explainedVariance,
    explainedVarianceRatio: lambda.map((v) => v / totalSquares),
    singularValues: lambda.map((v) => Math.sqrt(v)),
    mean,
    transformed: Float32Array.from(transformed),
    converged,
  };
}

/**
 * Truncated SVD without centring (sklearn's TruncatedSVD, the LSA of a TF-IDF matrix) of a dense
 * [n, d] matrix or a CSR one, to m components.
 */
export function truncatedSvd(x: DenseMatrix | CsrMatrix, m: number, options: TruncatedSvdOptions = {}): TruncatedSvdResult {
  const { rows: n, cols: d } = x;
  if (!('indptr' in x)) checkShape(x.data.length, n, d, m, 'truncatedSvd');
  else checkCsr(x, m);
  const randomized = (options.algorithm ?? 'randomized') === 'randomized' ? { nIter: options.nIter ?? 5 } : undefined;
  const { components, lambda, converged } = rightSingularVectors(x, m, undefined, options, randomized);
  const transformed = project(x, components, m);
  flipSigns(components, transformed, n, d, m);
  // Column variances of X (ddof 0), as sklearn's TruncatedSVD takes its total.
  const sums = new Float64Array(d);
  const squares = new Float64Array(d);
  forEachEntry(x, (_r, j, v) => {
    sums[j] += v;
    squares[j] += v * v;
  });
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += squares[j] / n - (sums[j] / n) ** 2;
  const explainedVariance = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += transformed[r * m + j];
    const meanT = s / n;
    // Two passes, as numpy's var: Σ(t − mean)² / n.
    let v = 0;
    for (let r = 0; r < n; r++) v += (transformed[r * m + j] - meanT) ** 2;
    explainedVariance[j] = v / n;
  }
  return {
    components,
    singularValues: lambda.map((v) => Math.sqrt(Math.max(v, 0))),
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => v / totalVariance),
    transformed: Float32Array.from(transformed),
    converged,
  };
}

/** The top m right singular vectors of X − 1μᵀ ([m, d]) and the squared singular values λ = s². */
function rightSingularVectors(x: DenseMatrix | CsrMatrix, m: number, mean: Float64Array | undefined, options: DecompositionOptions, randomized?: { nIter: number }): { components: Float64Array; lambda: Float64Array; converged: boolean } {
  const { rows: n, cols: d } = x;
  const eig = { seed: options.seed };
  if (randomized && m + 10 < Math.min(n, d)) {
    // sklearn's randomized_svd: range Q of (XXᵀ)^q XΩ, then the SVD of QᵀX; its right singular
    // space is that of (XᵀX)^(q+1)Ω, which q + 1 products here reach, and Rayleigh–Ritz on it one more.
    const pairs = topEigenpairs(normalOperator(x, mean), d, m, { seed: options.seed, blockSize: m + 10, maxIterations: randomized.nIter + 2 });
    return { components: pairs.vectors, lambda: pairs.values, converged: pairs.converged };
  }
  const gram = options.solver !== 'operator';
  if (gram && !('indptr' in x) && n < d && n <= GRAM_LIMIT) {
    // Wide: the n-side Gram matrix gives U; V = Xcᵀ U Σ⁻¹.
    const g = gramOfRows(x.data, n, d, mean);
    const pairs = topEigenpairs(matrixOperator(g, n), n, m, eig, g);
    const components = new Float64Array(m * d);
    for (let j = 0; j < m; j++) {
      const s = Math.sqrt(Math.max(pairs.values[j], 0));
      if (s === 0) continue;
      for (let r = 0; r < n; r++) {
        const u = pairs.vectors[j * n + r] / s;
        const o = r * d;
        for (let c = 0; c < d; c++) components[j * d + c] += u * (x.data[o + c] - (mean ? mean[c] : 0));
      }
    }
    return { components, lambda: pairs.values, converged: pairs.converged };
  }
  let pairs: Eigenpairs;
  if (gram && d <= GRAM_LIMIT) {
    const c = !('indptr' in x) ? gramOfColumns(x.data, n, d, mean) : csrGram(x);
    pairs = topEigenpairs(matrixOperator(c, d), d, m, eig, c);
  } else {
    pairs = topEigenpairs(normalOperator(x, mean), d, m, eig);
  }
  return { components: pairs.vectors, lambda: pairs.values, converged: pairs.converged };
}

/** v ↦ (X − 1μᵀ)ᵀ (X − 1μᵀ) v without forming the product, for blocks of l vectors [l, d]. */
function normalOperator(x: DenseMatrix | CsrMatrix, mean?: Float64Array): SymmetricOperator {
  if ('indptr' in x && !mean) return csrNormalOperator(x);
  const { rows: n, cols: d } = x;
  return (v, l, out) => {
    const xv = new Float64Array(l * n); // [l, n]
    for (let r = 0; r < l; r++) {
      const shift = mean ? dot64(mean, 0, v, r * d, d) : 0;
      for (let i = 0; i < n; i++) xv[r * n + i] = rowDot(x, i, v, r * d) - shift;
    }
    out.fill(0);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < l; r++) addRow(x, i, xv[r * n + i], out, r * d);
    }
    if (mean) {
      for (let r = 0; r < l; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += xv[r * n + i];
        for (let j = 0; j < d; j++) out[r * d + j] -= mean[j] * s;
      }
    }
  };
}

/**
 * XᵀX v for a CSR X: the block is transposed to [d, l] so that each non-zero touches l
 * contiguous numbers (3–4× faster than l sparse dot products over the [l, d] block).
 */
function csrNormalOperator(x: CsrMatrix): SymmetricOperator {
  const { rows: n, cols: d } = x;
  const indptr = Int32Array.from(x.indptr);
  const indices = Int32Array.from(x.indices);
  const data = Float64Array.from(x.data);
  return (v, l, out) => {
    const vt = new Float64Array(d * l); // [d, l]
    for (let r = 0; r < l; r++) for (let j = 0; j < d; j++) vt[j * l + r] = v[r * d + j];
    const xv = new Float64Array(l); // one row of X V: [l]
    const ot = new Float64Array(d * l); // [d, l]: Xᵀ (X V)
    for (let i = 0; i < n; i++) {
      xv.fill(0);
      const start = indptr[i];
      const end = indptr[i + 1];
      for (let e = start; e < end; e++) {
        const a = data[e];
        const o = indices[e] * l;
        for (let r = 0; r < l; r++) xv[r] += a * vt[o + r];
      }
      for (let e = start; e < end; e++) {
        const a = data[e];
        const o = indices[e] * l;
        for (let r = 0; r < l; r++) ot[o + r] += a * xv[r];
      }
    }
    for (let r = 0; r < l; r++) for (let j = 0; j < d; j++) out[r * d + j] = ot[j * l + r];
  };
}

function rowDot(x: DenseMatrix | CsrMatrix, i: number, v: Float64Array, vo: number): number {
  if (!('indptr' in x)) return dot64(x.data, i * x.cols, v, vo, x.cols);
  let s = 0;
  for (let e = x.indptr[i]; e < x.indptr[i + 1]; e++) s += x.data[e] * v[vo + x.indices[e]];
  return s;
}

/** out[oo + j] += a · X[i, j]. */
function addRow(x: DenseMatrix | CsrMatrix, i: number, a: number, out: Float64Array, oo: number): void {
  if (a === 0) return;
  if (!('indptr' in x)) {
    const o = i * x.cols;
    for (let j = 0; j < x.cols; j++) out[oo + j] += a * x.data[o + j];
    return;
  }
  for (let e = x.indptr[i]; e < x.indptr[i + 1]; e++) out[oo + x.indices[e]] += a * x.data[e];
}

function forEachEntry(x: DenseMatrix | CsrMatrix, f: (r: number, j: number, v: number) => void): void {
  if (!('indptr' in x)) {
    for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.cols; j++) f(r, j, x.data[r * x.cols + j]);
    return;
  }
  for (let r = 0; r < x.rows; r++) for (let e = x.indptr[r]; e < x.indptr[r + 1]; e++) f(r, x.indices[e], x.data[e]);
}

/** XᵀX of a CSR matrix ([cols, cols], float64): each row adds the outer product of its non-zeros. */
function csrGram(x: CsrMatrix): Float64Array {
  const d = x.cols;
  const c = new Float64Array(d * d);
  for (let r = 0; r < x.rows; r++) {
    const start = x.indptr[r];
    const end = x.indptr[r + 1];
    for (let a = start; a < end; a++) {
      const ia = x.indices[a];
      const va = x.data[a];
      for (let b = start; b < end; b++) c[ia * d + x.indices[b]] += va * x.data[b];
    }
  }
  return c;
}

/** (X − 1μᵀ) Vᵀ: [n, m] in float64, V = components [m, d]. */
function project(x: DenseMatrix | CsrMatrix, components: Float64Array, m: number, mean?: Float64Array): Float64Array {
  const { rows: n, cols: d } = x;
  const out = new Float64Array(n * m);
  const shifts = new Float64Array(m);
  if (mean) for (let j = 0; j < m; j++) shifts[j] = dot64(mean, 0, components, j * d, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = rowDot(x, i, components, j * d) - shifts[j];
  return out;
}

/**
 * sklearn's svd_flip(u, v, u_based_decision=True): in each column of U (here of U Σ, the scores,
 * which has the same signs) the entry of largest magnitude, the first such, is made positive.
 */
function flipSigns(components: Float64Array, scores: Float64Array, n: number, d: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(scores[i * m + j]);
      if (a > best) {
        best = a;
        at = i;
      }
    }
    if (scores[at * m + j] >= 0) continue;
    for (let i = 0; i < n; i++) scores[i * m + j] = -scores[i * m + j];
    for (let c = 0; c < d; c++) components[j * d + c] = -components[j * d + c];
  }
}

function checkShape(length: number, n: number, d: number, m: number, what: string): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) throw new RangeError(`${what}: bad shape [${n}, ${d}]`);
  if (length !== n * d) throw new RangeError(`${what}: ${length} values for shape [${n}, ${d}]`);
  if (!Number.isInteger(m) || m < 1 || m > Math.min(n, d)) throw new RangeError(`${what}: ${m} components for shape [${n}, ${d}] (at most ${Math.min(n, d)})`);
}

function checkCsr(x: CsrMatrix, m: number): void {
  if (x.indptr.length !== x.rows + 1) throw new RangeError(`truncatedSvd: indptr has ${x.indptr.length} entries for ${x.rows} rows`);
  const nnz = x.indptr[x.rows];
  if (x.indices.length !== nnz || x.data.length !== nnz) throw new RangeError('truncatedSvd: indices and data must have indptr[rows] entries');
  if (!Number.isInteger(m) || m < 1 || m > Math.min(x.rows, x.cols)) throw new RangeError(`truncatedSvd: ${m} components for shape [${x.rows}, ${x.cols}]`);
}
