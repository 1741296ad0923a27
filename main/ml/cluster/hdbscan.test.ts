// Expected clusters: worked out by hand below (core distances, the spanning tree, the condensed
// tree and its stabilities, step by step), and the behaviour the `hdbscan` package's own test
// suite asserts on its test data (scikit-learn-contrib/hdbscan 0.8.43, hdbscan/tests/test_hdbscan.py;
// the point sets are rebuilt with scikit-learn 1.2.1 in scripts/fixtures/make_cluster_fixtures.py
// and stored, as float32, in test/fixtures/sklearn/cluster.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import { ShirabeError } from '../../../common/errors';
import type { ClusterFixture } from './fixture';
import { vectorsOf } from './fixture';
import { hdbscan, hdbscanMaxPoints } from './hdbscan';
import { adjustedRandIndex } from './metrics';
import type { Vectors } from './vectors';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/sklearn/cluster.json'), 'utf8')) as ClusterFixture;
const line = (xs: number[]): Vectors => ({ data: Float32Array.from(xs), n: xs.length, d: 1 });

describe('hdbscan, worked by hand', () => {
  // Nine points on a line: A = 0, 1, 2, 3; B = 10, 11, 12, 13; and 30 far away. minClusterSize 3,
  // minSamples 2 (the 2nd nearest other point).
  //   core distances: 0 → 2, 1 → 1, 2 → 1, 3 → 2; the same in B; 30 → 18 (13 at 17, 12 at 18).
  //   mutual reachability max(core a, core b, d): 1–2 and 11–12 at 1; 0, 3 join A (and 10, 13
  //   join B) at 2; A–B via 3–10 at 7; 30 via 13 at 18.
  //   condensed tree (λ = 1/distance): from the root, 30 leaves at 1/18; at 1/7 the root splits
  //   into A and B (4 points each ≥ 3: two clusters); within A, at distance 2 the pieces are all
  //   smaller than 3, so 0, 1, 2, 3 leave A together at λ = 1/2; the same in B.
  //   stability(A) = Σ (λ_leave − λ_birth) = 4 × (1/2 − 1/7) = 10/7 = stability(B); neither has
  //   child clusters, so excess of mass keeps both (the root is never kept without
  //   allowSingleCluster). 30 left the root itself: noise.
  //   probabilities: each point leaves at λ 1/2, the clusters' largest λ: all 1.
  //   persistence: stability / (size × the tree's largest λ) = (10/7) / (4 × 1/2) = 5/7.
  const points = line([0, 1, 2, 3, 10, 11, 12, 13, 30]);

  it('finds A and B and marks 30 as noise', () => {
    const r = hdbscan(points, { minClusterSize: 3, minSamples: 2 });
    expect(Array.from(r.coreDistances)).toEqual([2, 1, 1, 2, 2, 1, 1, 2, 18]);
    expect(Array.from(r.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, -1]);
    expect(Array.from(r.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(r.clusters).toBe(2);
    r.persistence.forEach((p) => expect(p).toBeCloseTo(5 / 7, 14));
  });

  it('gives the condensed tree worked out above', () => {
    const { condensedTree: t } = hdbscan(points, { minClusterSize: 3, minSamples: 2 });
    const rows = Array.from(t.parent, (p, i) => [p, t.child[i], t.lambda[i], t.childSize[i]]);
    // Clusters are numbered from n = 9 (the root), in breadth-first order.
    expect(rows).toEqual([
      [9, 8, 1 / 18, 1],
      [9, 10, 1 / 7, 4],
      [9, 11, 1 / 7, 4],
      [10, 3, 0.5, 1],
      [11, 7, 0.5, 1],
      [10, 0, 0.5, 1],
      [10, 1, 0.5, 1],
      [10, 2, 0.5, 1],
      [11, 4, 0.5, 1],
      [11, 5, 0.5, 1],
      [11, 6, 0.5, 1],
    ]);
  });

  // Two densities and three stray points: dense D = 0, 1/8, 2/8, 3/8, 4/8; sparse S = 10 … 14
  // (spacing 1); strays at −20, 30, 50. minClusterSize 3, minSamples 2.
  //   cores: D's ends 1/4, inner 1/8; S's ends 2, inner 1; −20 → 20.125, 30 → 17, 50 → 36.
  //   D joins S at max(9.5, 1/4, 2) = 9.5; the strays leave the root at 1/36, 1/20.125, 1/17.
  //   At λ = 1/9.5 the root splits into D and S (5 points each: two clusters). In D, at distance
  //   1/4 the end points leave one by one (λ 4) and {1/8, 2/8, 3/8} goes on until 1/8, where it
  //   falls apart into pieces below 3 (λ 8): no child clusters, so D is kept; the same for S
  //   (λ 1/2, then 1). One cluster per density, which no single distance threshold (DBSCAN's
  //   eps) gives: eps ≥ 1 merges nothing here but eps < 1 loses S.
  //   probabilities: D's ends 4/8 = 0.5, inner 1; S's ends (1/2)/1 = 0.5, inner 1.
  it('keeps a dense and a sparse cluster apart and the strays as noise', () => {
    const r = hdbscan(line([0, 0.125, 0.25, 0.375, 0.5, 10, 11, 12, 13, 14, -20, 30, 50]), { minClusterSize: 3, minSamples: 2 });
    expect(r.clusters).toBe(2);
    expect(Array.from(r.labels.subarray(10))).toEqual([-1, -1, -1]);
    expect(new Set(r.labels.subarray(0, 5)).size).toBe(1);
    expect(new Set(r.labels.subarray(5, 10)).size).toBe(1);
    expect(r.labels[0]).not.toBe(r.labels[5]);
    expect(Array.from(r.probabilities)).toEqual([0.5, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 0.5, 0, 0, 0]);
    expect(Array.from(r.coreDistances)).toEqual([0.25, 0.125, 0.125, 0.125, 0.25, 2, 1, 1, 1, 2, 20.125, 17, 36]);
  });

  it('finds nothing in fewer points than minClusterSize, and everything is noise', () => {
    const r = hdbscan(line([0, 1, 2]), { minClusterSize: 5 });
    expect(r.clusters).toBe(0);
    expect(Array.from(r.labels)).toEqual([-1, -1, -1]);
    expect(hdbscan(line([4]), {}).labels[0]).toBe(-1);
  });
});

describe('hdbscan on generated blobs with a noise ring', () => {
  // Three 2-D blobs of 40 points (σ 0.3) at (0, 0), (5, 5), (−5, 5), and twelve points on a
  // circle of radius 12, 6.2 apart from each other and far from every blob: three clusters, the
  // ring all noise.
  const gauss = normals(mulberry32(deriveSeed(17, 1)));
  const centres = [[0, 0], [5, 5], [-5, 5]];
  const xs: number[] = [];
  const truth: number[] = [];
  centres.forEach(([cx, cy], c) => {
    for (let i = 0; i < 40; i++) {
      xs.push(cx + 0.3 * gauss(), cy + 0.3 * gauss());
      truth.push(c);
    }
  });
  for (let i = 0; i < 12; i++) {
    xs.push(12 * Math.cos((i * Math.PI) / 6), 12 * Math.sin((i * Math.PI) / 6) + 2);
    truth.push(-1);
  }
  const v: Vectors = { data: Float32Array.from(xs), n: 132, d: 2 };

  it('recovers the blobs, with the ring as noise', () => {
    const r = hdbscan(v, { minClusterSize: 10 });
    expect(r.clusters).toBe(3);
    expect(Array.from(r.labels.subarray(120))).toEqual(Array(12).fill(-1));
    for (let c = 0; c < 3; c++) {
      const mine = Array.from(r.labels.subarray(c * 40, c * 40 + 40));
      const clustered = mine.filter((l) => l >= 0);
      expect(new Set(clustered).size).toBe(1);
      expect(clustered.length).toBeGreaterThanOrEqual(36); // a fringe point may be left as noise
    }
  });

  it('gives the same clusters under cosine for directions that differ', () => {
    const dirs = vectorsOf(fixture.datasets.directions);
    const r = hdbscan(dirs, { minClusterSize: 10, metric: 'cosine' });
    const keep = Array.from(r.labels.keys()).filter((i) => r.labels[i] >= 0);
    expect(r.clusters).toBe(3);
    expect(keep.length).toBeGreaterThan(200);
    expect(adjustedRandIndex(keep.map((i) => r.labels[i]), keep.map((i) => fixture.datasets.directions.labels[i]))).toBe(1);
  });
});

describe("hdbscan as the package's own tests expect (hdbscan/tests/test_hdbscan.py)", () => {
  const X = vectorsOf(fixture.datasets.hdbscanBlobs);

  it('test_hdbscan_feature_vector / _generic: 3 clusters in its blobs with the defaults', () => {
    const r = hdbscan(X);
    expect(r.clusters).toBe(3);
    // …and they are make_blobs' three centres.
    const keep = Array.from(r.labels.keys()).filter((i) => r.labels[i] >= 0);
    expect(adjustedRandIndex(keep.map((i) => r.labels[i]), keep.map((i) => fixture.datasets.hdbscanBlobs.labels[i]))).toBe(1);
  });

  it('test_hdbscan_high_dimensional: 3 clusters in 64 dimensions', () => {
    expect(hdbscan(vectorsOf(fixture.datasets.hdbscanHighDimensional)).clusters).toBe(3);
  });

  it('test_hdbscan_no_clusters: none with min_cluster_size = n + 1', () => {
    expect(hdbscan(X, { minClusterSize: X.n + 1 }).clusters).toBe(0);
  });

  it('test_hdbscan_min_cluster_size: no cluster smaller than min_cluster_size, for every size 2…n', () => {
    for (let m = 2; m <= X.n; m++) {
      const r = hdbscan(X, { minClusterSize: m });
      const sizes = new Array<number>(r.clusters).fill(0);
      for (const l of r.labels) if (l >= 0) sizes[l]++;
      if (sizes.length) expect(Math.min(...sizes), `min_cluster_size ${m}`).toBeGreaterThanOrEqual(m);
    }
  });

  it('test_hdbscan_caching: min_samples 5 gives as many clusters with min_cluster_size 5 as with 6', () => {
    expect(hdbscan(X, { minSamples: 5, minClusterSize: 6 }).clusters).toBe(hdbscan(X, { minSamples: 5 }).clusters);
  });

  it('test_hdbscan_allow_single_cluster_with_epsilon: uniform noise, allow_single_cluster → one cluster and 46 noise points', () => {
    const r = hdbscan(vectorsOf(fixture.datasets.hdbscanNoStructure), { minClusterSize: 5, allowSingleCluster: true });
    expect(new Set(r.labels).size).toBe(2);
    expect(Array.from(r.labels).filter((l) => l === -1)).toHaveLength(46);
  });
});

describe('hdbscan: limits, progress, cancel', () => {
  it('states its limit by dimension and refuses more points with a coded error', () => {
    expect(hdbscanMaxPoints(768)).toBe(20_000);
    expect(hdbscanMaxPoints(5)).toBe(122_202);
    expect(hdbscanMaxPoints(2)).toBe(131_993);
    const n = hdbscanMaxPoints(2) + 1;
    try {
      hdbscan({ data: new Float32Array(n * 2), n, d: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ShirabeError);
      expect((e as ShirabeError).toInfo()).toEqual({ code: 'hdbscanTooManyPoints', params: { points: n, dimensions: 2, max: n - 1 } });
    }
  });

  it('reports progress to 2n and stops when asked', () => {
    const X = vectorsOf(fixture.datasets.hdbscanBlobs);
    const seen: number[] = [];
    hdbscan(X, { onProgress: (done, total) => {
      expect(total).toBe(400);
      seen.push(done);
    } });
    expect(seen[seen.length - 1]).toBe(400);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(() => hdbscan(X, { shouldStop: () => true })).toThrow(ShirabeError);
  });

  it('refuses minClusterSize below 2 and minSamples below 1', () => {
    const X = line([0, 1, 2, 3]);
    expect(() => hdbscan(X, { minClusterSize: 1 })).toThrow(RangeError);
    expect(() => hdbscan(X, { minSamples: 0 })).toThrow(RangeError);
  });
});
