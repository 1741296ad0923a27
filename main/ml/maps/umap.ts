// UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426) through umap-js 1.4 (the PAIR port of
// umap-learn), with its defaults set to umap-learn 0.5's and three of its parts replaced:
//
// - Nearest neighbours are ours (knn.ts), given to umap-js with setPrecomputedKNN. umap-js's own
//   search runs inside initializeFit with no progress or cancel, needs x as number[][] (600 MB
//   more for 100,000 × 768), never uses the exact search umap-learn uses below 4,096 points, and
//   splits its random-projection trees by euclidean hyperplanes whatever the metric (umap-learn
//   uses angular trees for cosine). Its lists do start with the point itself (its local join
//   pairs each candidate with itself at distance 0), which smoothKNNDistance relies on, so ours
//   do too: the point (distance 0), then its nNeighbors − 1 nearest others, as umap-learn's graph.
// - The initial layout is PCA scaled to ±10 with noise 1e-4 (umap-learn's init='pca') rather
//   than umap-js's uniform random one: random initialisation loses global structure (Kobak &
//   Linderman 2021, Nature Biotechnology 39:156), and umap-learn's spectral default needs a
//   sparse eigen-solver and a layout of disconnected components that umap-js does not have.
// - Epoch counts are umap-learn's (500 up to 10,000 points, else 200), not umap-js's 500…200 steps.
//
// Kept from umap-js as it is: the fuzzy simplicial set, the a/b curve fit and the SGD epochs
// (run one at a time through its step() API, with progress and cancel in between). Known
// differences that remain: its Levenberg–Marquardt fit of a, b is within 1% of umap-learn's
// scipy curve_fit for min_dist ≤ 0.25 but 6–50% off for min_dist ≥ 0.5 (not reachable through
// its public API); and its graph is a string-keyed Map, slow and large beyond 10⁴ points (see bench/maps.ts).
import { UMAP } from 'umap-js';
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import { checkpoint, type MapControl } from './control';
import { nearestNeighbours, type KnnOptions, type Metric } from './knn';
import { pca } from './pca';

export interface UmapOptions {
  /** 2 for a map; 5 to cluster in a reduced space, as BERTopic does (its UMAP n_components=5). */
  nComponents?: number;
  /** 15: umap-learn's and BERTopic's default; larger keeps more global structure. */
  nNeighbors?: number;
  /** 0.1: umap-learn's default (BERTopic uses 0.0 when clustering, to pack clusters tight). */
  minDist?: number;
  /** 'cosine': sentence embeddings are compared by angle (BERTopic's choice); umap-learn defaults to euclidean. */
  metric?: Metric;
  /** umap-learn's: 500 epochs up to 10,000 points, 200 beyond. */
  nEpochs?: number;
  /** 'pca' (see above); 'random' is umap-js's and umap-learn's uniform ±10. */
  init?: 'pca' | 'random';
  /** One seed for the neighbour search, the initial noise and the negative sampling: the same seed gives the same map. */
  seed?: number;
  /** How the neighbours are found (exact below 4,096 points, as umap-learn). */
  knn?: KnnOptions;
}

export interface UmapResult {
  /** [n, nComponents] row-major. */
  embedding: Float32Array;
  nComponents: number;
  epochs: number;
  /** Whether the neighbour graph was exact. */
  exactNeighbours: boolean;
}

export const umapDefaults = { nComponents: 2, nNeighbors: 15, minDist: 0.1, metric: 'cosine', init: 'pca', seed: 42 } as const;

/** UMAP of x ([n, d] row-major). */
export async function umap(x: ArrayLike<number>, n: number, d: number, options: UmapOptions = {}, control?: MapControl): Promise<UmapResult> {
  const nComponents = options.nComponents ?? umapDefaults.nComponents;
  const nNeighbors = options.nNeighbors ?? umapDefaults.nNeighbors;
  const minDist = options.minDist ?? umapDefaults.minDist;
  const metric = options.metric ?? umapDefaults.metric;
  const init = options.init ?? umapDefaults.init;
  const seed = options.seed ?? umapDefaults.seed;
  const nEpochs = options.nEpochs ?? (n <= 10_000 ? 500 : 200);
  if (x.length !== n * d) throw new RangeError(`umap: ${x.length} values for shape [${n}, ${d}]`);
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) throw new RangeError(`umap: nNeighbors = ${nNeighbors} must be an integer ≥ 2`);
  if (n <= nNeighbors) throw new RangeError(`umap: ${n} points are too few for nNeighbors = ${nNeighbors}`);
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > Math.min(d, 100)) throw new RangeError(`umap: nComponents = ${nComponents} must lie in 1…${Math.min(d, 100)}`);
  if (!(minDist >= 0)) throw new RangeError(`umap: minDist = ${minDist} must be ≥ 0`);
  if (!Number.isInteger(nEpochs) || nEpochs < 1) throw new RangeError(`umap: nEpochs = ${nEpochs} must be a positive integer`);

  const graph = await nearestNeighbours(x, n, d, nNeighbors - 1, metric, { seed: deriveSeed(seed, 1), ...options.knn }, control);
  // [n][nNeighbors]: the point itself at distance 0, then its neighbours, as umap-learn's graph.
  const knnIndices: number[][] = new Array(n);
  const knnDistances: number[][] = new Array(n);
  const k = graph.k;
  for (let i = 0; i < n; i++) {
    const idx = [i];
    const dist = [0];
    for (let t = 0; t < k; t++) {
      idx.push(graph.indices[i * k + t]);
      dist.push(graph.distances[i * k + t]);
    }
    knnIndices[i] = idx;
    knnDistances[i] = dist;
  }

  const model = new UMAP({ nComponents, nNeighbors, minDist, nEpochs, random: mulberry32(deriveSeed(seed, 2)) });
  model.setPrecomputedKNN(knnIndices, knnDistances);
  await checkpoint(control, 'initialisation', 0, 1);
  // With the neighbours given, umap-js reads only the number of rows of its input (checked
  // against umap-js 1.4.0's initializeFit, fuzzySimplicialSet and makeSearchGraph): empty rows
  // spare a number[][] copy of x (600 MB for 100,000 × 768).
  const rows: number[][] = Array.from({ length: n }, () => []);
  const epochs = model.initializeFit(rows);
  if (init === 'pca') {
    const start = pcaStart(x, n, d, nComponents, deriveSeed(seed, 3));
    // getEmbedding() is the very array the optimiser moves (head and tail embedding alike).
    const embedding = model.getEmbedding();
    for (let i = 0; i < n; i++) for (let c = 0; c < nComponents; c++) embedding[i][c] = start[i * nComponents + c];
  }
  await checkpoint(control, 'initialisation', 1, 1);
  for (let e = 0; e < epochs; e++) {
    model.step();
    await checkpoint(control, 'epochs', e + 1, epochs);
  }
  const out = model.getEmbedding();
  const embedding = new Float32Array(n * nComponents);
  for (let i = 0; i < n; i++) for (let c = 0; c < nComponents; c++) embedding[i * nComponents + c] = out[i][c];
  return { embedding, nComponents, epochs, exactNeighbours: graph.exact };
}

/** umap-learn's init='pca': PCA coordinates scaled so the largest is ±10, plus N(0, 1e-4²) noise to break ties. */
function pcaStart(x: ArrayLike<number>, n: number, d: number, m: number, seed: number): Float64Array {
  const scores = pca(x, n, d, m).transformed;
  let max = 0;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, Math.abs(scores[i]));
  const scale = max > 0 ? 10 / max : 1;
  const noise = normals(mulberry32(seed));
  const start = new Float64Array(n * m);
  for (let i = 0; i < start.length; i++) start[i] = Math.fround(scores[i] * scale) + 1e-4 * noise();
  return start;
}
