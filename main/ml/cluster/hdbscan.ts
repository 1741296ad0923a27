// HDBSCAN as the `hdbscan` Python package (scikit-learn-contrib/hdbscan 0.8, McInnes, Healy &
// Astels 2017, "hdbscan: Hierarchical density based clustering", JOSS 2(11) 205) computes it with
// its generic algorithm: core distances, the minimum spanning tree of the mutual reachability
// graph (Prim), its single-linkage tree, the tree condensed by min_cluster_size, and the flat
// clustering by excess of mass (Campello, Moulavi & Sander 2013, "Density-based clustering based
// on hierarchical density estimates", PAKDD; _hdbscan_tree.pyx: condense_tree, compute_stability,
// get_clusters, do_labelling, get_probabilities). Noise is -1.
//
// min_samples as that package counts it: the core distance of x is its distance to the
// min_samples-th nearest *other* point (the paper and sklearn.cluster.HDBSCAN count x itself, so
// sklearn's min_samples = ours + 1; scikit-learn-contrib/hdbscan#437, scikit-learn#28465).
//
// Memory is O(n): distances are computed when needed, never stored as an n × n matrix. Time is
// O(n² d) (every pair is measured twice, for the core distances and in Prim's loop), so the
// number of points is capped by n² (d + 16) (hdbscanMaxPoints), with a clear error beyond it.
import { ShirabeError } from '../../../common/errors';
import { checkVectors, cosineDistance, dotBlock32, metricSpace, rowToRows, squaredDistanceBlock, type ClusterMetric, type Vectors } from './vectors';

export interface HdbscanOptions {
  /** The smallest group of points that counts as a cluster (≥ 2). Default 5: the hdbscan package's min_cluster_size. */
  minClusterSize?: number;
  /** Neighbours that make a point's core distance (≥ 1; see the header). Default minClusterSize, as the hdbscan package; larger is more conservative (more noise). */
  minSamples?: number;
  /** Default 'euclidean' (the package's default); 'cosine' is 1 − cos θ, as its metric='cosine'. */
  metric?: ClusterMetric;
  /** Let the root be the one cluster when the data has no split worth keeping. Default false, as the package. */
  allowSingleCluster?: boolean;
  /** done and total in points measured: n for the core distances, then n for the tree. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between blocks of points; true throws ShirabeError('cancelled'). */
  shouldStop?: () => boolean;
}

/** The condensed tree (hdbscan's condensed_tree_): one row per point or cluster leaving a cluster. Points are 0…n−1, clusters n… with n the root. */
export interface CondensedTree {
  parent: Int32Array;
  child: Int32Array;
  /** 1 / distance at which the child leaves (Infinity at distance 0). */
  lambda: Float64Array;
  childSize: Int32Array;
}

export interface HdbscanResult {
  /** Cluster of each point, 0…clusters−1, or -1 for noise. [n] */
  labels: Int32Array;
  /** Membership strength in its cluster, 0…1 (hdbscan's probabilities_; 0 for noise). [n] */
  probabilities: Float64Array;
  clusters: number;
  /** Per cluster, its stability over (size × the tree's largest λ), 0…1 (hdbscan's cluster_persistence_). [clusters] */
  persistence: Float64Array;
  /** The condensed-tree id of each cluster label. [clusters] */
  treeIds: Int32Array;
  condensedTree: CondensedTree;
  /** Core distance of each point. [n] */
  coreDistances: Float64Array;
  /** The minSamples used (clipped to n − 1, as the package clips it). */
  minSamples: number;
}

/**
 * n² × (d + 16) at which HDBSCAN stops: 20,000 points of 768 dimensions. A pair costs about
 * 0.7 ns per dimension plus 11 ns of bookkeeping here (3,000 × 768 in 10 s, 20,000 × 5 in 6.4 s,
 * one core, both passes), so the cap is some ten minutes of work at any dimension.
 */
const PAIR_BUDGET = 20_000 * 20_000 * (768 + 16);

/** The most points HDBSCAN takes at d dimensions: 20,000 at 768, 122,202 at 5, 131,993 at 2. */
export function hdbscanMaxPoints(d: number): number {
  return Math.floor(Math.sqrt(PAIR_BUDGET / (Math.max(1, d) + 16)));
}

const BLOCK_ROWS = 64;
const BLOCK_COLS = 1024;

/** Distance to the k-th nearest other point of every point, streamed in [64, 1024] blocks. [n] */
function coreDistances(v: Vectors, metric: ClusterMetric, k: number, progress: (done: number) => void, shouldStop?: () => boolean): Float64Array {
  const { data, n, d } = v;
  const space = metricSpace(v, metric);
  const inv = space.inverseNorms;
  const K = k + 1; // including the point itself, at distance 0
  const nearest = new Float64Array(BLOCK_ROWS * K); // [rows, K], ascending
  const block = new Float64Array(BLOCK_ROWS * BLOCK_COLS);
  const out = new Float64Array(n);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    if (shouldStop?.()) throw new ShirabeError('cancelled');
    const r1 = Math.min(n, r0 + BLOCK_ROWS);
    nearest.fill(Infinity);
    for (let c0 = 0; c0 < n; c0 += BLOCK_COLS) {
      const c1 = Math.min(n, c0 + BLOCK_COLS);
      const w = c1 - c0;
      if (inv === null) squaredDistanceBlock(data, r0, r1, data, c0, c1, d, block);
      else dotBlock32(data, r0, r1, data, c0, c1, d, block);
      for (let i = r0; i < r1; i++) {
        const o = (i - r0) * K;
        const br = (i - r0) * w - c0;
        for (let q = c0; q < c1; q++) {
          // Squared euclidean keeps its order, so the square root waits for the k-th.
          const dist = q === i ? 0 : inv === null ? block[br + q] : cosineDistance(block[br + q], inv[i], inv[q]);
          if (dist >= nearest[o + K - 1]) continue;
          let at = K - 1;
          while (at > 0 && nearest[o + at - 1] > dist) {
            nearest[o + at] = nearest[o + at - 1];
            at--;
          }
          nearest[o + at] = dist;
        }
      }
    }
    for (let i = r0; i < r1; i++) {
      const kth = nearest[(i - r0) * K + K - 1];
      out[i] = inv === null ? Math.sqrt(kth) : kth;
    }
    progress(r1);
  }
  return out;
}

/**
 * Prim's algorithm on the mutual reachability graph, max(core(a), core(b), d(a, b)), as the
 * package's mst_linkage_core: from point 0, each step adds the nearest point not yet in the tree
 * (the first of equals, in index order). Returns [n − 1] edges (from, to, weight).
 */
function mutualReachabilityTree(v: Vectors, metric: ClusterMetric, core: Float64Array, progress: (done: number) => void, shouldStop?: () => boolean) {
  const { data, n, d } = v;
  const inv = metricSpace(v, metric).inverseNorms;
  const from = new Int32Array(n - 1);
  const to = new Int32Array(n - 1);
  const weight = new Float64Array(n - 1);
  const remaining = Int32Array.from({ length: n - 1 }, (_, i) => i + 1); // points not in the tree, in index order
  const best = new Float64Array(n - 1).fill(Infinity); // their reachability from the tree, aligned with `remaining`
  const measured = new Float64Array(n - 1);
  let count = n - 1;
  let current = 0;
  const every = Math.max(1, Math.floor(n / 200));
  for (let step = 0; step < n - 1; step++) {
    if (step % every === 0) {
      if (shouldStop?.()) throw new ShirabeError('cancelled');
      progress(step);
    }
    rowToRows(data, d, current, remaining, count, inv === null, measured);
    const coreCurrent = core[current];
    let argmin = 0;
    let min = Infinity;
    for (let t = 0; t < count; t++) {
      const j = remaining[t];
      const dist = inv === null ? Math.sqrt(measured[t]) : cosineDistance(measured[t], inv[current], inv[j]);
      let reach = dist > coreCurrent ? dist : coreCurrent;
      if (core[j] > reach) reach = core[j];
      if (reach < best[t]) best[t] = reach;
      if (best[t] < min) {
        min = best[t];
        argmin = t;
      }
    }
    const next = remaining[argmin];
    from[step] = current;
    to[step] = next;
    weight[step] = min;
    // Drop `next`, keeping the order (the package filters its arrays the same way).
    remaining.copyWithin(argmin, argmin + 1, count);
    best.copyWithin(argmin, argmin + 1, count);
    count--;
    current = next;
  }
  progress(n);
  return { from, to, weight };
}

/**
 * The single-linkage tree of the spanning tree (the package's `label`): edges by weight (a stable
 * sort), merged with union-find; merge m makes node n + m. Returns [n − 1] rows: left, right,
 * distance, size.
 */
function singleLinkage(n: number, edges: { from: Int32Array; to: Int32Array; weight: Float64Array }) {
  const m = n - 1;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => edges.weight[a] - edges.weight[b] || a - b);
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const size = new Int32Array(2 * n - 1).fill(1);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r];
    while (parent[x] !== r) {
      const up = parent[x];
      parent[x] = r;
      x = up;
    }
    return r;
  };
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const sizes = new Int32Array(m);
  order.forEach((e, row) => {
    const a = find(edges.from[e]);
    const b = find(edges.to[e]);
    const node = n + row;
    left[row] = a;
    right[row] = b;
    distance[row] = edges.weight[e];
    sizes[row] = size[a] + size[b];
    parent[a] = node;
    parent[b] = node;
    size[node] = sizes[row];
  });
  return { left, right, distance, sizes };
}

type Linkage = ReturnType<typeof singleLinkage>;

/** Nodes of the single-linkage tree under `root`, level by level, left before right (the package's bfs_from_hierarchy). */
function breadthFirst(h: Linkage, n: number, root: number): number[] {
  const out: number[] = [];
  let level = [root];
  while (level.length) {
    const next: number[] = [];
    for (const x of level) {
      out.push(x);
      if (x >= n) next.push(h.left[x - n], h.right[x - n]);
    }
    level = next;
  }
  return out;
}

/** The package's condense_tree: walk down from the root; a split into two parts of ≥ minClusterSize makes two new clusters, a smaller part's points fall out. */
function condense(h: Linkage, n: number, minClusterSize: number): CondensedTree {
  const root = 2 * n - 2;
  const relabel = new Int32Array(root + 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const ignore = new Uint8Array(root + 1);
  const parent: number[] = [];
  const child: number[] = [];
  const lambda: number[] = [];
  const childSize: number[] = [];
  const push = (p: number, c: number, l: number, s: number) => {
    parent.push(p);
    child.push(c);
    lambda.push(l);
    childSize.push(s);
  };
  const fallOut = (node: number, sub: number, l: number) => {
    for (const x of breadthFirst(h, n, sub)) {
      if (x < n) push(relabel[node], x, l, 1);
      ignore[x] = 1;
    }
  };
  for (const node of breadthFirst(h, n, root)) {
    if (ignore[node] || node < n) continue;
    const row = node - n;
    const left = h.left[row];
    const right = h.right[row];
    const dist = h.distance[row];
    const l = dist > 0 ? 1 / dist : Infinity;
    const leftCount = left >= n ? h.sizes[left - n] : 1;
    const rightCount = right >= n ? h.sizes[right - n] : 1;
    if (leftCount >= minClusterSize && rightCount >= minClusterSize) {
      relabel[left] = nextLabel++;
      push(relabel[node], relabel[left], l, leftCount);
      relabel[right] = nextLabel++;
      push(relabel[node], relabel[right], l, rightCount);
    } else if (leftCount < minClusterSize && rightCount < minClusterSize) {
      fallOut(node, left, l);
      fallOut(node, right, l);
    } else if (leftCount < minClusterSize) {
      relabel[right] = relabel[node];
      fallOut(node, left, l);
    } else {
      relabel[left] = relabel[node];
      fallOut(node, right, l);
    }
  }
  return { parent: Int32Array.from(parent), child: Int32Array.from(child), lambda: Float64Array.from(lambda), childSize: Int32Array.from(childSize) };
}

/** The package's compute_stability: Σ over a cluster's rows of (λ_leave − λ_birth) × size, indexed by cluster id − n. [clusters] */
function stabilities(tree: CondensedTree, n: number): Float64Array {
  let maxId = n;
  for (let r = 0; r < tree.parent.length; r++) maxId = Math.max(maxId, tree.parent[r], tree.child[r]);
  const birth = new Float64Array(maxId + 1);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] >= n) birth[tree.child[r]] = tree.lambda[r];
  birth[n] = 0;
  const out = new Float64Array(maxId - n + 1); // every cluster (each is some rows' parent: its points leave it)
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r];
    out[p - n] += (tree.lambda[r] - birth[p]) * tree.childSize[r];
  }
  return out;
}

/** HDBSCAN clustering of the n vectors (see the file's header for the algorithm and its sources). */
export function hdbscan(vectors: Vectors, options: HdbscanOptions = {}): HdbscanResult {
  checkVectors(vectors);
  const { n, d } = vectors;
  const minClusterSize = options.minClusterSize ?? 5;
  const metric = options.metric ?? 'euclidean';
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2) throw new RangeError(`minClusterSize must be a whole number ≥ 2 (got ${minClusterSize})`);
  const asked = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(asked) || asked < 1) throw new RangeError(`minSamples must be a whole number ≥ 1 (got ${asked})`);
  const max = hdbscanMaxPoints(d);
  if (n > max) throw new ShirabeError('hdbscanTooManyPoints', { points: n, dimensions: d, max });
  // As the package: at most n − 1 neighbours, and at least 1.
  const minSamples = Math.max(1, Math.min(n - 1, asked));
  const empty = (): HdbscanResult => ({
    labels: new Int32Array(n).fill(-1), probabilities: new Float64Array(n), clusters: 0, persistence: new Float64Array(0), treeIds: new Int32Array(0),
    condensedTree: { parent: new Int32Array(0), child: new Int32Array(0), lambda: new Float64Array(0), childSize: new Int32Array(0) },
    coreDistances: new Float64Array(n), minSamples,
  });
  if (n < 2) return empty();

  const total = 2 * n;
  const core = coreDistances(vectors, metric, minSamples, (done) => options.onProgress?.(done, total), options.shouldStop);
  const edges = mutualReachabilityTree(vectors, metric, core, (done) => options.onProgress?.(n + done, total), options.shouldStop);
  const linkage = singleLinkage(n, edges);
  const tree = condense(linkage, n, minClusterSize);
  const stability = stabilities(tree, n);
  const rows = tree.parent.length;

  // Excess of mass (get_clusters, 'eom'): from the highest id down (children before parents, as
  // ids are given breadth-first), a cluster is kept unless its children's summed stability is
  // larger, in which case it passes that sum up; keeping a cluster un-keeps its descendants.
  const clusterCount = stability.length; // ids n … n + clusterCount − 1
  const childrenOf: number[][] = Array.from({ length: clusterCount }, () => []);
  for (let r = 0; r < rows; r++) if (tree.childSize[r] > 1) childrenOf[tree.parent[r] - n].push(tree.child[r]);
  const isCluster = new Uint8Array(clusterCount);
  const lowest = options.allowSingleCluster ? 0 : 1;
  for (let c = lowest; c < clusterCount; c++) isCluster[c] = 1;
  const unselectBelow = (c: number) => {
    const stack = [...childrenOf[c]];
    while (stack.length) {
      const sub = stack.pop() as number;
      isCluster[sub - n] = 0;
      for (const ch of childrenOf[sub - n]) stack.push(ch);
    }
  };
  for (let c = clusterCount - 1; c >= lowest; c--) {
    let subtree = 0;
    for (const ch of childrenOf[c]) subtree += stability[ch - n];
    // The package holds this sum in a C float (`cdef float subtree_stability`), so near-ties are
    // decided, and passed up, at float32 precision; so here.
    subtree = Math.fround(subtree);
    if (subtree > stability[c]) {
      isCluster[c] = 0;
      stability[c] = subtree;
    } else {
      unselectBelow(c);
    }
  }
  const selected: number[] = [];
  for (let c = 0; c < clusterCount; c++) if (isCluster[c]) selected.push(n + c);
  const labelOf = new Map(selected.map((id, i) => [id, i]));

  // do_labelling: a point belongs to the highest selected cluster above it; under the root alone it is noise.
  const top = new Int32Array(n + clusterCount);
  top[n] = n;
  for (let r = 0; r < rows; r++) {
    const c = tree.child[r];
    top[c] = labelOf.has(c) ? c : top[tree.parent[r]];
  }
  let maxLambda = 0;
  for (let r = 0; r < rows; r++) maxLambda = Math.max(maxLambda, tree.lambda[r]);
  // The largest λ among each cluster's rows (max_lambdas), and each point's own λ.
  const death = new Float64Array(n + clusterCount);
  for (let r = 0; r < rows; r++) death[tree.parent[r]] = Math.max(death[tree.parent[r]], tree.lambda[r]);
  const pointLambda = new Float64Array(n);
  for (let r = 0; r < rows; r++) if (tree.child[r] < n) pointLambda[tree.child[r]] = tree.lambda[r];

  const labels = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = top[i];
    if (c !== n) labels[i] = labelOf.get(c) as number;
    // The root as the single cluster (allowSingleCluster): only points that stay to its last λ.
    else if (selected.length === 1 && selected[0] === n && pointLambda[i] >= death[n]) labels[i] = 0;
  }
  const probabilities = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) continue;
    const deathOf = death[selected[labels[i]]];
    probabilities[i] = deathOf === 0 || !Number.isFinite(pointLambda[i]) ? 1 : Math.min(pointLambda[i], deathOf) / deathOf;
  }
  const sizes = new Int32Array(selected.length);
  for (let i = 0; i < n; i++) if (labels[i] >= 0) sizes[labels[i]]++;
  const persistence = Float64Array.from(selected, (id, i) =>
    !Number.isFinite(maxLambda) || maxLambda === 0 || sizes[i] === 0 ? 1 : stability[id - n] / (sizes[i] * maxLambda),
  );
  return { labels, probabilities, clusters: selected.length, persistence, treeIds: Int32Array.from(selected), condensedTree: tree, coreDistances: core, minSamples };
}
