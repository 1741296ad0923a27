// A 2-D map of an embedding run: UMAP, t-SNE or PCA, with its trustworthiness (how well it keeps
// each document's neighbours; sklearn's, k = 10) on a seeded sample.
import type { MapConfig } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../../../common/random';
import type { MapControl } from '../../../../ml/maps/control';
import { pca } from '../../../../ml/maps/pca';
import { trustworthiness } from '../../../../ml/maps/trustworthiness';
import { tsne } from '../../../../ml/maps/tsne';
import { umap } from '../../../../ml/maps/umap';
import { defineTask, type TaskContext } from '../../task';

export interface MapInput {
  config: MapConfig;
  /** [n, d] row-major: the embedding run's vectors, in document order. */
  vectors: Float32Array;
  dimensions: number;
}

export interface MapOutput {
  /** [n, 2] row-major. */
  coords: Float32Array;
  trustworthiness: number | null;
}

/** Trustworthiness is O(n²·d): measured on this many documents at most (a seeded sample). */
const TRUST_SAMPLE = 2_000;
/** Its neighbourhood size: 10, as the acceptance check (sklearn's default is 5). */
const TRUST_K = 10;

async function project(input: MapInput, n: number, control: MapControl): Promise<Float32Array> {
  const { config, vectors, dimensions: d } = input;
  if (config.method === 'tsne' && config.perplexity >= n) throw new ShirabeError('mapPerplexityTooLarge', { perplexity: config.perplexity, documents: n });
  if (config.method === 'umap' && config.neighbours >= n) throw new ShirabeError('mapTooFewForNeighbours', { neighbours: config.neighbours, documents: n });
  switch (config.method) {
    case 'pca':
      return pca(vectors, n, d, 2, { seed: config.seed }).transformed;
    case 'umap':
      return (await umap(vectors, n, d, { nComponents: 2, nNeighbors: config.neighbours, minDist: config.minDist, metric: config.metric, seed: config.seed }, control)).embedding;
    case 'tsne':
      return (await tsne(vectors, n, d, { perplexity: config.perplexity, metric: config.metric, seed: config.seed }, control)).embedding;
  }
}

function sampledTrust(input: MapInput, coords: Float32Array, n: number): number | null {
  const d = input.dimensions;
  const m = Math.min(n, TRUST_SAMPLE);
  if (m < 2 * TRUST_K + 2) return null;
  const order = n > m ? permutation(n, mulberry32(deriveSeed(input.config.seed, 7))).slice(0, m) : Array.from({ length: n }, (_, i) => i);
  const x = new Float32Array(m * d);
  const y = new Float32Array(m * 2);
  order.forEach((r, i) => {
    x.set(input.vectors.subarray(r * d, (r + 1) * d), i * d);
    y.set(coords.subarray(r * 2, r * 2 + 2), i * 2);
  });
  return trustworthiness(x, y, m, d, 2, TRUST_K, input.config.metric);
}

export const projectMap = defineTask<MapInput, never, MapOutput>({
  async run(input, ctx: TaskContext<never>) {
    const n = input.vectors.length / input.dimensions;
    const control: MapControl = { checkCancel: () => ctx.checkCancel(), onProgress: (p) => ctx.progress(p.done, p.total) };
    const coords = await project(input, n, control);
    await ctx.checkCancel();
    return { coords, trustworthiness: sampledTrust(input, coords, n) };
  },
  transfer: (o) => [o.coords.buffer as ArrayBuffer],
});
