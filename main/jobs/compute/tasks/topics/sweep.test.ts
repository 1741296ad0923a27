// The k sweep task on synthetic vectors with known clusters: four well-separated Gaussian blobs,
// so the silhouette peaks at k = 4 and the labels are recovered there; inertia falls with k; the
// silhouette's sample is silhouetteScore's; progress per restart; cancel between restarts.
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed, mulberry32, normals } from '../../../../../common/random';
import { kmeans, type KMeansResult } from '../../../../ml/cluster/kmeans';
import { silhouetteScore } from '../../../../ml/cluster/metrics';
import type { TaskContext } from '../../task';
import { kSweep, type KSweepInput } from './sweep';

/** `perBlob` points around each of `blobs` centres 12 apart on their own axis, unit spread, in d dimensions; gold = the blob. */
function blobs(blobCount: number, perBlob: number, d: number, seed: number): { vectors: Float32Array; gold: Int32Array } {
  const z = normals(mulberry32(seed));
  const n = blobCount * perBlob;
  const vectors = new Float32Array(n * d);
  const gold = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % blobCount;
    gold[i] = b;
    for (let j = 0; j < d; j++) vectors[i * d + j] = z() + (j === b ? 12 : 0);
  }
  return { vectors, gold };
}

function context(options: { cancelAfter?: number } = {}) {
  const progress: [number, number][] = [];
  let looks = 0;
  const ctx = {
    jobId: 'test',
    backend: 'cpu',
    cancelled: () => false,
    yieldToMessages: async () => {},
    checkCancel: async () => {
      looks++;
      if (options.cancelAfter !== undefined && looks > options.cancelAfter) throw new ShirabeError('cancelled');
    },
    progress: (done: number, total: number) => void progress.push([done, total]),
    emit: () => {},
    morphology: () => Promise.reject(new Error('not needed')),
    registerGradients: () => {},
    models: { load: () => Promise.reject(new Error('not needed')), release: () => {} },
  } as unknown as TaskContext<never>;
  return { ctx, progress, looks: () => looks };
}

const d = 6;
const data = blobs(4, 40, d, 7);
const input = (config: Partial<KSweepInput['config']>, rest: Partial<KSweepInput> = {}): KSweepInput => ({
  config: { from: 2, to: 8, restarts: 4, metric: 'euclidean', reduce: null, seed: 42, ...config },
  vectors: data.vectors,
  dimensions: d,
  gold: data.gold,
  ...rest,
});

describe('kSweep task', () => {
  it('peaks its silhouette at the four blobs, recovers them there, and its inertia falls with k', async () => {
    const { ctx, progress } = context();
    const out = await kSweep.run(input({}), ctx);
    expect(out.points.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(out.suggested).toBe(4);
    expect(out.silhouetteSampleSize).toBe(160);
    const at4 = out.points.find((p) => p.k === 4)!;
    expect(at4.silhouette!).toBeGreaterThan(0.8);
    for (const p of out.points) if (p.k !== 4) expect(p.silhouette!).toBeLessThan(at4.silhouette!);
    expect(at4.nmi).toBeCloseTo(1, 12);
    expect(at4.ari).toBeCloseTo(1, 12);
    for (let i = 1; i < out.points.length; i++) expect(out.points[i].inertia).toBeLessThanOrEqual(out.points[i - 1].inertia * (1 + 1e-9));
    // The elbow: most of the fall is before k = 4.
    const [i2, i4, i8] = [2, 4, 8].map((k) => out.points.find((p) => p.k === k)!.inertia);
    expect(i2 - i4).toBeGreaterThan(10 * (i4 - i8));
    // One step for the silhouette's distances, then one per restart of every k.
    expect(progress.at(-1)).toEqual([1 + 7 * 4, 1 + 7 * 4]);
    expect(progress.map(([done]) => done)).toEqual(progress.map((_, i) => i + 1));
  });

  it('scores the clustering the cluster task would make, silhouette on the same seeded sample', async () => {
    const { ctx } = context();
    const out = await kSweep.run(input({ from: 3, to: 3, restarts: 3, metric: 'cosine', seed: 5 }, { silhouetteSample: 60 }), ctx);
    expect(out.silhouetteSampleSize).toBe(60);
    // cluster.ts's k-means: restart r seeded by (seed, r), the lowest inertia kept; its silhouette through silhouetteScore's sample.
    let best: KMeansResult | null = null;
    for (let r = 0; r < 3; r++) {
      const one = kmeans({ data: data.vectors, n: 160, d }, { k: 3, metric: 'cosine', nInit: 1, seed: deriveSeed(5, r) });
      if (!best || one.inertia < best.inertia) best = one;
    }
    expect(out.points[0].inertia).toBe(best!.inertia);
    const expected = silhouetteScore({ data: data.vectors, n: 160, d }, best!.labels, { metric: 'cosine', sampleSize: 60, seed: 5 });
    expect(out.points[0].silhouette!).toBeCloseTo(expected, 6);
  });

  it('leaves NMI and ARI out without gold labels', async () => {
    const out = await kSweep.run(input({ from: 2, to: 3, restarts: 1 }, { gold: null }), context().ctx);
    for (const p of out.points) expect([p.nmi, p.ari]).toEqual([null, null]);
  });

  it('stops between restarts when cancelled', async () => {
    // One look before the distances' only block, then one before every restart: cancel during k = 3.
    const { ctx, progress, looks } = context({ cancelAfter: 1 + 4 + 2 });
    await expect(kSweep.run(input({}), ctx)).rejects.toMatchObject({ code: 'cancelled' });
    expect(looks()).toBe(8);
    expect(progress.at(-1)![0]).toBe(1 + 4 + 2);
  });

  it('refuses an empty range', async () => {
    await expect(kSweep.run(input({ from: 5, to: 4 }), context().ctx)).rejects.toMatchObject({ code: 'kSweepRangeEmpty' });
  });
});
