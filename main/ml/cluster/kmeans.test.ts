// Expected numbers: scikit-learn 1.2.1's KMeans (test/fixtures/sklearn/cluster.json, from
// scripts/fixtures/make_cluster_fixtures.py) and small cases worked out by hand below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import type { ClusterFixture } from './fixture';
import { vectorsOf } from './fixture';
import { kmeans, kSweep } from './kmeans';
import { adjustedRandIndex } from './metrics';
import type { Vectors } from './vectors';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/sklearn/cluster.json'), 'utf8')) as ClusterFixture;
const dataset = (name: string): Vectors => vectorsOf(fixture.datasets[name]);

function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('kmeans against scikit-learn', () => {
  for (const c of fixture.kmeans) {
    it(`${c.dataset}, k=${c.k}, ${c.metric}: ${c.separable ? 'the same partition and inertia' : 'inertia no worse than 1% above'}`, () => {
      const r = kmeans(dataset(c.dataset), { k: c.k, metric: c.metric, seed: 1 });
      if (c.separable) {
        expect(adjustedRandIndex(r.labels, c.sklearn.labels)).toBe(1);
        expect(relativeGap(r.inertia, c.sklearn.inertia)).toBeLessThan(1e-9);
      } else {
        expect(r.inertia).toBeLessThanOrEqual(c.sklearn.inertia * 1.01);
      }
      expect(r.converged).toBe(true);
      expect(r.restarts).toHaveLength(10);
      expect(r.restarts[r.bestRestart].inertia).toBe(r.inertia);
      expect(Math.min(...r.restarts.map((x) => x.inertia))).toBeCloseTo(r.inertia, 6);
      expect(Array.from(r.sizes).reduce((a, b) => a + b, 0)).toBe(fixture.datasets[c.dataset].n);
    });
  }

  // From the same starting centres, Lloyd's iterations are deterministic: everything must agree.
  for (const c of fixture.kmeansFromInit) {
    it(`from given centres: ${c.name}`, () => {
      const r = kmeans(dataset(c.dataset), { k: c.k, metric: c.metric, init: Float32Array.from(c.init), maxIter: c.maxIter, tol: c.tol });
      expect(Array.from(r.labels)).toEqual(c.sklearn.labels);
      expect(r.iterations).toBe(c.sklearn.nIter);
      expect(relativeGap(r.inertia, c.sklearn.inertia)).toBeLessThan(1e-10);
      const worst = Math.max(...Array.from(r.centroids, (v, i) => Math.abs(v - c.sklearn.centres[i]) / (1 + Math.abs(c.sklearn.centres[i]))));
      expect(worst).toBeLessThan(1e-6); // centroids are returned as float32
      expect(r.restarts).toHaveLength(1);
    });
  }
});

describe("kmeans: Hamerly's bounds change nothing but the work", () => {
  for (const [name, k, metric] of [['overlapping', 6, 'euclidean'], ['overlapping', 10, 'euclidean'], ['directions', 5, 'cosine'], ['blobs', 7, 'euclidean']] as const) {
    it(`${name}, k=${k}, ${metric}: the same labels, iterations and inertia as every distance measured`, () => {
      const v = dataset(name);
      const pruned = kmeans(v, { k, metric, seed: 4, nInit: 3 });
      const plain = kmeans(v, { k, metric, seed: 4, nInit: 3, pruning: false });
      expect(Array.from(pruned.labels)).toEqual(Array.from(plain.labels));
      expect(pruned.restarts.map((r) => r.iterations)).toEqual(plain.restarts.map((r) => r.iterations));
      expect(relativeGap(pruned.inertia, plain.inertia)).toBeLessThan(1e-12);
    });
  }
  for (const c of fixture.kmeansFromInit) {
    it(`from given centres without pruning too: ${c.name}`, () => {
      const r = kmeans(dataset(c.dataset), { k: c.k, metric: c.metric, init: Float32Array.from(c.init), maxIter: c.maxIter, tol: c.tol, pruning: false });
      expect(Array.from(r.labels)).toEqual(c.sklearn.labels);
      expect(r.iterations).toBe(c.sklearn.nIter);
      expect(relativeGap(r.inertia, c.sklearn.inertia)).toBeLessThan(1e-10);
    });
  }
});

describe('kmeans: the SIMD kernel and the float64 JavaScript kernel give the same clustering', () => {
  for (const c of fixture.kmeansFromInit) {
    it(c.name, () => {
      const options = { k: c.k, metric: c.metric, init: Float32Array.from(c.init), maxIter: c.maxIter, tol: c.tol };
      const simd = kmeans(dataset(c.dataset), options);
      const js = kmeans(dataset(c.dataset), { ...options, simd: false });
      expect(Array.from(simd.labels)).toEqual(Array.from(js.labels));
      expect(simd.iterations).toBe(js.iterations);
      expect(simd.inertia).toBe(js.inertia);
    });
  }

  it('breaks an exact tie as sklearn does (the first centre), where float32 rounding cannot decide', () => {
    // 0 is exactly halfway between the starting centres −1 and 1.
    const v: Vectors = { data: Float32Array.from([0, -1, -1.1, 1, 1.1]), n: 5, d: 1 };
    for (const simd of [true, false]) {
      const r = kmeans(v, { k: 2, init: Float32Array.from([-1, 1]), simd });
      expect(Array.from(r.labels)).toEqual([0, 0, 0, 1, 1]);
    }
  });
});

describe('kmeans by hand', () => {
  // Four points on a line, k = 2: {0, 1} and {10, 11}; centres 0.5 and 10.5, inertia 4 × 0.25 = 1.
  const line: Vectors = { data: Float32Array.from([0, 10, 1, 11]), n: 4, d: 1 };

  it('finds the obvious two clusters of four points on a line', () => {
    const r = kmeans(line, { k: 2, seed: 3 });
    expect(r.inertia).toBeCloseTo(1, 12);
    expect(r.labels[0]).toBe(r.labels[2]);
    expect(r.labels[1]).toBe(r.labels[3]);
    expect(r.labels[0]).not.toBe(r.labels[1]);
    expect(Array.from(r.centroids).sort((a, b) => a - b)).toEqual([0.5, 10.5]);
  });

  it('with k = n every point is its own cluster, inertia 0', () => {
    const r = kmeans(line, { k: 4 });
    expect(new Set(r.labels).size).toBe(4);
    expect(r.inertia).toBe(0);
  });

  it('with more clusters than distinct points leaves the surplus empty (sklearn relocates nothing when every distance is 0)', () => {
    // Three distinct points, each twice; k = 4: inertia 0, one cluster empty.
    const v: Vectors = { data: Float32Array.from([0, 0, 5, 5, 9, 9]), n: 6, d: 1 };
    const r = kmeans(v, { k: 4, seed: 2 });
    expect(r.inertia).toBe(0);
    expect(Array.from(r.sizes).filter((s) => s === 0)).toHaveLength(1);
    expect(r.labels[0]).toBe(r.labels[1]);
    expect(r.labels[2]).toBe(r.labels[3]);
    expect(r.labels[4]).toBe(r.labels[5]);
  });

  it('relocates an empty cluster to the point farthest from its centre', () => {
    // Points 0, 1, 2 and 10 with starting centres 1 and 100: the second gets nothing, so it takes
    // the point farthest from its centre (10, at distance 9 from centre 1); then {0, 1, 2} and {10}.
    const v: Vectors = { data: Float32Array.from([0, 1, 2, 10]), n: 4, d: 1 };
    const r = kmeans(v, { k: 2, init: Float32Array.from([1, 100]) });
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 1]);
    expect(Array.from(r.centroids)).toEqual([1, 10]);
    expect(r.inertia).toBe(2);
  });

  it('cosine clusters by direction alone', () => {
    // Two directions, (1, 0) and (0, 1), at very different lengths: euclidean groups by length, cosine by direction.
    const v: Vectors = { data: Float32Array.from([1, 0, 100, 1, 0, 1, 1, 100, 2, 0.02, 0.01, 2]), n: 6, d: 2 };
    const cos = kmeans(v, { k: 2, metric: 'cosine', seed: 5 });
    expect(adjustedRandIndex(cos.labels, [0, 0, 1, 1, 0, 1])).toBe(1);
    const euc = kmeans(v, { k: 2, seed: 5 });
    expect(adjustedRandIndex(euc.labels, [0, 0, 1, 1, 0, 1])).toBeLessThan(1);
  });
});

describe('kmeans: seeds, progress, cancel, bad input', () => {
  const v = dataset('overlapping');

  it('gives the same result for the same seed, and restart r does not depend on nInit', () => {
    const a = kmeans(v, { k: 6, seed: 9, nInit: 3 });
    const b = kmeans(v, { k: 6, seed: 9, nInit: 3 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    const one = kmeans(v, { k: 6, seed: 9, nInit: 1 });
    expect(one.restarts[0]).toEqual(a.restarts[0]);
  });

  it('reports progress up to nInit × maxIter', () => {
    const seen: [number, number][] = [];
    kmeans(v, { k: 6, nInit: 2, maxIter: 50, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.every(([, total]) => total === 100)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen[seen.length - 1][0]).toBe(100);
  });

  it('stops with ShirabeError("cancelled") when asked', () => {
    let checks = 0;
    const run = () => kmeans(v, { k: 6, shouldStop: () => ++checks > 5 });
    expect(run).toThrow(ShirabeError);
    checks = 0;
    try {
      run();
    } catch (e) {
      expect((e as ShirabeError).code).toBe('cancelled');
    }
  });

  it('refuses k above the number of points with a coded error', () => {
    try {
      kmeans({ data: new Float32Array(6), n: 3, d: 2 }, { k: 4 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ShirabeError);
      expect((e as ShirabeError).toInfo()).toEqual({ code: 'kmeansTooFewPoints', params: { k: 4, points: 3 } });
    }
  });

  it('refuses malformed vectors', () => {
    expect(() => kmeans({ data: new Float32Array(5), n: 3, d: 2 }, { k: 2 })).toThrow(RangeError);
    expect(() => kmeans({ data: Float32Array.from([0, NaN, 1, 2]), n: 2, d: 2 }, { k: 2 })).toThrow(RangeError);
  });
});

describe('kSweep', () => {
  const v = dataset('blobs');

  it('gives inertia and silhouette per k as scikit-learn does on separable blobs', () => {
    const ks = fixture.sweep.map((p) => p.k);
    const r = kSweep(v, { ks, seed: 1 });
    expect(r.silhouetteSampleSize).toBe(300); // n below the sample size: exact
    for (const [i, p] of fixture.sweep.entries()) {
      const ours = r.points[i];
      expect(ours.k).toBe(p.k);
      expect(ours.inertia).toBeLessThanOrEqual(p.inertia * 1.01);
      // Where the partition is sklearn's, the silhouette is too (to 1e-8: the sweep keeps its
      // distance matrix in float32).
      const again = kmeans(v, { k: p.k, seed: 1 });
      expect(again.inertia).toBe(ours.inertia);
      if (adjustedRandIndex(again.labels, p.labels) === 1) expect(ours.silhouette as number).toBeCloseTo(p.silhouette, 8);
    }
    // The elbow and the silhouette peak both at the true k = 4.
    const best = r.points.reduce((a, b) => ((b.silhouette ?? -2) > (a.silhouette ?? -2) ? b : a));
    expect(best.k).toBe(4);
    expect(r.points.find((p) => p.k === 4)?.silhouette as number).toBeCloseTo(fixture.sweep.find((p) => p.k === 4)?.silhouette as number, 8);
  });

  it('computes the silhouette on a seeded sample when n is large, close to the full value', () => {
    const full = kSweep(v, { ks: [4], seed: 1 });
    const sampled = kSweep(v, { ks: [4], seed: 1, silhouetteSampleSize: 150 });
    expect(sampled.silhouetteSampleSize).toBe(150);
    expect(Math.abs((sampled.points[0].silhouette as number) - (full.points[0].silhouette as number))).toBeLessThan(0.03);
    expect(sampled.points[0].inertia).toBe(full.points[0].inertia);
  });

  it('refuses k below 2', () => {
    expect(() => kSweep(v, { ks: [1, 2] })).toThrow(RangeError);
  });
});
