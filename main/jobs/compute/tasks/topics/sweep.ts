// The k sweep: k-means for every k of a range on an embedding run's vectors (optionally in a
// UMAP-reduced space, as a clustering's), with the inertia of the kept restart (the elbow curve),
// the mean silhouette and, against the gold labels, NMI and ARI per k. The restarts, their seeds
// and the silhouette's sample are a clustering's (cluster.ts), so the clustering of the chosen k
// with the same seed, restarts and reduction is the sweep's point again.
//
// kSweep in ml/cluster/kmeans.ts runs every k in one synchronous call; here each restart is its own
// kmeans() call so that cancel is read between restarts and between k values. The silhouette's
// distances are computed once, on the sample, and shared by every k (as kSweep does).
import type { KSweepConfig, KSweepPoint } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../../../common/random';
import { kmeans, type KMeansResult } from '../../../../ml/cluster/kmeans';
import { adjustedRandIndex, normalizedMutualInfo, silhouetteFromDistances } from '../../../../ml/cluster/metrics';
import { metricSpace, pairBlock, type ClusterMetric, type Vectors } from '../../../../ml/cluster/vectors';
import { umap } from '../../../../ml/maps/umap';
import { defineTask, type TaskContext } from '../../task';

/** Silhouette on a seeded sample beyond this many documents, as a clustering's (its [m, m] float32 distances are 95 MiB at 5,000). */
export const SILHOUETTE_SAMPLE = 5_000;

export interface KSweepInput {
  config: Omit<KSweepConfig, 'embeddingRunId'>;
  /** [n, d] row-major: the embedding run's vectors, in document order. */
  vectors: Float32Array;
  dimensions: number;
  /** [n] each document's gold label index, -1 where it has none; null when the corpus has no labels. */
  gold: Int32Array | null;
  /** Documents the silhouette is computed on at most (default SILHOUETTE_SAMPLE). */
  silhouetteSample?: number;
}

export interface KSweepOutput {
  points: KSweepPoint[];
  /** The k with the highest silhouette (the first of equals), null when no k has one. */
  suggested: number | null;
  /** Documents the silhouettes were computed on (n when n ≤ the sample size). */
  silhouetteSampleSize: number;
}

/**
 * The silhouette's sample, as silhouetteScore draws it (the first m of a permutation seeded by
 * deriveSeed(seed, 0x511); every row in order when n ≤ m), and its [m, m] distance matrix.
 */
async function sampleDistances(space: Vectors, metric: ClusterMetric, seed: number, wanted: number, ctx: TaskContext<never>): Promise<{ rows: Int32Array; distances: Float32Array }> {
  const { n, d } = space;
  const m = Math.min(n, wanted);
  const rows = m === n ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.from(permutation(n, mulberry32(deriveSeed(seed, 0x511))).slice(0, m));
  const sub = new Float32Array(m * d);
  rows.forEach((r, t) => sub.set(space.data.subarray(r * d, (r + 1) * d), t * d));
  const pairs = metricSpace({ data: sub, n: m, d }, metric);
  const distances = new Float32Array(m * m); // [m, m]
  const step = Math.max(1, Math.min(m, Math.floor(262_144 / m))); // a float64 block of about 2 MiB
  const block = new Float64Array(step * m); // [step, m]
  for (let r0 = 0; r0 < m; r0 += step) {
    await ctx.checkCancel();
    const r1 = Math.min(m, r0 + step);
    pairBlock(pairs, r0, r1, 0, m, block);
    distances.set(block.subarray(0, (r1 - r0) * m), r0 * m);
  }
  return { rows, distances };
}

export const kSweep = defineTask<KSweepInput, never, KSweepOutput>({
  async run(input, ctx) {
    const { config, dimensions: d, gold } = input;
    const n = input.vectors.length / d;
    if (!Number.isInteger(n)) throw new ShirabeError('internal', { detail: `kSweep: ${input.vectors.length} values are not rows of ${d}` });
    if (config.from > config.to) throw new ShirabeError('kSweepRangeEmpty', { from: config.from, to: config.to });
    const ks = Array.from({ length: config.to - config.from + 1 }, (_, i) => config.from + i);
    const R = config.restarts;
    const total = ks.length * R + 1 + (config.reduce ? 1 : 0);
    let done = 0;

    let space: Vectors = { data: input.vectors, n, d };
    if (config.reduce) {
      if (config.reduce.neighbours >= n) throw new ShirabeError('mapTooFewForNeighbours', { neighbours: config.reduce.neighbours, documents: n });
      const reduced = await umap(input.vectors, n, d, { nComponents: config.reduce.dimensions, nNeighbors: config.reduce.neighbours, minDist: 0, metric: config.metric, seed: config.seed }, { checkCancel: () => ctx.checkCancel() });
      space = { data: reduced.embedding, n, d: config.reduce.dimensions };
      ctx.progress(++done, total);
    }
    const sample = await sampleDistances(space, config.metric, config.seed, input.silhouetteSample ?? SILHOUETTE_SAMPLE, ctx);
    ctx.progress(++done, total);
    const labelled = gold ? Int32Array.from({ length: n }, (_, i) => i).filter((i) => gold[i] >= 0) : new Int32Array(0);
    const goldOf = Int32Array.from(labelled, (i) => gold![i]);

    const points: KSweepPoint[] = [];
    for (const k of ks) {
      // A clustering's restarts: restart r seeded by (seed, r), the lowest inertia kept.
      let best: KMeansResult | null = null;
      for (let r = 0; r < R; r++) {
        await ctx.checkCancel();
        const one = kmeans(space, { k, metric: config.metric, nInit: 1, seed: deriveSeed(config.seed, r) });
        if (!best || one.inertia < best.inertia) best = one;
        ctx.progress(++done, total);
      }
      const labels = best!.labels;
      const silhouette = silhouetteFromDistances(sample.distances, Int32Array.from(sample.rows, (i) => labels[i]));
      let nmi: number | null = null;
      let ari: number | null = null;
      if (labelled.length > 0) {
        const predicted = Int32Array.from(labelled, (i) => labels[i]);
        nmi = normalizedMutualInfo(goldOf, predicted);
        ari = adjustedRandIndex(goldOf, predicted);
      }
      points.push({ k, inertia: best!.inertia, silhouette, nmi, ari });
    }
    let suggested: number | null = null;
    let top = -Infinity;
    for (const p of points) {
      if (p.silhouette !== null && p.silhouette > top) {
        top = p.silhouette;
        suggested = p.k;
      }
    }
    return { points, suggested, silhouetteSampleSize: sample.rows.length };
  },
});
