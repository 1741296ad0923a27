// k-means as scikit-learn 1.2.1's sklearn.cluster.KMeans(algorithm='lloyd') computes it: greedy
// k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful seeding",
// with sklearn's 2 + ⌊ln k⌋ local trials per centre), Lloyd iterations until the labels stop
// changing or the centres move less than sklearn's tolerance, n_init restarts keeping the lowest
// inertia, and an empty cluster re-seeded with the point farthest from its centre
// (sklearn/cluster/_kmeans.py, _k_means_common.pyx, _k_means_lloyd.pyx).
//
// Random draws come from common/random.ts (mulberry32), not numpy's generator, so a run matches
// sklearn's in kind (the same local optima, the same inertia on separable data) and not draw for
// draw. The same seed gives the same result, and restart r depends only on (seed, r).
//
// Distances are ‖x‖² + ‖c‖² − 2 x·c, with the dot products blocked 4 × 4 over the float32 rows
// (vectors.ts dotBlock) and every sum in float64.
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import { silhouetteFromDistances } from './metrics';
import { checkVectors, dotBlock, metricSpace, pairBlock, rowSquaredNorms, type ClusterMetric, type Vectors } from './vectors';

export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. */
  k: number;
  /**
   * 'euclidean' (default, as sklearn's KMeans) clusters the vectors as they are. 'cosine' scales
   * every vector to unit length first (as `KMeans().fit(normalize(X))`), so only direction counts,
   * which is what sentence embeddings are usually compared by; centroids are then means of unit
   * vectors (not renormalised) and inertia is measured in that space. The caller picks: the
   * topics workflow offers both, with cosine for embeddings.
   */
  metric?: ClusterMetric;
  /** Restarts from fresh k-means++ seeds, the lowest inertia kept. Default 10: sklearn 1.2.1's n_init (1.4 changed it to 'auto', one run for k-means++). */
  nInit?: number;
  /** Lloyd iterations per restart at most. Default 300: sklearn's max_iter. */
  maxIter?: number;
  /** Convergence when the summed squared centre shift is at most tol × the mean per-feature variance of the data. Default 1e-4: sklearn's tol, scaled as sklearn's _tolerance scales it. */
  tol?: number;
  /** Seed of every random draw. Default 0. */
  seed?: number;
  /**
   * Starting centres instead of k-means++ (sklearn's init=ndarray), in the clustered space (unit
   * length for cosine is not enforced: they are used as given). One run then, as sklearn, which
   * ignores n_init with explicit centres. [k, d]
   */
  init?: Float32Array;
  /** k-means++ candidates tried per centre. Default 2 + ⌊ln k⌋: sklearn's n_local_trials (Arthur & Vassilvitskii's suggestion). */
  nLocalTrials?: number;
  /** After each Lloyd iteration: done and total in iterations, total = nInit × maxIter (a restart that converges early jumps to its share's end). */
  onProgress?: (done: number, total: number) => void;
  /** Checked before every Lloyd iteration and every k-means++ centre; true throws ShirabeError('cancelled'). */
  shouldStop?: () => boolean;
}

export interface KMeansRestart {
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface KMeansResult {
  k: number;
  metric: ClusterMetric;
  /** Cluster of each vector, 0…k−1. [n] */
  labels: Int32Array;
  /** The cluster centres (for cosine, in the unit-length space). [k, d] row-major */
  centroids: Float32Array;
  /** Vectors per cluster (0 only when there are fewer distinct vectors than k). [k] */
  sizes: Int32Array;
  /** Sum of squared euclidean distances of the vectors to their centres (sklearn's inertia_). */
  inertia: number;
  /** Lloyd iterations of the kept restart (sklearn's n_iter_). */
  iterations: number;
  /** Whether the kept restart stopped by the labels or the tolerance rather than maxIter. */
  converged: boolean;
  /** Every restart in order, the kept one among them. */
  restarts: KMeansRestart[];
  /** Index of the kept restart. */
  bestRestart: number;
}

/** Rows per block of the assignment step: a block's dot products ([rows, k]) stay in cache. */
const CHUNK = 256;

/** The data as k-means sees it: the float32 rows, each scaled by `scale[i]` (cosine) or not. */
interface Space {
  x: Float32Array;
  n: number;
  d: number;
  /** 1/‖x_i‖ (0 for a zero row) under cosine, null under euclidean. [n] */
  scale: Float64Array | null;
  /** ‖scale_i · x_i‖². [n] */
  norms: Float64Array;
}

function spaceOf(v: Vectors, metric: ClusterMetric): Space {
  const norms = rowSquaredNorms(v.data, v.n, v.d);
  if (metric === 'euclidean') return { x: v.data, n: v.n, d: v.d, scale: null, norms };
  const scale = metricSpace(v, 'cosine').inverseNorms as Float64Array;
  for (let i = 0; i < v.n; i++) norms[i] = scale[i] > 0 ? norms[i] * scale[i] * scale[i] : 0;
  return { x: v.data, n: v.n, d: v.d, scale, norms };
}

/** Mean over features of each feature's variance (numpy's np.var, ddof 0), in the scaled space. */
function meanVariance(s: Space): number {
  const { x, n, d, scale } = s;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const sc = scale ? scale[i] : 1;
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j] * sc;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sc = scale ? scale[i] : 1;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const t = x[o + j] * sc - mean[j];
      total += t * t;
    }
  }
  return total / n / d;
}

function stopIfAsked(shouldStop: (() => boolean) | undefined): void {
  if (shouldStop?.()) throw new ShirabeError('cancelled');
}

/** Copies scaled row i into row `slot` of a float64 [·, d] block. */
function copyRow(s: Space, i: number, into: Float64Array, slot: number): void {
  const sc = s.scale ? s.scale[i] : 1;
  const o = i * s.d;
  const t = slot * s.d;
  for (let j = 0; j < s.d; j++) into[t + j] = s.x[o + j] * sc;
}

function squaredNormsOf(c: Float64Array, m: number, d: number): Float64Array {
  const out = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += c[q * d + j] * c[q * d + j];
    out[q] = t;
  }
  return out;
}

/**
 * k-means++ seeding as sklearn's _kmeans_plusplus: the first centre uniformly at random, then for
 * each next centre `trials` candidates drawn with probability ∝ D(x)² and the one that lowers the
 * potential most kept. Returns the chosen row indices. [k]
 */
function seedCentres(s: Space, k: number, trials: number, rand: () => number, shouldStop?: () => boolean): Int32Array {
  const { n, d, norms } = s;
  const chosen = new Int32Array(k);
  chosen[0] = Math.min(n - 1, Math.floor(rand() * n));
  const closest = new Float64Array(n); // D(x)² to the nearest chosen centre
  const cand = new Float64Array(trials * d); // [trials, d]
  const candDist = new Float64Array(trials * n); // [trials, n]
  const dots = new Float64Array(CHUNK * trials);
  const cumsum = new Float64Array(n);

  const distancesTo = (m: number, candNorms: Float64Array, write: (q: number, i: number, dist: number) => void) => {
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      dotBlock(s.x, d, start, end, cand, m, dots);
      for (let i = start; i < end; i++) {
        const sc = s.scale ? s.scale[i] : 1;
        const r = (i - start) * m;
        for (let q = 0; q < m; q++) write(q, i, Math.max(0, norms[i] + candNorms[q] - 2 * sc * dots[r + q]));
      }
    }
  };

  copyRow(s, chosen[0], cand, 0);
  distancesTo(1, squaredNormsOf(cand, 1, d), (_q, i, dist) => (closest[i] = dist));
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i];

  for (let c = 1; c < k; c++) {
    stopIfAsked(shouldStop);
    let acc = 0;
    for (let i = 0; i < n; i++) cumsum[i] = acc += closest[i];
    const ids = new Int32Array(trials);
    for (let q = 0; q < trials; q++) {
      // np.searchsorted(cumsum, u · potential) (side 'left'), clipped to the last index.
      const target = rand() * potential;
      let lo = 0, hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumsum[mid] < target) lo = mid + 1;
        else hi = mid;
      }
      ids[q] = Math.min(lo, n - 1);
      copyRow(s, ids[q], cand, q);
    }
    distancesTo(trials, squaredNormsOf(cand, trials, d), (q, i, dist) => (candDist[q * n + i] = Math.min(closest[i], dist)));
    let best = 0;
    let bestPot = Infinity;
    for (let q = 0; q < trials; q++) {
      let pot = 0;
      for (let i = 0; i < n; i++) pot += candDist[q * n + i];
      if (pot < bestPot) {
        bestPot = pot;
        best = q;
      }
    }
    potential = bestPot;
    closest.set(candDist.subarray(best * n, (best + 1) * n));
    chosen[c] = ids[best];
  }
  return chosen;
}

/**
 * The E-step (and, with `sums`, the M-step's sums) over every row: labels[i] = the nearest centre
 * (the first of equals, as sklearn's strict `<`), minDist[i] = its squared distance, clipped at 0.
 * centres: [k, d]; sums: [k, d]; counts: [k].
 */
function assign(
  s: Space,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  minDist: Float64Array,
  sums: Float64Array | null,
  counts: Float64Array | null,
): void {
  const { x, n, d, scale, norms } = s;
  const cNorms = squaredNormsOf(centres, k, d);
  const dots = new Float64Array(CHUNK * k); // [CHUNK, k]
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    dotBlock(x, d, start, end, centres, k, dots);
    for (let i = start; i < end; i++) {
      const sc = scale ? scale[i] : 1;
      const r = (i - start) * k;
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = cNorms[c] - 2 * sc * dots[r + c];
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      labels[i] = best;
      minDist[i] = Math.max(0, norms[i] + bestDist);
      if (sums && counts) {
        const o = i * d;
        const t = best * d;
        for (let j = 0; j < d; j++) sums[t + j] += x[o + j] * sc;
        counts[best] += 1;
      }
    }
  }
}

/**
 * sklearn's _relocate_empty_clusters_dense: each empty cluster takes one of the points farthest
 * from their (old) centres, which leaves its old cluster's sums. Labels are left as they are; the
 * next E-step reassigns. sums: [k, d] (before averaging); counts: [k].
 */
function relocateEmpty(s: Space, labels: Int32Array, minDist: Float64Array, sums: Float64Array, counts: Float64Array, k: number): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  // The len(empty) largest distances, largest first (ties: lower index first).
  const far: number[] = [];
  let maxDist = 0;
  for (let i = 0; i < s.n; i++) {
    const v = minDist[i];
    if (v > maxDist) maxDist = v;
    if (far.length === empty.length && v <= minDist[far[far.length - 1]]) continue;
    let at = far.length;
    while (at > 0 && minDist[far[at - 1]] < v) at--;
    far.splice(at, 0, i);
    if (far.length > empty.length) far.pop();
  }
  // More clusters than distinct points: relocating would move nothing (sklearn returns here too).
  if (maxDist === 0) return;
  const d = s.d;
  for (let e = 0; e < empty.length; e++) {
    const to = empty[e];
    const i = far[e];
    const from = labels[i];
    const sc = s.scale ? s.scale[i] : 1;
    for (let j = 0; j < d; j++) {
      const v = s.x[i * d + j] * sc;
      sums[from * d + j] -= v;
      sums[to * d + j] = v;
    }
    counts[to] = 1;
    counts[from] -= 1;
  }
}

/** Σ ‖x̂_i − c_{labels[i]}‖², by differences (sklearn's _inertia_dense). */
function inertiaOf(s: Space, centres: Float64Array, labels: Int32Array): number {
  const { x, n, d, scale } = s;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sc = scale ? scale[i] : 1;
    const o = i * d;
    const t = labels[i] * d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const u = x[o + j] * sc - centres[t + j];
      v += u * u;
    }
    total += v;
  }
  return total;
}

/** sklearn's _is_same_clustering: a and b are the same partition (b = a relabelled). */
function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (map[a[i]] === -1) map[a[i]] = b[i];
    else if (map[a[i]] !== b[i]) return false;
  }
  return true;
}

interface SingleRun extends KMeansRestart {
  labels: Int32Array;
  centres: Float64Array;
}

/** One restart: sklearn's _kmeans_single_lloyd from the given starting centres. [k, d] */
function lloyd(s: Space, start: Float64Array, k: number, maxIter: number, tolAbs: number, tick: (iteration: number) => void, shouldStop?: () => boolean): SingleRun {
  const { n, d } = s;
  let centres: Float64Array = start;
  let next: Float64Array = new Float64Array(k * d); // [k, d]
  const counts = new Float64Array(k);
  const labels = new Int32Array(n).fill(-1);
  const labelsOld = new Int32Array(n).fill(-1);
  const minDist = new Float64Array(n);
  let strict = false;
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIter; iteration++) {
    stopIfAsked(shouldStop);
    next.fill(0);
    counts.fill(0);
    assign(s, centres, k, labels, minDist, next, counts);
    relocateEmpty(s, labels, minDist, next, counts, k);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // sklearn's _average_centers: a cluster still empty keeps its (zero) sums.
      const inv = counts[c] > 0 ? 1 / counts[c] : 1;
      for (let j = 0; j < d; j++) {
        const v = next[c * d + j] * inv;
        next[c * d + j] = v;
        const u = v - centres[c * d + j];
        shift += u * u;
      }
    }
    [centres, next] = [next, centres];
    tick(iteration + 1);
    let same = true;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== labelsOld[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
    labelsOld.set(labels);
  }
  // Out of the loop without strict convergence: labels were assigned to the previous centres, so
  // assign once more (sklearn reruns the E-step with update_centers=False).
  if (!strict) assign(s, centres, k, labels, minDist, null, null);
  return {
    labels,
    centres,
    inertia: inertiaOf(s, centres, labels),
    iterations: Math.min(iteration + 1, maxIter),
    converged,
  };
}

/** k-means clustering of the n vectors (see the file's header for the algorithm and its source). */
export function kmeans(vectors: Vectors, options: KMeansOptions): KMeansResult {
  checkVectors(vectors);
  const { k } = options;
  const metric = options.metric ?? 'euclidean';
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const seed = options.seed ?? 0;
  const trials = options.nLocalTrials ?? 2 + Math.floor(Math.log(k));
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1 (got ${k})`);
  if (vectors.n < k) throw new ShirabeError('kmeansTooFewPoints', { k, points: vectors.n });
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`nInit must be a whole number ≥ 1 (got ${nInit})`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`maxIter must be a whole number ≥ 1 (got ${maxIter})`);
  if (!(tol >= 0)) throw new RangeError(`tol must be ≥ 0 (got ${tol})`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`nLocalTrials must be a whole number ≥ 1 (got ${trials})`);

  const { init } = options;
  if (init !== undefined && init.length !== k * vectors.d) throw new RangeError(`init holds ${init.length} numbers, not k × d = ${k} × ${vectors.d}`);

  const s = spaceOf(vectors, metric);
  const tolAbs = meanVariance(s) * tol;
  const runs = init === undefined ? nInit : 1;
  const total = runs * maxIter;
  const restarts: KMeansRestart[] = [];
  let best: SingleRun | null = null;
  let bestRestart = 0;
  for (let r = 0; r < runs; r++) {
    let start: Float64Array; // [k, d]
    if (init === undefined) {
      const seeds = seedCentres(s, k, trials, mulberry32(deriveSeed(seed, r)), options.shouldStop);
      start = new Float64Array(k * vectors.d);
      for (let c = 0; c < k; c++) copyRow(s, seeds[c], start, c);
    } else {
      start = Float64Array.from(init);
    }
    const run = lloyd(s, start, k, maxIter, tolAbs, (it) => options.onProgress?.(r * maxIter + it, total), options.shouldStop);
    options.onProgress?.((r + 1) * maxIter, total);
    restarts.push({ inertia: run.inertia, iterations: run.iterations, converged: run.converged });
    // sklearn keeps a later run only if it is better and not the same partition (float noise).
    if (best === null || (run.inertia < best.inertia && !sameClustering(run.labels, best.labels, k))) {
      best = run;
      bestRestart = r;
    }
  }
  const kept = best as SingleRun;
  const sizes = new Int32Array(k);
  for (let i = 0; i < vectors.n; i++) sizes[kept.labels[i]]++;
  return {
    k,
    metric,
    labels: kept.labels,
    centroids: Float32Array.from(kept.centres),
    sizes,
    inertia: kept.inertia,
    iterations: kept.iterations,
    converged: kept.converged,
    restarts,
    bestRestart,
  };
}

// ---------------------------------------------------------------- k sweep

export interface KSweepOptions extends Omit<KMeansOptions, 'k' | 'onProgress'> {
  /** The k values to try, each ≥ 2 (silhouette needs two clusters); e.g. 2…30. */
  ks: readonly number[];
  /**
   * Vectors the silhouette is computed on. Default 4,000. Silhouette compares every pair, n²
   * distances; on a seeded sample of 4,000 (the same for every k) the 4,000 × 4,000 distance
   * matrix (61 MiB as float32) is computed once and shared by every k, so each k adds only
   * 16 M additions; and the mean of 4,000 per-point values is known to about ±0.003 (their
   * spread is typically ≤ 0.2; 0.2/√4000), finer than the steps between neighbouring k that a
   * researcher reads the curve for. With n ≤ the sample size every vector is used (exact).
   */
  silhouetteSampleSize?: number;
  /** done, total in k-means iterations (each k counts nInit × maxIter), after each iteration. */
  onProgress?: (done: number, total: number) => void;
}

export interface KSweepPoint {
  k: number;
  /** The kept restart's inertia: for the elbow curve. */
  inertia: number;
  /** Mean silhouette on the sample, in the clustering's metric; null where the sample holds fewer than two clusters or no two points apart. */
  silhouette: number | null;
  iterations: number;
  converged: boolean;
}

export interface KSweepResult {
  metric: ClusterMetric;
  points: KSweepPoint[];
  /** Vectors the silhouettes were computed on (n when n ≤ the sample size). */
  silhouetteSampleSize: number;
}

/**
 * k-means for each k of `ks` with the same options and seed, so that kmeans({ k, seed }) gives
 * exactly the point's clustering again; inertia (elbow) and mean silhouette (on a seeded sample
 * shared across k) per k.
 */
export function kSweep(vectors: Vectors, options: KSweepOptions): KSweepResult {
  checkVectors(vectors);
  const { ks, onProgress, silhouetteSampleSize, ...rest } = options;
  const metric = rest.metric ?? 'euclidean';
  for (const k of ks) if (!Number.isInteger(k) || k < 2) throw new RangeError(`every k of a sweep must be a whole number ≥ 2 (got ${k})`);
  const n = vectors.n;
  const wanted = silhouetteSampleSize ?? 4000;
  if (!Number.isInteger(wanted) || wanted < 2) throw new RangeError(`silhouetteSampleSize must be a whole number ≥ 2 (got ${wanted})`);
  const m = Math.min(n, wanted);
  // The sample: the first m of a seeded permutation (as sklearn's silhouette_score(sample_size=)), or every vector.
  const sample = m === n ? Int32Array.from({ length: n }, (_, i) => i) : Int32Array.from(permutation(n, mulberry32(deriveSeed(rest.seed ?? 0, 0x511)))).subarray(0, m);
  const sub = new Float32Array(m * vectors.d);
  for (let t = 0; t < m; t++) sub.set(vectors.data.subarray(sample[t] * vectors.d, (sample[t] + 1) * vectors.d), t * vectors.d);
  const distances = new Float32Array(m * m); // [m, m]
  const space = metricSpace({ data: sub, n: m, d: vectors.d }, metric);
  const rows = Math.max(1, Math.min(m, Math.floor(65536 / m) * 4)); // a float64 block of about 2 MiB
  const block = new Float64Array(rows * m); // [rows, m]
  for (let r0 = 0; r0 < m; r0 += rows) {
    const r1 = Math.min(m, r0 + rows);
    pairBlock(space, r0, r1, 0, m, block);
    distances.set(block.subarray(0, (r1 - r0) * m), r0 * m);
  }

  const perK = (rest.nInit ?? 10) * (rest.maxIter ?? 300);
  const total = ks.length * perK;
  const points: KSweepPoint[] = [];
  ks.forEach((k, index) => {
    const result = kmeans(vectors, { ...rest, k, onProgress: (done) => onProgress?.(index * perK + done, total) });
    const labels = new Int32Array(m);
    for (let t = 0; t < m; t++) labels[t] = result.labels[sample[t]];
    points.push({ k, inertia: result.inertia, silhouette: silhouetteFromDistances(distances, labels), iterations: result.iterations, converged: result.converged });
  });
  return { metric, points, silhouetteSampleSize: m };
}
