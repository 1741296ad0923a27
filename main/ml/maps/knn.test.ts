// Nearest neighbours against a brute-force sort written out here (every distance, sorted), and
// NN-descent's recall against the exact graph.
import { describe, expect, it } from 'vitest';
import { blobs } from '../../../test/fixtures/sklearn/maps';
import { nearestNeighbours, type Metric } from './knn';

function sortedNeighbours(x: Float32Array, n: number, d: number, k: number, metric: Metric): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const all: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dot = 0;
      let ni = 0;
      let nj = 0;
      let sq = 0;
      for (let c = 0; c < d; c++) {
        dot += x[i * d + c] * x[j * d + c];
        ni += x[i * d + c] ** 2;
        nj += x[j * d + c] ** 2;
        sq += (x[i * d + c] - x[j * d + c]) ** 2;
      }
      all.push([metric === 'cosine' ? 1 - dot / Math.sqrt(ni * nj) : Math.sqrt(sq), j]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push(all.slice(0, k).map(([, j]) => j));
  }
  return out;
}

describe('nearestNeighbours', () => {
  const { x, n, d } = blobs();

  it.each(['euclidean', 'cosine'] as const)('%s, exact: the k nearest of a full sort, with their distances', async (metric) => {
    const k = 10;
    const g = await nearestNeighbours(x, n, d, k, metric, { method: 'exact' });
    expect(g.exact).toBe(true);
    const expected = sortedNeighbours(x, n, d, k, metric);
    for (let i = 0; i < n; i++) expect(Array.from(g.indices.subarray(i * k, i * k + k)), `row ${i}`).toEqual(expected[i]);
    // Distances ascend and the first is the true one.
    const a = x.subarray(0, d);
    const b = x.subarray(g.indices[0] * d, g.indices[0] * d + d);
    const direct = metric === 'cosine'
      ? 1 - a.reduce((s, v, c) => s + v * b[c], 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0))
      : Math.sqrt(a.reduce((s, v, c) => s + (v - b[c]) ** 2, 0));
    expect(g.distances[0]).toBeCloseTo(direct, 12);
    for (let i = 0; i < n; i++) for (let t = 1; t < k; t++) expect(g.distances[i * k + t]).toBeGreaterThanOrEqual(g.distances[i * k + t - 1]);
  });

  it.each(['euclidean', 'cosine'] as const)('%s, NN-descent: recall ≥ 0.99 against the exact graph', async (metric) => {
    const k = 14;
    const exact = await nearestNeighbours(x, n, d, k, metric, { method: 'exact' });
    const approx = await nearestNeighbours(x, n, d, k, metric, { method: 'nnDescent', seed: 3 });
    expect(approx.exact).toBe(false);
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const truth = new Set(exact.indices.subarray(i * k, i * k + k));
      for (let t = 0; t < k; t++) if (truth.has(approx.indices[i * k + t])) hits++;
      expect(approx.indices.subarray(i * k, i * k + k).includes(i)).toBe(false);
    }
    expect(hits / (n * k)).toBeGreaterThanOrEqual(0.99);
  });

  it('puts a zero row at cosine distance 1 from every other', async () => {
    const z = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1]); // rows (0,0), (1,0), (0,1), (1,1)
    const g = await nearestNeighbours(z, 4, 2, 3, 'cosine', { method: 'exact' });
    expect(Array.from(g.distances.subarray(0, 3))).toEqual([1, 1, 1]);
    expect(g.indices[3]).toBe(3); // row 1's nearest is (1,1), at 1 − 1/√2
    expect(g.distances[3]).toBeCloseTo(1 - Math.SQRT1_2, 15);
  });
});
