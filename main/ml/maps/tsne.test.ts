// Expected numbers: scikit-learn 1.2.1's t-SNE internals (_joint_probabilities, _joint_probabilities_nn,
// _kl_divergence, _kl_divergence_bh, _gradient_descent) and its TSNE on the blobs
// (test/fixtures/sklearn/maps.json, from scripts/fixtures/make_maps_fixtures.py).
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import { blobs, mapsFixture, unpackF64 } from '../../../test/fixtures/sklearn/maps';
import { nearestNeighbours } from './knn';
import { separation } from '../testing/separation';
import { trustworthiness } from './trustworthiness';
import { exactAffinities, gradientDescent, klBarnesHut, klExact, sparseAffinities, tsne, type Affinities } from './tsne';

function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / scale;
}

function dense(a: Affinities): Float64Array {
  if (a.kind === 'dense') return a.p;
  const p = new Float64Array(a.n * a.n);
  for (let i = 0; i < a.n; i++) for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) p[i * a.n + a.indices[e]] = a.values[e];
  return p;
}

describe('t-SNE building blocks against sklearn', () => {
  const { x, d } = blobs();
  const small = mapsFixture().tsne.small;
  const m = small.rows;
  const sub = x.subarray(0, m * d);
  const y0 = unpackF64(small.y0);

  it('exact joint probabilities equal sklearn _joint_probabilities (perplexity 10, 40 points)', async () => {
    const a = await exactAffinities(sub, m, d, 'euclidean', small.exact.perplexity);
    const p = dense(a);
    const condensed: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) condensed.push(p[i * m + j]);
    // Same float32-rounded distances into the same bisection: equal to float64 rounding.
    expect(worstRelative(condensed, unpackF64(small.exact.p))).toBeLessThan(1e-12);
  });

  it('nearest-neighbour joint probabilities equal sklearn _joint_probabilities_nn (perplexity 5, k = 16)', async () => {
    const graph = await nearestNeighbours(sub, m, d, small.nn.k, 'euclidean', { method: 'exact' });
    const squared = graph.distances.map((v) => v * v);
    const a = await sparseAffinities(graph.indices, squared, m, graph.k, small.nn.perplexity);
    expect(worstRelative(dense(a), unpackF64(small.nn.p))).toBeLessThan(1e-12);
  });

  it('the exact KL divergence and gradient equal sklearn _kl_divergence', async () => {
    const a = await exactAffinities(sub, m, d, 'euclidean', small.exact.perplexity);
    const r = klExact(y0, a);
    expect(r.kl).toBeCloseTo(small.exactObjective.kl, 12);
    expect(worstRelative(r.grad, small.exactObjective.grad)).toBeLessThan(1e-11);
  });

  it('Barnes–Hut with angle 0 is the exact objective on the same sparse P (and sklearn’s, to its float32)', async () => {
    const graph = await nearestNeighbours(sub, m, d, small.nn.k, 'euclidean', { method: 'exact' });
    const a = await sparseAffinities(graph.indices, graph.distances.map((v) => v * v), m, graph.k, small.nn.perplexity);
    const r = klBarnesHut(y0, a, 0);
    // sklearn's exact objective floors every q at 2.2e-16 and counts P's zeros at that floor too;
    // Barnes–Hut sums over P's non-zeros only, so the two differ by terms of order 1e-14.
    expect(r.kl).toBeCloseTo(small.nnExactObjective.kl, 10);
    expect(worstRelative(r.grad, small.nnExactObjective.grad)).toBeLessThan(1e-12);
    // sklearn's Barnes–Hut runs in float32: agreement to about 1e-6.
    expect(worstRelative(r.grad, small.barnesHut['0.0'].grad)).toBeLessThan(1e-5);
    expect(r.kl).toBeCloseTo(small.barnesHut['0.0'].kl, 5);
  });

  it('Barnes–Hut with angle 0.5 approximates the exact gradient as closely as sklearn’s does', async () => {
    const graph = await nearestNeighbours(sub, m, d, small.nn.k, 'euclidean', { method: 'exact' });
    const a = await sparseAffinities(graph.indices, graph.distances.map((v) => v * v), m, graph.k, small.nn.perplexity);
    const exact = small.nnExactObjective.grad;
    const ours = worstRelative(klBarnesHut(y0, a, 0.5).grad, exact);
    const sklearns = worstRelative(small.barnesHut['0.5'].grad, exact);
    // Two quadtrees, two approximations of one gradient: ours must be no worse than twice sklearn's error, and small.
    expect(ours).toBeLessThan(Math.max(2 * sklearns, 1e-3));
    expect(ours).toBeLessThan(0.05);
  });

  it('ten optimiser steps equal sklearn _gradient_descent (momentum 0.5, exaggeration 12, lr 50)', async () => {
    const a = await exactAffinities(sub, m, d, 'euclidean', small.exact.perplexity);
    const s = small.descent;
    const r = await gradientDescent((p, exaggeration, err) => klExact(p, a, exaggeration, err), y0, {
      it: 0, nIter: s.iterations, momentum: s.momentum, learningRate: s.learningRate, nIterWithoutProgress: 250, minGradNorm: 1e-7, exaggeration: s.exaggeration,
    });
    expect(r.it).toBe(s.iterations - 1);
    expect(worstRelative(r.p, unpackF64(s.y))).toBeLessThan(1e-10);
  });
});

describe('tsne on five blobs in 50-D', () => {
  const { x, n, d, labels } = blobs();
  const reference = mapsFixture().tsne.sklearnDefault;

  it.each(['exact', 'barnesHut'] as const)('%s: keeps neighbourhoods (trustworthiness ≥ 0.9, near sklearn’s) and separates the blobs', async (method) => {
    const r = await tsne(x, n, d, { method, seed: 7 });
    expect(r.method).toBe(method);
    expect(r.iterations).toBe(1000);
    expect(r.learningRate).toBe(reference.learningRate); // max(500 / 12 / 4, 50) = 50
    const t = trustworthiness(x, r.embedding, n, d, 2, 10);
    expect(t).toBeGreaterThanOrEqual(0.9);
    // sklearn's own TSNE reaches 0.958 on these points; the same algorithm should land within 0.01.
    expect(Math.abs(t - reference.trustworthiness10)).toBeLessThan(0.01);
    expect(Math.abs(r.klDivergence - reference.klDivergence)).toBeLessThan(0.05);
    // Separated: every point nearer its own blob's centroid than any other's, and a silhouette in
    // Kaufman & Rousseeuw's "strong structure" band (> 0.7; ours are about 0.91).
    const s = separation(r.embedding, n, 2, labels);
    expect(s.nearestCentroidAgreement).toBe(1);
    expect(s.silhouette).toBeGreaterThan(0.7);
  });

  it('gives the same map for the same seed; another seed moves a random start', async () => {
    const m = 200; // the first 200 points, 250 iterations: the check is of determinism, not quality
    const sub = x.subarray(0, m * d);
    const a = await tsne(sub, m, d, { seed: 3, nIter: 250, init: 'random' });
    const b = await tsne(sub, m, d, { seed: 3, nIter: 250, init: 'random' });
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
    const c = await tsne(sub, m, d, { seed: 4, nIter: 250, init: 'random' });
    expect(Array.from(c.embedding)).not.toEqual(Array.from(a.embedding));
  });

  it('reports progress by iteration and stops when cancelled', async () => {
    const seen: number[] = [];
    const run = tsne(x, n, d, { seed: 1 }, {
      onProgress: (p) => {
        if (p.phase === 'iterations') seen.push(p.done);
      },
      shouldStop: () => seen.length >= 20,
    });
    await expect(run).rejects.toBeInstanceOf(ShirabeError);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.at(-1)).toBe(20);
  });

  it('refuses a perplexity as large as the input', async () => {
    await expect(tsne(x.subarray(0, 20 * d), 20, d, { perplexity: 20 })).rejects.toThrow(RangeError);
  });
});
