// k nearest neighbours for UMAP and t-SNE: exact by brute force for small inputs, NN-descent
// (Dong, Moses & Li 2011, "Efficient k-nearest neighbor graph construction for generic similarity
// measures") initialised from a random-projection forest, after pynndescent (McInnes), beyond.
// Over Float32Array rows, float64 arithmetic; cosine works on the rows' norms, never on a
// normalised copy (which would double the memory of a 100,000 × 768 input).
import { mulberry32 } from '../../../common/random';
import { checkpoint, type MapControl } from './control';

export type Metric = 'euclidean' | 'cosine';

export interface KnnGraph {
  n: number;
  /** Neighbours per point, the point itself not among them. */
  k: number;
  /** [n, k]: row i's neighbours by ascending distance (ties by index). */
  indices: Int32Array;
  /** [n, k]: their distances (euclidean, or cosine distance 1 − cos). */
  distances: Float64Array;
  /** Whether the graph is exact (brute force) rather than NN-descent's approximation. */
  exact: boolean;
}

export interface KnnOptions {
  /** 'auto': exact below `exactBelow` points, NN-descent from there. */
  method?: 'auto' | 'exact' | 'nnDescent';
  /** umap-learn computes the full distance matrix below 4,096 points (its `_small_data`), and so do we. */
  exactBelow?: number;
  seed?: number;
  /** Random-projection trees: umap-learn's min(64, 5 + round(√n / 20)). */
  trees?: number;
  /** NN-descent rounds at most: umap-learn's max(5, round(log₂ n)). */
  iterations?: number;
  /** Candidates sampled per point and round: pynndescent's default in umap-learn, 60. */
  maxCandidates?: number;
  /** Stop when fewer than delta · n · k neighbours changed in a round: pynndescent's 0.001. */
  delta?: number;
}

/** The k nearest neighbours of every row of x ([n, d] row-major), excluding the row itself. */
export async function nearestNeighbours(x: ArrayLike<number>, n: number, d: number, k: number, metric: Metric, options: KnnOptions = {}, control?: MapControl): Promise<KnnGraph> {
  if (x.length !== n * d) throw new RangeError(`nearestNeighbours: ${x.length} values for shape [${n}, ${d}]`);
  if (!Number.isInteger(k) || k < 1 || k >= n) throw new RangeError(`nearestNeighbours: k = ${k} needs 1 ≤ k < n = ${n}`);
  const method = options.method ?? 'auto';
  const exact = method === 'exact' || (method === 'auto' && n < (options.exactBelow ?? 4096));
  const space = new Space(x, n, d, metric);
  const heap = new NeighbourHeap(n, k);
  if (exact) await bruteForce(space, heap, control);
  else await nnDescent(space, heap, options, control);
  return heap.sorted(metric === 'euclidean', exact);
}

/** Distances between rows; euclidean ones squared until the end (the same order, no square roots). */
class Space {
  readonly invNorm: Float64Array;
  constructor(
    readonly x: ArrayLike<number>,
    readonly n: number,
    readonly d: number,
    readonly metric: Metric,
  ) {
    this.invNorm = new Float64Array(metric === 'cosine' ? n : 0);
    if (metric === 'cosine') {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += x[i * d + c] * x[i * d + c];
        this.invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0; // a zero row is at cosine distance 1 from all
      }
    }
  }

  distance(i: number, j: number): number {
    const { x, d } = this;
    const a = i * d;
    const b = j * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    if (this.metric === 'cosine') {
      for (; c + 3 < d; c += 4) {
        s0 += x[a + c] * x[b + c];
        s1 += x[a + c + 1] * x[b + c + 1];
        s2 += x[a + c + 2] * x[b + c + 2];
        s3 += x[a + c + 3] * x[b + c + 3];
      }
      for (; c < d; c++) s0 += x[a + c] * x[b + c];
      return Math.max(0, 1 - (s0 + s1 + s2 + s3) * this.invNorm[i] * this.invNorm[j]);
    }
    for (; c + 3 < d; c += 4) {
      const e0 = x[a + c] - x[b + c];
      const e1 = x[a + c + 1] - x[b + c + 1];
      const e2 = x[a + c + 2] - x[b + c + 2];
      const e3 = x[a + c + 3] - x[b + c + 3];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    for (; c < d; c++) {
      const e = x[a + c] - x[b + c];
      s0 += e * e;
    }
    return s0 + s1 + s2 + s3;
  }
}

/** Per point a max-heap of its k best candidates (root = the farthest kept), with "new" flags. */
class NeighbourHeap {
  readonly indices: Int32Array; // [n, k], −1 = empty
  readonly dist: Float64Array; // [n, k], Infinity = empty
  readonly isNew: Uint8Array; // [n, k]
  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    this.indices = new Int32Array(n * k).fill(-1);
    this.dist = new Float64Array(n * k).fill(Infinity);
    this.isNew = new Uint8Array(n * k);
  }

  /** Offers j at distance dj to row i; 1 when it was kept. */
  push(i: number, dj: number, j: number): number {
    const { k, indices, dist, isNew } = this;
    const base = i * k;
    if (dj >= dist[base]) return 0;
    for (let t = 0; t < k; t++) if (indices[base + t] === j) return 0;
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= k) break;
      const right = left + 1;
      const child = right < k && dist[base + right] > dist[base + left] ? right : left;
      if (dist[base + child] <= dj) break;
      dist[base + pos] = dist[base + child];
      indices[base + pos] = indices[base + child];
      isNew[base + pos] = isNew[base + child];
      pos = child;
    }
    dist[base + pos] = dj;
    indices[base + pos] = j;
    isNew[base + pos] = 1;
    return 1;
  }

  /** Rows sorted by (distance, index); euclidean distances square-rooted. */
  sorted(squared: boolean, exact: boolean): KnnGraph {
    const { n, k } = this;
    const indices = new Int32Array(n * k);
    const distances = new Float64Array(n * k);
    const order = Array.from({ length: k }, (_, t) => t);
    for (let i = 0; i < n; i++) {
      const base = i * k;
      order.sort((a, b) => this.dist[base + a] - this.dist[base + b] || this.indices[base + a] - this.indices[base + b]);
      for (let t = 0; t < k; t++) {
        indices[base + t] = this.indices[base + order[t]];
        const v = this.dist[base + order[t]];
        distances[base + t] = squared ? Math.sqrt(v) : v;
      }
    }
    return { n, k, indices, distances, exact };
  }
}

async function bruteForce(space: Space, heap: NeighbourHeap, control?: MapControl): Promise<void> {
  const { n } = space;
  const block = 64; // rows between progress reports: about n · 64 distances
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = space.distance(i, j);
      heap.push(i, v, j);
      heap.push(j, v, i);
    }
    if ((i + 1) % block === 0 || i === n - 1) await checkpoint(control, 'neighbours', i + 1, n);
  }
}

async function nnDescent(space: Space, heap: NeighbourHeap, options: KnnOptions, control?: MapControl): Promise<void> {
  const { n } = space;
  const k = heap.k;
  const rand = mulberry32(options.seed ?? 0);
  const trees = options.trees ?? Math.min(64, 5 + Math.round(Math.sqrt(n) / 20));
  const iterations = options.iterations ?? Math.max(5, Math.round(Math.log2(n)));
  const maxCandidates = options.maxCandidates ?? 60;
  const delta = options.delta ?? 0.001;
  const total = trees + iterations;
  // Leaves of random-projection trees: points in a leaf are each other's first candidates.
  const leafSize = Math.max(10, k);
  for (let t = 0; t < trees; t++) {
    for (const leaf of projectionTreeLeaves(space, leafSize, rand)) {
      for (let a = 0; a < leaf.length; a++) {
        for (let b = a + 1; b < leaf.length; b++) {
          const v = space.distance(leaf[a], leaf[b]);
          heap.push(leaf[a], v, leaf[b]);
          heap.push(leaf[b], v, leaf[a]);
        }
      }
    }
    await checkpoint(control, 'neighbours', t + 1, total);
  }
  // Points whose leaves were too small to fill k slots get random candidates.
  for (let i = 0; i < n; i++) {
    for (let tries = 0; heap.indices[i * k] < 0 && tries < 4 * k; tries++) {
      const j = Math.floor(rand() * n);
      if (j !== i) heap.push(i, space.distance(i, j), j);
    }
  }
  const newCand = new CandidateHeap(n, maxCandidates);
  const oldCand = new CandidateHeap(n, maxCandidates);
  for (let it = 0; it < iterations; it++) {
    newCand.clear();
    oldCand.clear();
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < k; t++) {
        const j = heap.indices[i * k + t];
        if (j < 0) continue;
        const priority = rand();
        const into = heap.isNew[i * k + t] ? newCand : oldCand;
        into.push(i, priority, j);
        into.push(j, priority, i);
      }
    }
    // The new candidates that were sampled are old from now on.
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < k; t++) {
        if (heap.isNew[i * k + t] && newCand.has(i, heap.indices[i * k + t])) heap.isNew[i * k + t] = 0;
      }
    }
    let changes = 0;
    for (let i = 0; i < n; i++) {
      const base = i * maxCandidates;
      for (let a = 0; a < maxCandidates; a++) {
        const p = newCand.indices[base + a];
        if (p < 0) continue;
        for (let b = a + 1; b < maxCandidates; b++) {
          const q = newCand.indices[base + b];
          if (q < 0) continue;
          const v = space.distance(p, q);
          changes += heap.push(p, v, q) + heap.push(q, v, p);
        }
        for (let b = 0; b < maxCandidates; b++) {
          const q = oldCand.indices[base + b];
          if (q < 0 || q === p) continue;
          const v = space.distance(p, q);
          changes += heap.push(p, v, q) + heap.push(q, v, p);
        }
      }
    }
    await checkpoint(control, 'neighbours', trees + it + 1, total);
    if (changes <= delta * k * n) break;
  }
}

/** Per point up to `size` candidates, a random sample: kept are the smallest random priorities. */
class CandidateHeap {
  readonly indices: Int32Array; // [n, size]
  readonly priority: Float64Array; // [n, size]
  constructor(
    readonly n: number,
    readonly size: number,
  ) {
    this.indices = new Int32Array(n * size);
    this.priority = new Float64Array(n * size);
  }

  clear(): void {
    this.indices.fill(-1);
    this.priority.fill(Infinity);
  }

  has(i: number, j: number): boolean {
    const base = i * this.size;
    for (let t = 0; t < this.size; t++) if (this.indices[base + t] === j) return true;
    return false;
  }

  push(i: number, pr: number, j: number): void {
    const { size, indices, priority } = this;
    const base = i * size;
    if (pr >= priority[base]) return;
    for (let t = 0; t < size; t++) if (indices[base + t] === j) return;
    let pos = 0;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && priority[base + right] > priority[base + left] ? right : left;
      if (priority[base + child] <= pr) break;
      priority[base + pos] = priority[base + child];
      indices[base + pos] = indices[base + child];
      pos = child;
    }
    priority[base + pos] = pr;
    indices[base + pos] = j;
  }
}

/**
 * One random-projection tree's leaves (Dasgupta & Freund 2008; as pynndescent's): each node splits
 * its points by the hyperplane halfway between two of them, chosen at random (for cosine, between
 * their directions, through the origin). Returns the leaves as lists of point indices.
 */
function projectionTreeLeaves(space: Space, leafSize: number, rand: () => number): Int32Array[] {
  const { n, d, x, metric, invNorm } = space;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const side = new Uint8Array(n);
  const normal = new Float64Array(d);
  const leaves: Int32Array[] = [];
  const stack: [number, number][] = [[0, n]];
  while (stack.length > 0) {
    const [start, end] = stack.pop() as [number, number];
    const size = end - start;
    if (size <= leafSize) {
      leaves.push(perm.slice(start, end));
      continue;
    }
    const a = Math.floor(rand() * size);
    let b = Math.floor(rand() * (size - 1));
    if (b >= a) b++;
    const l = perm[start + a];
    const r = perm[start + b];
    let offset = 0;
    for (let c = 0; c < d; c++) {
      if (metric === 'cosine') {
        normal[c] = x[l * d + c] * invNorm[l] - x[r * d + c] * invNorm[r];
      } else {
        normal[c] = x[l * d + c] - x[r * d + c];
        offset -= (normal[c] * (x[l * d + c] + x[r * d + c])) / 2;
      }
    }
    let nLeft = 0;
    for (let t = start; t < end; t++) {
      const p = perm[t];
      let margin = offset;
      for (let c = 0; c < d; c++) margin += normal[c] * x[p * d + c];
      const left = margin > 0 || (margin === 0 && rand() < 0.5);
      side[t - start] = left ? 1 : 0;
      if (left) nLeft++;
    }
    if (nLeft === 0 || nLeft === size) {
      // Every point on one side (duplicates): split in the middle so the tree still ends.
      const mid = start + (size >> 1);
      stack.push([start, mid], [mid, end]);
      continue;
    }
    // Stable partition: left points first.
    const left: number[] = [];
    const right: number[] = [];
    for (let t = start; t < end; t++) (side[t - start] ? left : right).push(perm[t]);
    perm.set(left, start);
    perm.set(right, start + left.length);
    stack.push([start, start + left.length], [start + left.length, end]);
  }
  return leaves;
}
