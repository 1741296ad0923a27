// t-SNE (van der Maaten & Hinton 2008, JMLR 9:2579) as scikit-learn 1.2.1's TSNE runs it by
// default: perplexity-calibrated affinities (sklearn.manifold._utils._binary_search_perplexity),
// early exaggeration 12 for 250 iterations at momentum 0.5, then momentum 0.8, per-parameter
// gains (Jacobs 1988), learning rate 'auto' = max(n / 12 / 4, 50) (Belkina et al. 2019),
// PCA initialisation scaled to standard deviation 1e-4 (Kobak & Linderman 2021). Gradients are
// exact for small inputs and Barnes–Hut beyond (van der Maaten 2014, "Accelerating t-SNE using
// tree-based algorithms", JMLR 15:3221): a quadtree over the map summarises a cell of points by
// its centre of mass when the cell is small seen from the point, width² / distance² < θ².
// Both written here (no maintained JavaScript t-SNE has Barnes–Hut, seeds and PCA start).
// Checked against sklearn's affinities, objectives and optimiser steps in tsne.test.ts.
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import { checkpoint, type MapControl } from './control';
import { nearestNeighbours, type KnnOptions, type Metric } from './knn';
import { pca } from './pca';

/** np.finfo(np.double).eps: sklearn's floor under probabilities (MACHINE_EPSILON). */
const MACHINE_EPSILON = 2.220446049250313e-16;
/** np.finfo(np.float32).tiny, the floor inside sklearn's Barnes–Hut error. */
const FLOAT32_TINY = 1.1754943508222875e-38;

export interface TsneOptions {
  /** 30: sklearn's default; about the number of effective neighbours (5–50 is the usual range). */
  perplexity?: number;
  /** 12: sklearn's default since 0.22 (the 2014 paper's). */
  earlyExaggeration?: number;
  /** 'auto' = max(n / earlyExaggeration / 4, 50), sklearn ≥ 1.2's default. */
  learningRate?: number | 'auto';
  /** 1000: sklearn's default (n_iter; at least 250, the early-exaggeration phase). */
  nIter?: number;
  /** 300: sklearn's default; stop after this many iterations without a lower KL divergence (checked every 50). */
  nIterWithoutProgress?: number;
  /** 1e-7: sklearn's default; stop when the gradient's norm falls below it. */
  minGradNorm?: number;
  /** 'euclidean': sklearn's default (squared distances, as sklearn); 'cosine' squares the cosine distance, as sklearn does. */
  metric?: Metric;
  /** 'pca': sklearn ≥ 1.2's default (more stable global layout than 'random'). */
  init?: 'pca' | 'random';
  /** 'auto': exact up to EXACT_TSNE_LIMIT points, Barnes–Hut beyond. */
  method?: 'auto' | 'exact' | 'barnesHut';
  /** 0.5: sklearn's angle (θ); errors grow quickly above 0.8, time below 0.2. */
  angle?: number;
  seed?: number;
  /** How the Barnes–Hut method finds its 3 · perplexity + 1 neighbours (exact below TSNE_EXACT_KNN_BELOW points). */
  knn?: KnnOptions;
}

/**
 * Exact gradients up to this many points. An exact iteration costs n²/2 pair terms, a Barnes–Hut
 * one about n · 3·perplexity attractive terms plus n tree walks. Measured on the development
 * machine (2 cores, shared), whole runs of 1,000 iterations: 500 points 1.3 s exact against 1.2 s
 * Barnes–Hut; 1,000 points 6.1 against 3.8 ms an iteration; 2,000 points 17.8 against 8.3. Up to
 * 1,000 the exact method costs at most a few seconds more and keeps every pair's affinity
 * (sklearn's method='exact') rather than only the nearest neighbours'.
 */
export const EXACT_TSNE_LIMIT = 1000;

/**
 * Exact neighbours for the Barnes–Hut affinities below this many points. With k = 91 (perplexity
 * 30) NN-descent is slower than brute force at 10,000 × 768 (bench/maps.ts, two runs: 71 and
 * 126 s against 47 and 62 s exact); brute force grows as n², NN-descent about as n, so they
 * cross near 15,000–20,000 points, and below that the exact graph costs nothing extra.
 */
export const TSNE_EXACT_KNN_BELOW = 15_000;

export interface TsneResult {
  /** [n, 2] row-major. */
  embedding: Float32Array;
  klDivergence: number;
  /** Iterations run (sklearn's n_iter_ + 1). */
  iterations: number;
  method: 'exact' | 'barnesHut';
  learningRate: number;
}

/** Joint probabilities, dense (exact method, P [n, n] symmetric, zero diagonal) or sparse (CSR, symmetric). */
export type Affinities = { kind: 'dense'; n: number; p: Float64Array } | { kind: 'sparse'; n: number; indptr: Int32Array; indices: Int32Array; values: Float64Array };

/** t-SNE of x ([n, d] row-major) to 2-D. */
export async function tsne(x: ArrayLike<number>, n: number, d: number, options: TsneOptions = {}, control?: MapControl): Promise<TsneResult> {
  const perplexity = options.perplexity ?? 30;
  const exaggeration = options.earlyExaggeration ?? 12;
  const nIter = options.nIter ?? 1000;
  const seed = options.seed ?? 42;
  const metric = options.metric ?? 'euclidean';
  const angle = options.angle ?? 0.5;
  if (x.length !== n * d) throw new RangeError(`tsne: ${x.length} values for shape [${n}, ${d}]`);
  if (n < 2) throw new RangeError('tsne: needs at least 2 points');
  // sklearn's own checks.
  if (!(perplexity > 0) || perplexity >= n) throw new RangeError(`tsne: perplexity ${perplexity} must be positive and less than the ${n} points`);
  if (!(exaggeration >= 1)) throw new RangeError('tsne: earlyExaggeration must be ≥ 1');
  if (!Number.isInteger(nIter) || nIter < 250) throw new RangeError('tsne: nIter must be an integer ≥ 250');
  if (!(angle >= 0 && angle <= 1)) throw new RangeError('tsne: angle must lie in [0, 1]');
  const method = options.method === 'exact' || options.method === 'barnesHut' ? options.method : n <= EXACT_TSNE_LIMIT ? 'exact' : 'barnesHut';
  const learningRate = options.learningRate === undefined || options.learningRate === 'auto' ? Math.max(n / exaggeration / 4, 50) : options.learningRate;
  if (!(learningRate > 0)) throw new RangeError('tsne: learningRate must be positive');

  let affinities: Affinities;
  if (method === 'exact') {
    affinities = await exactAffinities(x, n, d, metric, perplexity, control);
  } else {
    const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
    const graph = await nearestNeighbours(x, n, d, k, metric, { seed: deriveSeed(seed, 1), exactBelow: TSNE_EXACT_KNN_BELOW, ...options.knn }, control);
    const squared = new Float64Array(graph.distances.length);
    for (let i = 0; i < squared.length; i++) squared[i] = graph.distances[i] * graph.distances[i];
    affinities = await sparseAffinities(graph.indices, squared, n, graph.k, perplexity, control);
  }

  const y = initialLayout(x, n, d, options.init ?? 'pca', deriveSeed(seed, 2));
  const objective = method === 'exact' ? (p: Float64Array, exag: number, err: boolean) => klExact(p, affinities, exag, err) : (p: Float64Array, exag: number, err: boolean) => klBarnesHut(p, affinities, angle, exag, err);
  const common = { learningRate, minGradNorm: options.minGradNorm ?? 1e-7, control, total: nIter };
  // Stage 1: exaggerated P, momentum 0.5, no stop for lack of progress within it (sklearn's _EXPLORATION_N_ITER).
  const first = await gradientDescent(objective, y, { ...common, it: 0, nIter: 250, momentum: 0.5, nIterWithoutProgress: 250, exaggeration });
  let last = first;
  // Stage 2: sklearn restarts the optimiser (fresh update and gains) with momentum 0.8.
  if (first.it < 250 || nIter > 250) {
    last = await gradientDescent(objective, first.p, { ...common, it: first.it + 1, nIter, momentum: 0.8, nIterWithoutProgress: options.nIterWithoutProgress ?? 300, exaggeration: 1 });
  }
  return { embedding: Float32Array.from(last.p), klDivergence: last.error, iterations: last.it + 1, method, learningRate };
}

/** sklearn's init: 'pca' = PCA scores / std(first column) · 1e-4; 'random' = N(0, 1e-4²). Returns [n, 2] float64. */
function initialLayout(x: ArrayLike<number>, n: number, d: number, init: 'pca' | 'random', seed: number): Float64Array {
  const y = new Float64Array(n * 2);
  if (init === 'random' || Math.min(n, d) < 2) {
    const g = normals(mulberry32(seed));
    for (let i = 0; i < y.length; i++) y[i] = 1e-4 * g();
    return y;
  }
  const scores = pca(x, n, d, 2).transformed; // float32, as sklearn casts its start
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[i * 2];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (scores[i * 2] - mean) ** 2;
  const scale = 1e-4 / Math.sqrt(v / n);
  for (let i = 0; i < y.length; i++) y[i] = scores[i] * scale;
  return y;
}

/**
 * sklearn's _binary_search_perplexity for one row: the conditional P of `row` (squared
 * distances, rounded to float32 as sklearn does) whose entropy is log(perplexity), in 100
 * bisection steps on the precision β at most, to 1e-5 in entropy. `skip` is the row's own
 * index in an all-pairs row (its probability stays 0), or −1.
 */
export function conditionalRow(row: Float64Array, skip: number, perplexity: number, out: Float64Array): void {
  const m = row.length;
  const desired = Math.log(perplexity);
  let betaMin = -Infinity;
  let betaMax = Infinity;
  let beta = 1;
  out.fill(0);
  for (let step = 0; step < 100; step++) {
    let sumP = 0;
    for (let j = 0; j < m; j++) {
      if (j === skip) continue;
      out[j] = Math.exp(-row[j] * beta);
      sumP += out[j];
    }
    if (sumP === 0) sumP = 1e-8; // sklearn's EPSILON_DBL
    let sumDistP = 0;
    for (let j = 0; j < m; j++) {
      out[j] /= sumP;
      sumDistP += row[j] * out[j];
    }
    const entropy = Math.log(sumP) + beta * sumDistP;
    const diff = entropy - desired;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      betaMin = beta;
      beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
    } else {
      betaMax = beta;
      beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
    }
  }
}

/** sklearn's _joint_probabilities: all pairs, P = max((C + Cᵀ) / ΣC, eps) off the diagonal. */
export async function exactAffinities(x: ArrayLike<number>, n: number, d: number, metric: Metric, perplexity: number, control?: MapControl): Promise<Affinities> {
  const sq = squaredDistanceMatrix(x, n, d, metric);
  return exactAffinitiesFromDistances(sq, n, perplexity, control);
}

/** The same from squared distances [n, n]. */
export async function exactAffinitiesFromDistances(sq: Float64Array, n: number, perplexity: number, control?: MapControl): Promise<Affinities> {
  const cond = new Float64Array(n * n);
  const row = new Float64Array(n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) row[j] = Math.fround(sq[i * n + j]);
    conditionalRow(row, i, perplexity, out);
    cond.set(out, i * n);
    if ((i + 1) % 256 === 0 || i === n - 1) await checkpoint(control, 'affinities', i + 1, n);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += cond[i * n + j] + cond[j * n + i];
  sum = Math.max(2 * sum, MACHINE_EPSILON); // ΣP over both triangles
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max((cond[i * n + j] + cond[j * n + i]) / sum, MACHINE_EPSILON);
      p[i * n + j] = v;
      p[j * n + i] = v;
    }
  }
  return { kind: 'dense', n, p };
}

/** Squared distances [n, n]: euclidean², or (1 − cos)² as sklearn squares non-euclidean metrics. */
function squaredDistanceMatrix(x: ArrayLike<number>, n: number, d: number, metric: Metric): Float64Array {
  const sq = new Float64Array(n * n);
  const inv = new Float64Array(n);
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += x[i * d + c] * x[i * d + c];
      inv[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      if (metric === 'cosine') {
        for (let c = 0; c < d; c++) s += x[i * d + c] * x[j * d + c];
        s = Math.min(2, Math.max(0, 1 - s * inv[i] * inv[j])) ** 2;
      } else {
        for (let c = 0; c < d; c++) {
          const e = x[i * d + c] - x[j * d + c];
          s += e * e;
        }
      }
      sq[i * n + j] = s;
      sq[j * n + i] = s;
    }
  }
  return sq;
}

/**
 * sklearn's _joint_probabilities_nn: conditional P over each point's k neighbours (indices and
 * squared distances [n, k]), then P = (C + Cᵀ) / ΣC as a symmetric CSR matrix.
 */
export async function sparseAffinities(indices: Int32Array, squared: Float64Array, n: number, k: number, perplexity: number, control?: MapControl): Promise<Affinities> {
  const cond = new Float64Array(n * k);
  const row = new Float64Array(k);
  const out = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) row[t] = Math.fround(squared[i * k + t]);
    conditionalRow(row, -1, perplexity, out);
    cond.set(out, i * k);
    if ((i + 1) % 1024 === 0 || i === n - 1) await checkpoint(control, 'affinities', i + 1, n);
  }
  // C + Cᵀ: every entry (i, j, c) also as (j, i, c); duplicates summed.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      counts[i + 1]++;
      counts[indices[i * k + t] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const fill = counts.slice(0, n);
  const cols = new Int32Array(counts[n]);
  const vals = new Float64Array(counts[n]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const c = cond[i * k + t];
      cols[fill[i]] = j;
      vals[fill[i]++] = c;
      cols[fill[j]] = i;
      vals[fill[j]++] = c;
    }
  }
  const indptr = new Int32Array(n + 1);
  const outCols: number[] = [];
  const outVals: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = counts[i];
    const end = counts[i + 1];
    const order = Array.from({ length: end - start }, (_, t) => start + t).sort((a, b) => cols[a] - cols[b]);
    let lastCol = -1;
    for (const e of order) {
      if (cols[e] === lastCol) {
        outVals[outVals.length - 1] += vals[e];
      } else {
        outCols.push(cols[e]);
        outVals.push(vals[e]);
        lastCol = cols[e];
      }
      total += vals[e];
    }
    indptr[i + 1] = outCols.length;
  }
  const sum = Math.max(total, MACHINE_EPSILON);
  const values = Float64Array.from(outVals, (v) => v / sum);
  return { kind: 'sparse', n, indptr, indices: Int32Array.from(outCols), values };
}

export interface Objective {
  /** KL(P‖Q), NaN when not asked for. */
  kl: number;
  /** [n, 2]: ∂KL/∂y. */
  grad: Float64Array;
}

/**
 * sklearn's _kl_divergence (degrees of freedom 1): exact Q over all pairs, gradient
 * 4 Σⱼ (pᵢⱼ − qᵢⱼ)(1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ). P may be dense or sparse.
 */
export function klExact(y: Float64Array, affinities: Affinities, exaggeration = 1, computeError = true): Objective {
  const n = affinities.n;
  const p = affinities.kind === 'dense' ? affinities.p : densify(affinities);
  const num = new Float64Array((n * (n - 1)) / 2); // condensed: pair (i < j)
  let z = 0;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = y[2 * i];
    const yi1 = y[2 * i + 1];
    for (let j = i + 1; j < n; j++) {
      const d0 = yi0 - y[2 * j];
      const d1 = yi1 - y[2 * j + 1];
      const v = 1 / (1 + d0 * d0 + d1 * d1);
      num[e++] = v;
      z += v;
    }
  }
  z *= 2;
  const grad = new Float64Array(2 * n);
  let kl = 0;
  e = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = y[2 * i];
    const yi1 = y[2 * i + 1];
    let g0 = 0;
    let g1 = 0;
    for (let j = i + 1; j < n; j++) {
      const v = num[e++];
      const q = Math.max(v / z, MACHINE_EPSILON);
      const pij = p[i * n + j] * exaggeration;
      if (computeError) kl += pij * Math.log(Math.max(pij, MACHINE_EPSILON) / q);
      const mult = (pij - q) * v;
      const f0 = mult * (yi0 - y[2 * j]);
      const f1 = mult * (yi1 - y[2 * j + 1]);
      g0 += f0;
      g1 += f1;
      grad[2 * j] -= f0;
      grad[2 * j + 1] -= f1;
    }
    grad[2 * i] += g0;
    grad[2 * i + 1] += g1;
  }
  for (let i = 0; i < grad.length; i++) grad[i] *= 4;
  return { kl: computeError ? 2 * kl : NaN, grad };
}

function densify(a: Affinities & { kind: 'sparse' }): Float64Array {
  const p = new Float64Array(a.n * a.n);
  for (let i = 0; i < a.n; i++) for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) p[i * a.n + a.indices[e]] = a.values[e];
  return p;
}

/**
 * Barnes–Hut gradient (van der Maaten 2014) on sparse P: attraction over P's non-zeros exactly,
 * repulsion Σⱼ qᵢⱼ² Z (yᵢ − yⱼ) / Z with far cells of the quadtree taken as one body at their
 * centre of mass. The KL divergence is sklearn's Barnes–Hut estimate, Σ pᵢⱼ log(pᵢⱼ / qᵢⱼ) over P's non-zeros.
 */
export function klBarnesHut(y: Float64Array, affinities: Affinities, angle = 0.5, exaggeration = 1, computeError = true): Objective {
  if (affinities.kind !== 'sparse') throw new TypeError('klBarnesHut: needs sparse affinities');
  const { n, indptr, indices, values } = affinities;
  const tree = QuadTree.build(y, n);
  const neg = new Float64Array(2 * n);
  let z = 0;
  const theta2 = angle * angle;
  for (let i = 0; i < n; i++) z += tree.repulsion(y, i, theta2, neg);
  const grad = new Float64Array(2 * n);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = y[2 * i];
    const yi1 = y[2 * i + 1];
    let f0 = 0;
    let f1 = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const j = indices[e];
      const d0 = yi0 - y[2 * j];
      const d1 = yi1 - y[2 * j + 1];
      const q = 1 / (1 + d0 * d0 + d1 * d1);
      const pij = values[e] * exaggeration;
      if (computeError) kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q / z, FLOAT32_TINY));
      const mult = pij * q;
      f0 += mult * d0;
      f1 += mult * d1;
    }
    grad[2 * i] = 4 * (f0 - neg[2 * i] / z);
    grad[2 * i + 1] = 4 * (f1 - neg[2 * i + 1] / z);
  }
  return { kl: computeError ? kl : NaN, grad };
}

/**
 * A region quadtree over the map, rebuilt every iteration (points move). Cells split at the
 * centre of their bounding box (the root's is the points' bounding box); a leaf holds one point,
 * or several identical ones, or whatever remains at depth 48. Typed arrays, grown as needed.
 */
class QuadTree {
  private size = 0;
  private minX: Float64Array;
  private minY: Float64Array;
  private maxX: Float64Array;
  private maxY: Float64Array;
  private comX: Float64Array;
  private comY: Float64Array;
  private count: Int32Array;
  /** [nodes, 4]: child cells, −1 where empty; all −1 for a leaf. */
  private children: Int32Array;
  /** A leaf's points are order[start … end). */
  private start: Int32Array;
  private end: Int32Array;
  private readonly order: Int32Array;
  private stack: Int32Array;

  private constructor(n: number) {
    const cap = Math.max(16, 2 * n);
    this.minX = new Float64Array(cap);
    this.minY = new Float64Array(cap);
    this.maxX = new Float64Array(cap);
    this.maxY = new Float64Array(cap);
    this.comX = new Float64Array(cap);
    this.comY = new Float64Array(cap);
    this.count = new Int32Array(cap);
    this.children = new Int32Array(4 * cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.order = new Int32Array(n);
    this.stack = new Int32Array(256);
  }

  static build(y: Float64Array, n: number): QuadTree {
    const t = new QuadTree(n);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      t.order[i] = i;
      x0 = Math.min(x0, y[2 * i]);
      x1 = Math.max(x1, y[2 * i]);
      y0 = Math.min(y0, y[2 * i + 1]);
      y1 = Math.max(y1, y[2 * i + 1]);
    }
    const scratch = new Int32Array(n);
    t.split(y, 0, n, x0, y0, x1, y1, 0, scratch);
    return t;
  }

  private grow(): void {
    const cap = this.minX.length * 2;
    const more = <T extends Float64Array | Int32Array>(a: T, f = 1): T => {
      const b = new (a.constructor as new (len: number) => T)(cap * f);
      b.set(a);
      return b;
    };
    this.minX = more(this.minX);
    this.minY = more(this.minY);
    this.maxX = more(this.maxX);
    this.maxY = more(this.maxY);
    this.comX = more(this.comX);
    this.comY = more(this.comY);
    this.count = more(this.count);
    this.children = more(this.children, 4);
    this.start = more(this.start);
    this.end = more(this.end);
  }

  /** Makes the cell of order[s … e) with the given bounds; returns its index. */
  private split(y: Float64Array, s: number, e: number, x0: number, y0: number, x1: number, y1: number, depth: number, scratch: Int32Array): number {
    if (this.size === this.minX.length) this.grow();
    const node = this.size++;
    let cx = 0;
    let cy = 0;
    let same = true;
    const fx = y[2 * this.order[s]];
    const fy = y[2 * this.order[s] + 1];
    for (let t = s; t < e; t++) {
      const p = this.order[t];
      cx += y[2 * p];
      cy += y[2 * p + 1];
      if (same && (y[2 * p] !== fx || y[2 * p + 1] !== fy)) same = false;
    }
    this.minX[node] = x0;
    this.minY[node] = y0;
    this.maxX[node] = x1;
    this.maxY[node] = y1;
    this.comX[node] = cx / (e - s);
    this.comY[node] = cy / (e - s);
    this.count[node] = e - s;
    this.start[node] = s;
    this.end[node] = e;
    this.children.fill(-1, 4 * node, 4 * node + 4);
    if (e - s === 1 || same || depth >= 48) return node;
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    // Counting sort of the cell's points into quadrants 0 (x < mx, y < my), 1 (x ≥ mx), 2 (y ≥ my), 3 (both).
    const qCount = [0, 0, 0, 0];
    for (let t = s; t < e; t++) {
      const p = this.order[t];
      qCount[(y[2 * p] >= mx ? 1 : 0) + (y[2 * p + 1] >= my ? 2 : 0)]++;
    }
    const qStart = [s, s + qCount[0], s + qCount[0] + qCount[1], s + qCount[0] + qCount[1] + qCount[2]];
    const fillAt = qStart.slice();
    for (let t = s; t < e; t++) {
      const p = this.order[t];
      scratch[fillAt[(y[2 * p] >= mx ? 1 : 0) + (y[2 * p + 1] >= my ? 2 : 0)]++] = p;
    }
    this.order.set(scratch.subarray(s, e), s);
    for (let q = 0; q < 4; q++) {
      if (qCount[q] === 0) continue;
      const qx0 = q & 1 ? mx : x0;
      const qx1 = q & 1 ? x1 : mx;
      const qy0 = q & 2 ? my : y0;
      const qy1 = q & 2 ? y1 : my;
      const child = this.split(y, qStart[q], qStart[q] + qCount[q], qx0, qy0, qx1, qy1, depth + 1, scratch);
      this.children[4 * node + q] = child;
    }
    return node;
  }

  /** Adds point i's unnormalised repulsion Σ qᵢⱼ²Z² (yᵢ − yⱼ) to neg[i] and returns Σⱼ qᵢⱼZ. */
  repulsion(y: Float64Array, i: number, theta2: number, neg: Float64Array): number {
    const yi0 = y[2 * i];
    const yi1 = y[2 * i + 1];
    let sumQ = 0;
    let f0 = 0;
    let f1 = 0;
    let top = 0;
    this.stack[top++] = 0;
    while (top > 0) {
      const node = this.stack[--top];
      const c4 = 4 * node;
      const leaf = this.children[c4] < 0 && this.children[c4 + 1] < 0 && this.children[c4 + 2] < 0 && this.children[c4 + 3] < 0;
      if (leaf) {
        for (let t = this.start[node]; t < this.end[node]; t++) {
          const j = this.order[t];
          if (j === i) continue;
          const d0 = yi0 - y[2 * j];
          const d1 = yi1 - y[2 * j + 1];
          const q = 1 / (1 + d0 * d0 + d1 * d1);
          sumQ += q;
          f0 += q * q * d0;
          f1 += q * q * d1;
        }
        continue;
      }
      const d0 = yi0 - this.comX[node];
      const d1 = yi1 - this.comY[node];
      const dist2 = d0 * d0 + d1 * d1;
      const w = Math.max(this.maxX[node] - this.minX[node], this.maxY[node] - this.minY[node]);
      if (w * w < theta2 * dist2) {
        // Far enough: the whole cell as one body of count points at its centre of mass.
        const q = 1 / (1 + dist2);
        const c = this.count[node];
        sumQ += c * q;
        f0 += c * q * q * d0;
        f1 += c * q * q * d1;
        continue;
      }
      if (top + 4 > this.stack.length) {
        const bigger = new Int32Array(this.stack.length * 2);
        bigger.set(this.stack);
        this.stack = bigger;
      }
      for (let q = 3; q >= 0; q--) if (this.children[c4 + q] >= 0) this.stack[top++] = this.children[c4 + q];
    }
    neg[2 * i] += f0;
    neg[2 * i + 1] += f1;
    return sumQ;
  }
}

export interface DescentOptions {
  it: number;
  nIter: number;
  momentum: number;
  learningRate: number;
  nIterWithoutProgress: number;
  minGradNorm: number;
  exaggeration: number;
  /** Iterations between KL checks: sklearn's _N_ITER_CHECK, 50. */
  nIterCheck?: number;
  control?: MapControl;
  /** The run's total iterations, for progress. */
  total?: number;
}

/**
 * sklearn's _gradient_descent: momentum with per-parameter gains (+0.2 where the gradient's sign
 * flips against the last update, ×0.8 otherwise, never below 0.01), the KL divergence every 50
 * iterations, stopping on no progress or a vanishing gradient. Returns the last iteration run.
 */
export async function gradientDescent(objective: (p: Float64Array, exaggeration: number, computeError: boolean) => Objective, p0: Float64Array, o: DescentOptions): Promise<{ p: Float64Array; error: number; it: number }> {
  const p = Float64Array.from(p0);
  const update = new Float64Array(p.length);
  const gains = new Float64Array(p.length).fill(1);
  const check = o.nIterCheck ?? 50;
  let error = Number.MAX_VALUE;
  let bestError = Number.MAX_VALUE;
  let bestIter = o.it;
  let i = o.it;
  for (i = o.it; i < o.nIter; i++) {
    const checkConvergence = (i + 1) % check === 0;
    const result = objective(p, o.exaggeration, checkConvergence || i === o.nIter - 1);
    error = result.kl;
    const grad = result.grad;
    let norm2 = 0;
    for (let t = 0; t < p.length; t++) {
      gains[t] = update[t] * grad[t] < 0 ? gains[t] + 0.2 : gains[t] * 0.8;
      if (gains[t] < 0.01) gains[t] = 0.01;
      const g = grad[t] * gains[t];
      norm2 += g * g;
      update[t] = o.momentum * update[t] - o.learningRate * g;
      p[t] += update[t];
    }
    await checkpoint(o.control, 'iterations', i + 1, o.total ?? o.nIter);
    if (checkConvergence) {
      if (error < bestError) {
        bestError = error;
        bestIter = i;
      } else if (i - bestIter > o.nIterWithoutProgress) {
        break;
      }
      if (Math.sqrt(norm2) <= o.minGradNorm) break;
    }
  }
  return { p, error, it: Math.min(i, o.nIter - 1) };
}
