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
// Distances are ‖x‖² + ‖c‖² − 2 x·c. The dot products come from dots.ts: a WebAssembly SIMD
// kernel in float32 lanes where the runtime has one, with a stated error bound; a point whose two
// nearest centres are closer than that bound allows is measured again in float64, so every label
// is the one float64 arithmetic gives. Without SIMD, the blocked float64 JavaScript kernel.
// Hamerly's bounds (Hamerly 2010) skip the points whose label provably cannot change; the labels,
// centres and iteration counts stay Lloyd's.
//
// k-means++ draws its candidates from the kernel's distances, so a seed gives the same result on
// every runtime with WebAssembly SIMD (every one Shirabe supports); the JavaScript fallback, if it
// is ever used, may seed differently, by float32 rounding of the sampling weights.
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import { silhouetteFromDistances } from './metrics';
import { dotKernel, KERNEL_ROWS, type DotKernel } from './dots';
import { checkVectors, metricSpace, pairBlock, rowSquaredNorms, type ClusterMetric, type Vectors } from './vectors';

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
  /**
   * Skip the distances that Hamerly's bounds prove cannot change a label (default true). The
   * labels, centres and iterations are Lloyd's either way; false measures every distance in every
   * iteration, as sklearn's algorithm='lloyd' does (for checking and benchmarking).
   */
  pruning?: boolean;
  /**
   * Use the WebAssembly SIMD kernel where the runtime has one (default true). The labels are the
   * same either way (see the header); false runs the float64 JavaScript kernel alone.
   */
  simd?: boolean;
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

/** Rows per kernel call. */
const CHUNK = KERNEL_ROWS;

/** The data as k-means sees it: the float32 rows, each scaled by `scale[i]` (cosine) or not. */
interface Space {
  x: Float32Array;
  n: number;
  d: number;
  /** 1/‖x_i‖ (0 for a zero row) under cosine, null under euclidean. [n] */
  scale: Float64Array | null;
  /** ‖scale_i · x_i‖². [n] */
  norms: Float64Array;
  /** The dot products of rows with centres. */
  kernel: DotKernel;
}

function spaceOf(v: Vectors, metric: ClusterMetric, maxCentres: number, simd: boolean): Space {
  const norms = rowSquaredNorms(v.data, v.n, v.d);
  let largest = 0; // max ‖x_i‖², which bounds every |x_ij|²
  for (let i = 0; i < v.n; i++) if (norms[i] > largest) largest = norms[i];
  const kernel = dotKernel(v.data, v.n, v.d, maxCentres, simd, largest);
  if (metric === 'euclidean') return { x: v.data, n: v.n, d: v.d, scale: null, norms, kernel };
  // 1/‖x_i‖, and 0 for a zero row, which then stays zero (as sklearn's normalize leaves it).
  const scale = new Float64Array(v.n);
  for (let i = 0; i < v.n; i++) {
    scale[i] = norms[i] > 0 ? 1 / Math.sqrt(norms[i]) : 0;
    norms[i] = norms[i] > 0 ? norms[i] * scale[i] * scale[i] : 0;
  }
  return { x: v.data, n: v.n, d: v.d, scale, norms, kernel };
}

/**
 * Mean over features of each feature's variance (numpy's np.var, ddof 0), in the scaled space:
 * Σ_j var_j = mean ‖x̂_i‖² − ‖mean x̂‖², from the norms already at hand and one pass for the mean;
 * where that difference loses more than half its digits to cancellation (data far from the
 * origin), numpy's two passes instead.
 */
function meanVariance(s: Space): number {
  const { x, n, d, scale, norms } = s;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const sc = scale ? scale[i] : 1;
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j] * sc;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  let meanNorm = 0;
  for (let i = 0; i < n; i++) meanNorm += norms[i];
  meanNorm /= n;
  let centre = 0;
  for (let j = 0; j < d; j++) centre += mean[j] * mean[j];
  const quick = meanNorm - centre;
  if (quick > 1e-8 * meanNorm) return quick / d;
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
    s.kernel.setCentres(cand, m);
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      s.kernel.dots(start, end, dots);
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
 * Where every point stands in a run: its label and Hamerly's bounds (Hamerly 2010, "Making k-means
 * even faster", SDM), an upper bound on the distance to its own centre and a lower bound on the
 * distance to every other. While the bounds prove the own centre nearest, the point's distances
 * are not computed again; the labels are exactly Lloyd's, only fewer distances are measured.
 */
interface Assignment {
  /** [n]; -1 before the first E-step. */
  labels: Int32Array;
  /** ≥ ‖x̂_i − c_label‖. [n] */
  upper: Float64Array;
  /** ≤ min over other centres c of ‖x̂_i − c‖. [n] */
  lower: Float64Array;
  /** Label changes in the last E-step (point, old label), for the sums and the convergence test. */
  changed: Int32Array;
  changedFrom: Int32Array;
  changedCount: number;
}

function newAssignment(n: number): Assignment {
  return {
    labels: new Int32Array(n).fill(-1),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    changed: new Int32Array(n),
    changedFrom: new Int32Array(n),
    changedCount: 0,
  };
}

function setLabel(a: Assignment, i: number, label: number): void {
  const old = a.labels[i];
  if (old === label) return;
  a.changed[a.changedCount] = i;
  a.changedFrom[a.changedCount] = old;
  a.changedCount++;
  a.labels[i] = label;
}

/**
 * The full E-step for the listed rows (all rows when `rows` is null): every distance, from the
 * kernel's dot products; label = the nearest centre (the first of equals, as sklearn's strict
 * `<`), and fresh bounds. Where the kernel's rounding (its stated bound, twice, plus a float64
 * margin) could reorder the two nearest centres, the row is measured again in float64, so the
 * label is float64 Lloyd's. centres: [k, d]; cNorms: [k]; rows: [count].
 */
function assignAll(s: Space, centres: Float64Array, cNorms: Float64Array, k: number, a: Assignment, rows: Int32Array | null, count: number): void {
  const { x, d, scale, norms, kernel } = s;
  const dots = new Float64Array(CHUNK * k); // [CHUNK, k]
  let cMax = 0;
  for (let c = 0; c < k; c++) cMax = Math.max(cMax, Math.sqrt(cNorms[c]));
  const beta = kernel.relativeError;
  kernel.setCentres(centres, k);
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    if (rows) kernel.dotsOf(rows, start, end, dots);
    else kernel.dots(start, end, dots);
    for (let t = start; t < end; t++) {
      const i = rows ? rows[t] : t;
      const sc = scale ? scale[i] : 1;
      const r = (t - start) * k;
      let best = 0;
      let first = Infinity;
      let second = Infinity;
      for (let c = 0; c < k; c++) {
        const v = cNorms[c] - 2 * sc * dots[r + c];
        if (v < first) {
          second = first;
          first = v;
          best = c;
        } else if (v < second) {
          second = v;
        }
      }
      // |error of each v| ≤ 2 β ‖x̂‖ ‖c‖ from the kernel, plus float64's rounding of the form.
      const slack = 2 * beta * Math.sqrt(norms[i]) * cMax + 1e-12 * (norms[i] + cMax * cMax) + 1e-30;
      if (second - first <= 2 * slack) {
        // Measured again in float64, in the order of the JavaScript kernel (so both kernels agree).
        const o = i * d;
        first = Infinity;
        second = Infinity;
        for (let c = 0; c < k; c++) {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += x[o + j] * centres[c * d + j];
          const v = cNorms[c] - 2 * sc * dot;
          if (v < first) {
            second = first;
            first = v;
            best = c;
          } else if (v < second) {
            second = v;
          }
        }
        setLabel(a, i, best);
        a.upper[i] = Math.sqrt(Math.max(0, norms[i] + first));
        a.lower[i] = second === Infinity ? Infinity : Math.sqrt(Math.max(0, norms[i] + second));
      } else {
        setLabel(a, i, best);
        a.upper[i] = Math.sqrt(Math.max(0, norms[i] + first + slack));
        a.lower[i] = second === Infinity ? Infinity : Math.sqrt(Math.max(0, norms[i] + second - slack));
      }
    }
  }
}

/**
 * The E-step after centres moved by `shifts` (‖new − old‖ per centre): Hamerly's test on each
 * point, u + δ(own) against max(half the distance from its centre to the nearest other centre,
 * l − the largest other shift); where it fails, every distance. A margin covers the rounding of the
 * ‖x‖² + ‖c‖² − 2x·c form (1e-12 of the squared norms, far above float64's), so a point is only
 * skipped where Lloyd's own comparison would keep its label too.
 */
function assignPruned(s: Space, centres: Float64Array, cNorms: Float64Array, k: number, a: Assignment, shifts: Float64Array): void {
  const { n, d, norms } = s;
  let maxShift = 0;
  let maxAt = -1;
  let secondShift = 0;
  for (let c = 0; c < k; c++) {
    if (shifts[c] > maxShift) {
      secondShift = maxShift;
      maxShift = shifts[c];
      maxAt = c;
    } else if (shifts[c] > secondShift) {
      secondShift = shifts[c];
    }
  }
  // Half the distance from each centre to its nearest other centre. [k]
  const half = new Float64Array(k).fill(Infinity);
  let maxNorm2 = 0;
  for (let c = 0; c < k; c++) {
    maxNorm2 = Math.max(maxNorm2, cNorms[c]);
    for (let q = c + 1; q < k; q++) {
      let v = 0;
      for (let j = 0; j < d; j++) {
        const u = centres[c * d + j] - centres[q * d + j];
        v += u * u;
      }
      const h = Math.sqrt(v) / 2;
      if (h < half[c]) half[c] = h;
      if (h < half[q]) half[q] = h;
    }
  }
  const todo = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const own = a.labels[i];
    let u = a.upper[i] + shifts[own];
    const l = a.lower[i] - (own === maxAt ? secondShift : maxShift);
    a.lower[i] = l;
    const m = l > half[own] ? l : half[own];
    a.upper[i] = u;
    const margin = (2e-12 * (norms[i] + maxNorm2)) / (m + u);
    if (u + margin < m) continue;
    // Hamerly would now measure the distance to the own centre alone and test again; with the SIMD
    // kernel one float64 distance costs as much as several of the block's, so the point goes
    // straight to the full step.
    todo[count++] = i;
  }
  if (count > 0) assignAll(s, centres, cNorms, k, a, todo, count);
}

/**
 * sklearn's _relocate_empty_clusters_dense: each empty cluster takes one of the points farthest
 * from their (old) centres, which leaves its old cluster's sums. Labels are left as they are; the
 * next E-step reassigns. sums: [k, d] (before averaging, this iteration's copy); counts: [k].
 */
function relocateEmpty(s: Space, labels: Int32Array, oldCentres: Float64Array, sums: Float64Array, counts: Float64Array, k: number): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const { x, n, d, scale } = s;
  // As sklearn: ((X − centers_old[labels])²).sum(axis=1), by differences.
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sc = scale ? scale[i] : 1;
    const o = i * d;
    const t = labels[i] * d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const u = x[o + j] * sc - oldCentres[t + j];
      v += u * u;
    }
    dist[i] = v;
  }
  // The len(empty) largest distances, largest first (ties: lower index first).
  const far: number[] = [];
  let maxDist = 0;
  for (let i = 0; i < n; i++) {
    const v = dist[i];
    if (v > maxDist) maxDist = v;
    if (far.length === empty.length && v <= dist[far[far.length - 1]]) continue;
    let at = far.length;
    while (at > 0 && dist[far[at - 1]] < v) at--;
    far.splice(at, 0, i);
    if (far.length > empty.length) far.pop();
  }
  // More clusters than distinct points: relocating would move nothing (sklearn returns here too).
  if (maxDist === 0) return;
  for (let e = 0; e < empty.length; e++) {
    const to = empty[e];
    const i = far[e];
    const from = labels[i];
    const sc = scale ? scale[i] : 1;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j] * sc;
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
function lloyd(
  s: Space,
  start: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
  pruning: boolean,
  tick: (iteration: number) => void,
  shouldStop?: () => boolean,
): SingleRun {
  const { x, n, d, scale } = s;
  let centres: Float64Array = start;
  const a = newAssignment(n);
  // Σ of the (scaled) vectors per current label, kept up to date from the label changes. [k, d]
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const shifts = new Float64Array(k); // ‖new − old‖ per centre, for the bounds
  const eStep = (first: boolean) => {
    a.changedCount = 0;
    const cNorms = squaredNormsOf(centres, k, d);
    if (first || !pruning) assignAll(s, centres, cNorms, k, a, null, n);
    else assignPruned(s, centres, cNorms, k, a, shifts);
  };
  let strict = false;
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIter; iteration++) {
    stopIfAsked(shouldStop);
    eStep(iteration === 0);
    for (let t = 0; t < a.changedCount; t++) {
      const i = a.changed[t];
      const from = a.changedFrom[t];
      const to = a.labels[i];
      const sc = scale ? scale[i] : 1;
      const o = i * d;
      if (from >= 0) {
        for (let j = 0; j < d; j++) sums[from * d + j] -= x[o + j] * sc;
        counts[from] -= 1;
      }
      for (let j = 0; j < d; j++) sums[to * d + j] += x[o + j] * sc;
      counts[to] += 1;
    }
    // This iteration's centres: the sums (relocated, as sklearn, on a copy) over the counts.
    const next = Float64Array.from(sums); // [k, d]
    const nextCounts = Float64Array.from(counts);
    relocateEmpty(s, a.labels, centres, next, nextCounts, k);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      // sklearn's _average_centers: a cluster still empty keeps its (zero) sums.
      const inv = nextCounts[c] > 0 ? 1 / nextCounts[c] : 1;
      let moved = 0;
      for (let j = 0; j < d; j++) {
        const v = next[c * d + j] * inv;
        next[c * d + j] = v;
        const u = v - centres[c * d + j];
        moved += u * u;
      }
      shifts[c] = Math.sqrt(moved);
      shift += moved;
    }
    centres = next;
    tick(iteration + 1);
    // Labels unchanged since the last E-step (the first one always changes them, from -1).
    if (a.changedCount === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  // Out of the loop without strict convergence: labels were assigned to the previous centres, so
  // assign once more (sklearn reruns the E-step with update_centers=False).
  if (!strict) eStep(false);
  return {
    labels: a.labels,
    centres,
    inertia: inertiaOf(s, centres, a.labels),
    iterations: Math.min(iteration + 1, maxIter),
    converged,
  };
}

interface Resolved {
  k: number;
  metric: ClusterMetric;
  nInit: number;
  maxIter: number;
  tol: number;
  seed: number;
  trials: number;
}

/** The options with their defaults, checked against the vectors. */
function resolve(vectors: Vectors, options: KMeansOptions): Resolved {
  const { k } = options;
  const r: Resolved = {
    k,
    metric: options.metric ?? 'euclidean',
    nInit: options.nInit ?? 10,
    maxIter: options.maxIter ?? 300,
    tol: options.tol ?? 1e-4,
    seed: options.seed ?? 0,
    trials: options.nLocalTrials ?? 2 + Math.floor(Math.log(k)),
  };
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a whole number ≥ 1 (got ${k})`);
  if (vectors.n < k) throw new ShirabeError('kmeansTooFewPoints', { k, points: vectors.n });
  if (!Number.isInteger(r.nInit) || r.nInit < 1) throw new RangeError(`nInit must be a whole number ≥ 1 (got ${r.nInit})`);
  if (!Number.isInteger(r.maxIter) || r.maxIter < 1) throw new RangeError(`maxIter must be a whole number ≥ 1 (got ${r.maxIter})`);
  if (!(r.tol >= 0)) throw new RangeError(`tol must be ≥ 0 (got ${r.tol})`);
  if (!Number.isInteger(r.trials) || r.trials < 1) throw new RangeError(`nLocalTrials must be a whole number ≥ 1 (got ${r.trials})`);
  if (options.init !== undefined && options.init.length !== k * vectors.d) throw new RangeError(`init holds ${options.init.length} numbers, not k × d = ${k} × ${vectors.d}`);
  return r;
}

/** The restarts on a prepared space (shared by every k of a sweep). */
function run(s: Space, tolAbs: number, o: Resolved, options: KMeansOptions): KMeansResult {
  const { k, maxIter } = o;
  const { init } = options;
  const runs = init === undefined ? o.nInit : 1;
  const total = runs * maxIter;
  const restarts: KMeansRestart[] = [];
  let best: SingleRun | null = null;
  let bestRestart = 0;
  for (let r = 0; r < runs; r++) {
    let start: Float64Array; // [k, d]
    if (init === undefined) {
      const seeds = seedCentres(s, k, o.trials, mulberry32(deriveSeed(o.seed, r)), options.shouldStop);
      start = new Float64Array(k * s.d);
      for (let c = 0; c < k; c++) copyRow(s, seeds[c], start, c);
    } else {
      start = Float64Array.from(init);
    }
    const single = lloyd(s, start, k, maxIter, tolAbs, options.pruning ?? true, (it) => options.onProgress?.(r * maxIter + it, total), options.shouldStop);
    options.onProgress?.((r + 1) * maxIter, total);
    restarts.push({ inertia: single.inertia, iterations: single.iterations, converged: single.converged });
    // sklearn keeps a later run only if it is better and not the same partition (float noise).
    if (best === null || (single.inertia < best.inertia && !sameClustering(single.labels, best.labels, k))) {
      best = single;
      bestRestart = r;
    }
  }
  const kept = best as SingleRun;
  const sizes = new Int32Array(k);
  for (let i = 0; i < s.n; i++) sizes[kept.labels[i]]++;
  return {
    k,
    metric: o.metric,
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

/** k-means clustering of the n vectors (see the file's header for the algorithm and its source). */
export function kmeans(vectors: Vectors, options: KMeansOptions): KMeansResult {
  checkVectors(vectors);
  const o = resolve(vectors, options);
  const s = spaceOf(vectors, o.metric, Math.max(o.k, o.trials), options.simd ?? true);
  return run(s, meanVariance(s) * o.tol, o, options);
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

  // One prepared space (norms, kernel, tolerance) for every k: only the restarts differ.
  const resolved = ks.map((k) => resolve(vectors, { ...rest, k }));
  const s = spaceOf(vectors, metric, Math.max(...resolved.map((o) => Math.max(o.k, o.trials))), rest.simd ?? true);
  const tolAbs = meanVariance(s) * (rest.tol ?? 1e-4);
  const perK = (rest.nInit ?? 10) * (rest.maxIter ?? 300);
  const total = ks.length * perK;
  const points: KSweepPoint[] = [];
  resolved.forEach((o, index) => {
    const result = run(s, tolAbs, o, { ...rest, k: o.k, onProgress: (done) => onProgress?.(index * perK + done, total) });
    const labels = new Int32Array(m);
    for (let t = 0; t < m; t++) labels[t] = result.labels[sample[t]];
    points.push({ k: o.k, inertia: result.inertia, silhouette: silhouetteFromDistances(distances, labels), iterations: result.iterations, converged: result.converged });
  });
  return { metric, points, silhouetteSampleSize: m };
}
