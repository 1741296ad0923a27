// Dense linear algebra for PCA and truncated SVD: Gram matrices in float64 and the top eigenpairs
// of a symmetric positive semi-definite operator, by block subspace iteration with Rayleigh–Ritz
// (Saad, "Numerical Methods for Large Eigenvalue Problems", 2nd ed. 2011, ch. 5), falling back
// to ml-matrix's full symmetric eigendecomposition (tred2/tql2) when it is small or does not converge.
//
// Layout: a block of l vectors of length k is one Float64Array [l, k], vector r at r·k (each
// vector contiguous, which is what Gram–Schmidt and a row-major matrix–vector product want).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { mulberry32, normals } from '../../../common/random';

/** out[r] = A · v[r] for a symmetric PSD A of order k: v and out are [l, k]. */
export type SymmetricOperator = (v: Float64Array, l: number, out: Float64Array) => void;

export interface Eigenpairs {
  /** [m], descending. */
  values: Float64Array;
  /** [m, k]: eigenvector j at j·k, unit length. */
  vectors: Float64Array;
  /** Subspace iterations run (0 when the full decomposition was used). */
  iterations: number;
  /** Whether every residual ‖Av − θv‖ fell below tolerance · θ₁ (always true for the full decomposition). */
  converged: boolean;
}

export interface EigenOptions {
  /** Seed of the random start block (results do not depend on it beyond the tolerance). */
  seed?: number;
  /** Relative residual ‖Av − θv‖ / θ₁ to stop at: 1e-12 is a few hundred float64 roundings of ‖A‖. */
  tolerance?: number;
  maxIterations?: number;
  /**
   * Vectors in the block, instead of max(2m + 10, m + 30). With `maxIterations` and no explicit
   * matrix this is randomized subspace iteration (Halko, Martinsson & Tropp 2011, Alg. 4.4):
   * m + 10 vectors and a fixed number of products, as sklearn's randomized_svd.
   */
  blockSize?: number;
}

/** Below this order the full decomposition is cheap (about a second at 256 in ml-matrix) and exact. */
export const FULL_EIGEN_LIMIT = 256;

/** ml-matrix's symmetric eigendecomposition of C ([k, k] row-major), top m pairs. */
export function fullEigenpairs(c: Float64Array, k: number, m: number): Eigenpairs {
  const evd = new EigenvalueDecomposition(Matrix.from1DArray(k, k, c), { assumeSymmetric: true });
  const all = evd.realEigenvalues;
  const vecs = evd.eigenvectorMatrix;
  const order = all.map((_, i) => i).sort((a, b) => all[b] - all[a] || a - b);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * k);
  for (let j = 0; j < m; j++) {
    values[j] = all[order[j]];
    for (let i = 0; i < k; i++) vectors[j * k + i] = vecs.get(i, order[j]);
  }
  return { values, vectors, iterations: 0, converged: true };
}

/** The operator of an explicit symmetric matrix C ([k, k] row-major). */
export function matrixOperator(c: Float64Array, k: number): SymmetricOperator {
  return (v, l, out) => {
    for (let r = 0; r < l; r++) {
      const vo = r * k;
      for (let i = 0; i < k; i++) out[vo + i] = dot64(c, i * k, v, vo, k);
    }
  };
}

/**
 * Top m eigenpairs of a symmetric PSD operator of order k. Block subspace iteration on
 * l = min(k, max(2m + 10, m + 30)) vectors: convergence goes as (θ_{l+1}/θ_m)^t, and the extra
 * vectors reach past a cluster of similar leading eigenvalues (20 topics give about 20) into the
 * noise below it. An explicit matrix goes to the full decomposition instead when it is small
 * (k ≤ FULL_EIGEN_LIMIT) or the block is wide (l > k/8, where an iteration costs too much of
 * what the full decomposition does), and when iterating has spent about twice the full
 * decomposition's cost (≈ 8k³ against k²l per iteration) without converging.
 */
export function topEigenpairs(op: SymmetricOperator, k: number, m: number, options: EigenOptions = {}, explicit?: Float64Array): Eigenpairs {
  if (m < 1 || m > k) throw new RangeError(`topEigenpairs: m = ${m} must lie in 1…${k}`);
  const l = Math.min(k, options.blockSize ?? Math.max(2 * m + 10, m + 30));
  if (l < m) throw new RangeError(`topEigenpairs: a block of ${l} cannot hold ${m} eigenpairs`);
  if (explicit && (k <= FULL_EIGEN_LIMIT || l > k / 8)) return fullEigenpairs(explicit, k, m);
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? (explicit ? Math.max(20, Math.ceil((16 * k) / l)) : 300);
  const gauss = normals(mulberry32(options.seed ?? 0x5eed));
  const q = new Float64Array(l * k);
  for (let i = 0; i < q.length; i++) q[i] = gauss();
  orthonormalise(q, l, k, gauss);
  const w = new Float64Array(l * k);
  const v = new Float64Array(l * k);
  const av = new Float64Array(l * k);
  const h = new Float64Array(l * l);
  let theta: Float64Array = new Float64Array(l);
  for (let it = 1; it <= maxIterations; it++) {
    op(q, l, w); // [l, k]: w_r = A q_r
    for (let r = 0; r < l; r++) for (let s = r; s < l; s++) h[r * l + s] = h[s * l + r] = 0.5 * (dot64(q, r * k, w, s * k, k) + dot64(q, s * k, w, r * k, k));
    const ritz = fullEigenpairs(h, l, l); // H = S Θ Sᵀ, S's columns as rows of ritz.vectors [l, l]
    theta = ritz.values;
    v.fill(0);
    av.fill(0);
    for (let r = 0; r < l; r++) {
      for (let s = 0; s < l; s++) {
        const coef = ritz.vectors[r * l + s];
        if (coef === 0) continue;
        const so = s * k;
        const ro = r * k;
        for (let i = 0; i < k; i++) {
          v[ro + i] += coef * q[so + i];
          av[ro + i] += coef * w[so + i];
        }
      }
    }
    const scale = Math.max(Math.abs(theta[0]), Number.MIN_VALUE);
    let worst = 0;
    for (let r = 0; r < m; r++) {
      let s2 = 0;
      for (let i = 0; i < k; i++) {
        const e = av[r * k + i] - theta[r] * v[r * k + i];
        s2 += e * e;
      }
      worst = Math.max(worst, Math.sqrt(s2) / scale);
    }
    if (worst <= tolerance) return { values: theta.slice(0, m), vectors: v.slice(0, m * k), iterations: it, converged: true };
    q.set(av);
    orthonormalise(q, l, k, gauss);
  }
  if (explicit) return fullEigenpairs(explicit, k, m);
  return { values: theta.slice(0, m), vectors: v.slice(0, m * k), iterations: maxIterations, converged: false };
}

/**
 * Modified Gram–Schmidt, twice (Giraud et al. 2005: "twice is enough" for orthogonality to
 * working precision). A vector that vanishes (the block is rank-deficient) is replaced by a
 * random one made orthogonal to the others, so the block always spans l dimensions.
 */
export function orthonormalise(q: Float64Array, l: number, k: number, gauss: () => number): void {
  for (let r = 0; r < l; r++) {
    const ro = r * k;
    const before = Math.sqrt(dot64(q, ro, q, ro, k));
    for (let attempt = 0; ; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let s = 0; s < r; s++) {
          const c = dot64(q, s * k, q, ro, k);
          for (let i = 0; i < k; i++) q[ro + i] -= c * q[s * k + i];
        }
      }
      const norm = Math.sqrt(dot64(q, ro, q, ro, k));
      if (norm > 1e-10 * before && norm > 0) {
        for (let i = 0; i < k; i++) q[ro + i] /= norm;
        break;
      }
      if (attempt > 8) throw new Error('orthonormalise: cannot complete the basis');
      for (let i = 0; i < k; i++) q[ro + i] = gauss();
    }
  }
}

/** Σ a[ao + i] · b[bo + i] over i < k, in float64. */
export function dot64(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, k: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < k; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  for (; i < k; i++) s0 += a[ao + i] * b[bo + i];
  return s0 + s1 + s2 + s3;
}

/** Column means of x ([n, d] row-major), in float64: [d]. */
export function columnMeans(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/**
 * C = (X − 1μᵀ)ᵀ (X − 1μᵀ) for x [n, d] (μ = 0 when mean is omitted): [d, d] in float64. Eight
 * rows per pass over C's upper triangle, so each element of C is loaded and stored once per
 * eight rank-one updates (1.7× the speed of four rows per pass in V8, measured; 16 gains nothing more).
 */
export function gramOfColumns(x: ArrayLike<number>, n: number, d: number, mean?: Float64Array): Float64Array {
  const R = 8;
  const c = new Float64Array(d * d);
  const buf = new Float64Array(R * d); // [R, d]: the block's centred rows
  for (let r = 0; r < n; r += R) {
    const rows = Math.min(R, n - r);
    buf.fill(0); // a short last block adds zero rows
    for (let t = 0; t < rows; t++) {
      const o = (r + t) * d;
      const b = t * d;
      if (mean) for (let j = 0; j < d; j++) buf[b + j] = x[o + j] - mean[j];
      else for (let j = 0; j < d; j++) buf[b + j] = x[o + j];
    }
    for (let i = 0; i < d; i++) {
      const a0 = buf[i];
      const a1 = buf[d + i];
      const a2 = buf[2 * d + i];
      const a3 = buf[3 * d + i];
      const a4 = buf[4 * d + i];
      const a5 = buf[5 * d + i];
      const a6 = buf[6 * d + i];
      const a7 = buf[7 * d + i];
      const ci = i * d;
      for (let j = i; j < d; j++) {
        c[ci + j] += a0 * buf[j] + a1 * buf[d + j] + a2 * buf[2 * d + j] + a3 * buf[3 * d + j] + a4 * buf[4 * d + j] + a5 * buf[5 * d + j] + a6 * buf[6 * d + j] + a7 * buf[7 * d + j];
      }
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) c[i * d + j] = c[j * d + i];
  return c;
}

/** G = (X − 1μᵀ)(X − 1μᵀ)ᵀ for x [n, d]: [n, n] in float64 (for n < d). */
export function gramOfRows(x: ArrayLike<number>, n: number, d: number, mean?: Float64Array): Float64Array {
  const xc = new Float64Array(n * d); // [n, d], centred
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) xc[r * d + j] = x[r * d + j] - (mean ? mean[j] : 0);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) g[i * n + j] = g[j * n + i] = dot64(xc, i * d, xc, j * d, d);
  return g;
}
