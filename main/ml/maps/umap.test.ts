// UMAP has no scikit-learn reference (umap-learn is not packaged by Debian): these tests check
// what a map must do on data with known structure, with sklearn's trustworthiness (our port is
// checked against sklearn in trustworthiness.test.ts), and the behaviour a job needs.
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../common/errors';
import { blobs } from '../../../test/fixtures/sklearn/maps';
import { separation } from '../testing/separation';
import type { MapPhase } from './control';
import { trustworthiness } from './trustworthiness';
import { umap } from './umap';

describe('umap on five blobs in 50-D', () => {
  const { x, n, d, labels } = blobs();

  it.each(['cosine', 'euclidean'] as const)('%s: keeps neighbourhoods (trustworthiness ≥ 0.9 at k = 10) and separates the blobs', async (metric) => {
    const r = await umap(x, n, d, { metric, seed: 1 });
    expect(r.embedding.length).toBe(n * 2);
    expect(r.epochs).toBe(500); // umap-learn's count up to 10,000 points
    expect(r.exactNeighbours).toBe(true); // below 4,096 points, as umap-learn
    // About 0.94 here; PCA to 2-D reaches 0.909 and a shuffled map 0.498 (maps.json).
    expect(trustworthiness(x, r.embedding, n, d, 2, 10)).toBeGreaterThanOrEqual(0.9);
    // Every point nearer its own blob's centroid than any other's, and a silhouette in
    // Kaufman & Rousseeuw's "strong structure" band (> 0.7; ours are about 0.94).
    const s = separation(r.embedding, n, 2, labels);
    expect(s.nearestCentroidAgreement).toBe(1);
    expect(s.silhouette).toBeGreaterThan(0.7);
  });

  it('reduces to 5 dimensions for clustering, keeping neighbourhoods there', async () => {
    const r = await umap(x, n, d, { nComponents: 5, nEpochs: 200, seed: 2 });
    expect(r.embedding.length).toBe(n * 5);
    expect(trustworthiness(x, r.embedding, n, d, 5, 10)).toBeGreaterThanOrEqual(0.9);
    expect(separation(r.embedding, n, 5, labels).nearestCentroidAgreement).toBe(1);
  });

  // Determinism and control on the first 200 points and 50 epochs: quick, and enough to differ.
  const m = 200;
  const sub = x.subarray(0, m * d);

  it('gives the same map for the same seed, another for another seed', async () => {
    const a = await umap(sub, m, d, { seed: 5, nEpochs: 50 });
    const b = await umap(sub, m, d, { seed: 5, nEpochs: 50 });
    expect(Array.from(b.embedding)).toEqual(Array.from(a.embedding));
    const c = await umap(sub, m, d, { seed: 6, nEpochs: 50 });
    expect(Array.from(c.embedding)).not.toEqual(Array.from(a.embedding));
  });

  it('starts from the PCA layout it writes into umap-js (same seed, random start: another map)', async () => {
    const a = await umap(sub, m, d, { seed: 5, nEpochs: 50, init: 'pca' });
    const b = await umap(sub, m, d, { seed: 5, nEpochs: 50, init: 'random' });
    expect(Array.from(b.embedding)).not.toEqual(Array.from(a.embedding));
  });

  it('reports each phase and stops between epochs when cancelled', async () => {
    const phases = new Set<MapPhase>();
    let epochs = 0;
    const run = umap(sub, m, d, { seed: 1, nEpochs: 50 }, {
      onProgress: (p) => {
        phases.add(p.phase);
        if (p.phase === 'epochs') epochs = p.done;
      },
      shouldStop: () => epochs >= 10,
    });
    await expect(run).rejects.toBeInstanceOf(ShirabeError);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(epochs).toBe(10);
    expect([...phases]).toEqual(['neighbours', 'initialisation', 'epochs']);
  });

  it('awaits the caller between epochs (a compute task lets its cancel message in there)', async () => {
    let awaited = 0;
    await umap(sub, m, d, { seed: 1, nEpochs: 5 }, { checkCancel: async () => void awaited++ });
    expect(awaited).toBeGreaterThanOrEqual(5);
  });

  it('refuses fewer points than neighbours', async () => {
    await expect(umap(x.subarray(0, 10 * d), 10, d)).rejects.toThrow(RangeError);
  });
});
