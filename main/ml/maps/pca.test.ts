// Expected numbers: scikit-learn 1.2.1 PCA(svd_solver='full') and TruncatedSVD(algorithm='arpack'),
// which our exact solver reproduces and our randomized one (the default) approximates
// (test/fixtures/sklearn/maps.json, from scripts/fixtures/make_maps_fixtures.py).
import { describe, expect, it } from 'vitest';
import { blobs, mapsFixture, unpack, unpackF32, unpackF64 } from '../../../test/fixtures/sklearn/maps';
import { pca, truncatedSvd, type CsrMatrix } from './pca';

// Both sides compute in float64 from the same float32 inputs; what remains is rounding in two
// different algorithms (LAPACK's SVD of X against our Gram eigenpairs), relative to the largest
// value of each quantity. Components are unit vectors, so 1e-9 is absolute there.
const TOL = 1e-9;
// Our transformed rows are returned as float32 (a map's coordinates), so they agree to float32.
const TOL_F32 = 2e-7;

function near(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst / Math.max(scale, 1e-300), `${what}: worst relative difference`).toBeLessThanOrEqual(tol);
}

describe('pca', () => {
  const { x, n, d } = blobs();
  const f = mapsFixture();

  it('equals sklearn PCA (components with sklearn svd_flip signs, variances, transform) on 500 × 50 blobs', () => {
    const c = f.pca.tall;
    const m = c.nComponents;
    const r = pca(x, n, d, m);
    expect(r.converged).toBe(true);
    near(r.components, c.components.flat(), TOL, 'components');
    near(r.explainedVariance, c.explainedVariance, TOL, 'explained variance');
    near(r.explainedVarianceRatio, c.explainedVarianceRatio, TOL, 'explained variance ratio');
    near(r.singularValues, c.singularValues, TOL, 'singular values');
    near(r.mean, c.mean, TOL, 'mean');
    near(r.transformed.subarray(0, 100 * m), unpackF64(c.transformed), TOL_F32, 'transformed rows 0–99');
  });

  it('equals sklearn with fewer rows than columns (30 × 50, the row-side Gram matrix)', () => {
    const c = f.pca.wide;
    const m = c.nComponents;
    const r = pca(x.subarray(0, c.rows * d), c.rows, d, m);
    near(r.components, c.components.flat(), TOL, 'components');
    near(r.explainedVarianceRatio, c.explainedVarianceRatio, TOL, 'explained variance ratio');
    near(r.singularValues, c.singularValues, TOL, 'singular values');
    near(r.transformed, unpackF64(c.transformed), TOL_F32, 'transformed');
  });

  it('gives the same through the operator path (no Gram matrix), as inputs too large on both sides take', () => {
    const c = f.pca.tall;
    const r = pca(x, n, d, c.nComponents, { solver: 'operator' });
    expect(r.converged).toBe(true);
    near(r.components, c.components.flat(), TOL, 'components');
    near(r.explainedVarianceRatio, c.explainedVarianceRatio, TOL, 'explained variance ratio');
  });

  it('does not depend on the seed of the iterative solver', () => {
    const a = pca(x, n, d, 3, { seed: 1 });
    const b = pca(x, n, d, 3, { seed: 2 });
    near(a.components, b.components, 1e-10, 'components');
  });

  it('refuses impossible shapes', () => {
    expect(() => pca(x, n, d, 51)).toThrow(RangeError);
    expect(() => pca(x, n + 1, d, 2)).toThrow(RangeError);
    expect(() => pca(x.subarray(0, d), 1, d, 1)).toThrow(RangeError);
  });
});

describe('truncatedSvd', () => {
  const { x, n, d } = blobs();
  const f = mapsFixture();

  it('equals sklearn TruncatedSVD on dense blobs (no centring)', () => {
    const c = f.truncatedSvd.dense;
    const m = c.nComponents;
    const r = truncatedSvd({ rows: n, cols: d, data: x }, m, { algorithm: 'exact' });
    near(r.components, c.components.flat(), TOL, 'components');
    near(r.singularValues, c.singularValues, TOL, 'singular values');
    near(r.explainedVariance, c.explainedVariance, TOL, 'explained variance');
    near(r.explainedVarianceRatio, c.explainedVarianceRatio, TOL, 'explained variance ratio');
    near(r.transformed.subarray(0, 100 * m), unpackF64(c.transformed), TOL_F32, 'transformed rows 0–99');
  });

  it('equals sklearn TruncatedSVD on a sparse TF-IDF-like CSR matrix', () => {
    const c = f.truncatedSvd.sparse;
    const mat = c.matrix;
    const csr: CsrMatrix = { rows: mat.rows, cols: mat.cols, indptr: mat.indptr, indices: unpack(mat.indices), data: unpackF32(mat.values) };
    const r = truncatedSvd(csr, c.nComponents, { algorithm: 'exact' });
    near(r.components, c.components.flat(), TOL, 'components');
    near(r.singularValues, c.singularValues, TOL, 'singular values');
    near(r.explainedVarianceRatio, c.explainedVarianceRatio, TOL, 'explained variance ratio');
    near(r.transformed.subarray(0, 100 * c.nComponents), unpackF64(c.transformed), TOL_F32, 'transformed rows 0–99');
    const viaOperator = truncatedSvd(csr, c.nComponents, { algorithm: 'exact', solver: 'operator' });
    near(viaOperator.components, c.components.flat(), TOL, 'components (operator path)');
  });

  it('randomized (the default, as sklearn’s): the exact decomposition where the spectrum has gaps, lower bounds where it is flat', () => {
    const dense = f.truncatedSvd.dense;
    const r = truncatedSvd({ rows: n, cols: d, data: x }, dense.nComponents, { seed: 1 });
    // Five blobs give five well-separated singular values: six products with XᵀX suffice
    // (measured: components 3e-7, singular values 1e-14 from sklearn's arpack).
    near(r.components, dense.components.flat(), 1e-5, 'components');
    near(r.singularValues, dense.singularValues, 1e-10, 'singular values');
    near(r.explainedVarianceRatio, dense.explainedVarianceRatio, 1e-9, 'explained variance ratio');
    // A random sparse matrix has a flat spectrum: randomized SVD (sklearn's too) is approximate
    // there. Rayleigh–Ritz values never exceed the true ones; the largest is within 1%.
    const sparse = f.truncatedSvd.sparse;
    const mat = sparse.matrix;
    const csr: CsrMatrix = { rows: mat.rows, cols: mat.cols, indptr: mat.indptr, indices: unpack(mat.indices), data: unpackF32(mat.values) };
    const s = truncatedSvd(csr, sparse.nComponents, { seed: 1 });
    s.singularValues.forEach((v, j) => expect(v).toBeLessThanOrEqual(sparse.singularValues[j] * (1 + 1e-12)));
    expect(s.singularValues[0] / sparse.singularValues[0]).toBeGreaterThan(0.99);
  });
});
