// The iterative eigen-solver against ml-matrix's full symmetric decomposition, on matrices whose
// spectrum is set by hand (C = Q diag(λ) Qᵀ with a random orthogonal Q).
import { describe, expect, it } from 'vitest';
import { mulberry32, normals } from '../../../common/random';
import { fullEigenpairs, matrixOperator, orthonormalise, topEigenpairs } from './linalg';

function withSpectrum(lambda: number[], seed: number): Float64Array {
  const k = lambda.length;
  const gauss = normals(mulberry32(seed));
  const q = Float64Array.from({ length: k * k }, () => gauss()); // [k, k]: row r = eigenvector r
  orthonormalise(q, k, k, gauss);
  const c = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[i * k + j] += lambda[r] * q[r * k + i] * q[r * k + j];
  return c;
}

describe('topEigenpairs', () => {
  // 400 > FULL_EIGEN_LIMIT and l = 33 < 400 / 8, so the explicit matrix is iterated on.
  const k = 400;
  // A cluster of 20 similar leading eigenvalues over a bulk, as 20 topics in noise give.
  const lambda = Array.from({ length: k }, (_, i) => (i < 20 ? 100 - i : 10 * Math.exp(-i / 50)));
  const c = withSpectrum(lambda, 3);

  it('finds the top eigenpairs by subspace iteration, as the full decomposition does', () => {
    const it3 = topEigenpairs(matrixOperator(c, k), k, 3, {}, c);
    expect(it3.iterations).toBeGreaterThan(0); // it did iterate
    expect(it3.converged).toBe(true);
    const full = fullEigenpairs(c, k, 3);
    for (let j = 0; j < 3; j++) {
      expect(it3.values[j]).toBeCloseTo(lambda[j], 9);
      // Same vector up to sign.
      let dot = 0;
      for (let i = 0; i < k; i++) dot += it3.vectors[j * k + i] * full.vectors[j * k + i];
      expect(Math.abs(dot)).toBeCloseTo(1, 9);
    }
  });

  it('falls back to the full decomposition when the block would be wide (m = 60 of 400)', () => {
    const r = topEigenpairs(matrixOperator(c, k), k, 60, {}, c);
    expect(r.iterations).toBe(0);
    for (let j = 0; j < 60; j++) expect(r.values[j]).toBeCloseTo(lambda[j], 9);
  });

  it('handles a rank-deficient operator (rank 2 of 300)', () => {
    const low = withSpectrum(Array.from({ length: 300 }, (_, i) => (i === 0 ? 5 : i === 1 ? 2 : 0)), 4);
    const r = topEigenpairs(matrixOperator(low, 300), 300, 2);
    expect(r.converged).toBe(true);
    expect(r.values[0]).toBeCloseTo(5, 10);
    expect(r.values[1]).toBeCloseTo(2, 10);
  });
});
