// Clustering quality as scikit-learn 1.2.1's sklearn.metrics defines it: silhouette_samples /
// silhouette_score (Rousseeuw 1987) with the euclidean or cosine metric, and, against gold labels,
// normalized_mutual_info_score (average_method='arithmetic', sklearn's default),
// adjusted_rand_score (Hubert & Arabie 1985, from pair_confusion_matrix), purity and the
// contingency table (sklearn.metrics.cluster.contingency_matrix). Checked against fixtures from
// scripts/fixtures/make_cluster_fixtures.py.
//
// Labels are any integers (HDBSCAN's noise, -1, is one more label to these functions, as to
// sklearn's); only which points share a label matters, so every score is invariant under
// renaming the labels. Arithmetic is float64 throughout.
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import { checkVectors, metricSpace, pairBlock, type ClusterMetric, type Vectors } from './vectors';

/** One label per point. [n] */
export type ClusterLabels = ArrayLike<number>;

/** The distinct labels in ascending order and each point's index among them (np.unique(…, return_inverse=True)). */
export function encodeLabels(labels: ClusterLabels): { values: number[]; codes: Int32Array } {
  const values = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = index.get(labels[i]) as number;
  return { values, codes };
}

function checkLabelCount(labelCount: number, n: number): void {
  // sklearn's check_number_of_labels.
  if (!(labelCount > 1 && labelCount < n)) throw new RangeError(`Number of labels is ${labelCount}. Valid values are 2 to n_samples - 1 (inclusive)`);
}

/** Per point (b − a) / max(a, b) from its summed distances to each cluster; 0 in a singleton cluster and where a = b = 0 (sklearn's nan_to_num). */
function silhouetteOfPoint(sums: Float64Array, offset: number, own: number, counts: Int32Array): number {
  const L = counts.length;
  if (counts[own] <= 1) return 0;
  const a = sums[offset + own] / (counts[own] - 1);
  let b = Infinity;
  for (let l = 0; l < L; l++) {
    if (l === own) continue;
    const v = sums[offset + l] / counts[l];
    if (v < b) b = v;
  }
  const s = (b - a) / Math.max(a, b);
  return Number.isFinite(s) ? s : 0;
}

/** Rows and columns per block of the streamed silhouette: a [64, 1024] float64 block is 512 KiB. */
const ROWS = 64;
const COLS = 1024;

export interface SilhouetteOptions {
  /** Default 'euclidean', sklearn's default; 'cosine' is 1 − cos θ (sklearn's metric='cosine'). */
  metric?: ClusterMetric;
}

/**
 * The silhouette coefficient of every point (sklearn's silhouette_samples), streamed over blocks
 * of the distance matrix, so memory stays O(n × clusters) while time is O(n² d).
 * vectors: [n, d], labels: [n] → [n]
 */
export function silhouetteSamples(vectors: Vectors, labels: ClusterLabels, options: SilhouetteOptions = {}): Float64Array {
  checkVectors(vectors);
  const { n } = vectors;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} vectors`);
  const { values, codes } = encodeLabels(labels);
  const L = values.length;
  checkLabelCount(L, n);
  const counts = new Int32Array(L);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  const space = metricSpace(vectors, options.metric ?? 'euclidean');
  const sums = new Float64Array(ROWS * L); // [ROWS, L]: a block's summed distances to each cluster
  const block = new Float64Array(ROWS * COLS); // [ROWS, COLS]
  const out = new Float64Array(n);
  for (let r0 = 0; r0 < n; r0 += ROWS) {
    const r1 = Math.min(n, r0 + ROWS);
    sums.fill(0);
    for (let c0 = 0; c0 < n; c0 += COLS) {
      const c1 = Math.min(n, c0 + COLS);
      const w = c1 - c0;
      pairBlock(space, r0, r1, c0, c1, block);
      for (let i = r0; i < r1; i++) {
        const br = (i - r0) * w;
        const sr = (i - r0) * L;
        for (let q = c0; q < c1; q++) sums[sr + codes[q]] += block[br + q - c0];
      }
    }
    for (let i = r0; i < r1; i++) out[i] = silhouetteOfPoint(sums, (i - r0) * L, codes[i], counts);
  }
  return out;
}

export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /** Compute on a seeded random sample of this many points (sklearn's sample_size); default every point. */
  sampleSize?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

/** Mean silhouette coefficient (sklearn's silhouette_score). */
export function silhouetteScore(vectors: Vectors, labels: ClusterLabels, options: SilhouetteScoreOptions = {}): number {
  checkVectors(vectors);
  const { n, d } = vectors;
  let v = vectors;
  let l = labels;
  if (options.sampleSize !== undefined && options.sampleSize < n) {
    if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} vectors`);
    const m = options.sampleSize;
    if (!Number.isInteger(m) || m < 1) throw new RangeError(`sampleSize must be a whole number ≥ 1 (got ${m})`);
    // As sklearn: the first sample_size of a random permutation.
    const order = permutation(n, mulberry32(deriveSeed(options.seed ?? 0, 0x511))).slice(0, m);
    const data = new Float32Array(m * d);
    const sub = new Int32Array(m);
    order.forEach((i, t) => {
      data.set(vectors.data.subarray(i * d, (i + 1) * d), t * d);
      sub[t] = labels[i];
    });
    v = { data, n: m, d };
    l = sub;
  }
  const s = silhouetteSamples(v, l, options);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}

/**
 * Mean silhouette from a precomputed [m, m] distance matrix (zero diagonal), for the k sweep,
 * which computes the sample's distances once and reuses them for every k. null where sklearn
 * would refuse the labels (fewer than 2 or more than m − 1 distinct labels).
 */
export function silhouetteFromDistances(distances: Float32Array | Float64Array, labels: ClusterLabels): number | null {
  const m = labels.length;
  if (distances.length !== m * m) throw new RangeError(`distance matrix of ${distances.length} entries for ${m} points`);
  const { values, codes } = encodeLabels(labels);
  const L = values.length;
  if (!(L > 1 && L < m)) return null;
  const counts = new Int32Array(L);
  for (let i = 0; i < m; i++) counts[codes[i]]++;
  const sums = new Float64Array(L);
  let total = 0;
  for (let i = 0; i < m; i++) {
    sums.fill(0);
    const r = i * m;
    for (let q = 0; q < m; q++) sums[codes[q]] += distances[r + q];
    total += silhouetteOfPoint(sums, 0, codes[i], counts);
  }
  return total / m;
}

// ---------------------------------------------------------------- against gold labels

export interface Contingency {
  /** The distinct gold labels, ascending: the rows. */
  trueLabels: number[];
  /** The distinct predicted labels (clusters), ascending: the columns. */
  predictedLabels: number[];
  /** [trueLabels.length, predictedLabels.length]: points with gold label r in cluster c. */
  counts: number[][];
}

/** sklearn.metrics.cluster.contingency_matrix(labels_true, labels_pred), with the labels it is indexed by. */
export function contingencyTable(trueLabels: ClusterLabels, predictedLabels: ClusterLabels): Contingency {
  if (trueLabels.length !== predictedLabels.length) throw new RangeError(`${trueLabels.length} gold labels against ${predictedLabels.length} predicted`);
  const t = encodeLabels(trueLabels);
  const p = encodeLabels(predictedLabels);
  const counts = t.values.map(() => new Array<number>(p.values.length).fill(0));
  for (let i = 0; i < t.codes.length; i++) counts[t.codes[i]][p.codes[i]]++;
  return { trueLabels: t.values, predictedLabels: p.values, counts };
}

/** Entropy of a labelling in nats, as sklearn's entropy (log(a) − log(b) for precision). */
function entropyOfCounts(counts: number[]): number {
  const nz = counts.filter((c) => c > 0);
  if (nz.length <= 1) return 0;
  const sum = nz.reduce((a, b) => a + b, 0);
  const logSum = Math.log(sum);
  let h = 0;
  for (const c of nz) h -= (c / sum) * (Math.log(c) - logSum);
  return h;
}

/** Mutual information in nats from a contingency table, term by term as sklearn's mutual_info_score. */
function mutualInformation(counts: number[][]): number {
  const rows = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = counts[0].map((_, c) => counts.reduce((a, r) => a + r[c], 0));
  if (rows.length === 1 || cols.length === 1) return 0;
  const total = rows.reduce((a, b) => a + b, 0);
  const logTotal = Math.log(total);
  const logRows = Math.log(rows.reduce((a, b) => a + b, 0));
  const logCols = Math.log(cols.reduce((a, b) => a + b, 0));
  let mi = 0;
  for (let r = 0; r < counts.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      const v = counts[r][c];
      if (v === 0) continue;
      const p = v / total;
      const logOuter = -Math.log(rows[r] * cols[c]) + logRows + logCols;
      const term = p * (Math.log(v) - logTotal) + p * logOuter;
      // sklearn zeroes terms below machine epsilon before summing.
      if (Math.abs(term) >= Number.EPSILON) mi += term;
    }
  }
  return Math.max(0, mi);
}

/** Normalised mutual information, MI / mean(H(true), H(pred)) (sklearn's default average_method='arithmetic'). */
export function normalizedMutualInfo(trueLabels: ClusterLabels, predictedLabels: ClusterLabels): number {
  const table = contingencyTable(trueLabels, predictedLabels);
  const R = table.trueLabels.length;
  const C = table.predictedLabels.length;
  // Both labellings one cluster (or empty): a perfect match, as sklearn.
  if ((R === 1 && C === 1) || (R === 0 && C === 0)) return 1;
  const mi = mutualInformation(table.counts);
  if (mi === 0) return 0;
  const hTrue = entropyOfCounts(table.counts.map((r) => r.reduce((a, b) => a + b, 0)));
  const hPred = entropyOfCounts(table.counts[0].map((_, c) => table.counts.reduce((a, r) => a + r[c], 0)));
  return mi / ((hTrue + hPred) / 2);
}

/**
 * Adjusted Rand index as sklearn's adjusted_rand_score: from the pair confusion matrix, with the
 * products in exact integers (BigInt, as sklearn converts to Python ints) because they reach n⁴.
 */
export function adjustedRandIndex(trueLabels: ClusterLabels, predictedLabels: ClusterLabels): number {
  const { counts } = contingencyTable(trueLabels, predictedLabels);
  const n = trueLabels.length;
  let sumSquares = 0;
  const rows = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = counts.length ? counts[0].map((_, c) => counts.reduce((a, r) => a + r[c], 0)) : [];
  for (const r of counts) for (const v of r) sumSquares += v * v;
  let rowDot = 0; // Σ_r Σ_c n_rc · n_.c  (contingency · n_k summed)
  let colDot = 0; // Σ_c Σ_r n_rc · n_r.
  counts.forEach((r, ri) => r.forEach((v, ci) => {
    rowDot += v * cols[ci];
    colDot += v * rows[ri];
  }));
  // Ordered pairs, as sklearn's pair_confusion_matrix: [[tn, fp], [fn, tp]].
  const tp = BigInt(sumSquares - n);
  const fp = BigInt(rowDot - sumSquares);
  const fn = BigInt(colDot - sumSquares);
  const tn = BigInt(n) * BigInt(n) - fp - fn - BigInt(sumSquares);
  if (fn === 0n && fp === 0n) return 1;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return bigRatio(num, den);
}

/** num / den as a float64, exact to rounding even where both exceed 2⁵³. */
function bigRatio(num: bigint, den: bigint): number {
  // Scale both down to 60 significant bits at most, then divide as floats.
  const bits = (v: bigint) => (v < 0n ? -v : v).toString(2).length;
  const shift = BigInt(Math.max(0, Math.max(bits(num), bits(den)) - 60));
  return Number(num >> shift) / Number(den >> shift);
}

/** Purity: the share of points whose cluster's most common gold label is their own, Σ_c max_r n_rc / n. */
export function purity(trueLabels: ClusterLabels, predictedLabels: ClusterLabels): number {
  const { counts } = contingencyTable(trueLabels, predictedLabels);
  const n = trueLabels.length;
  if (n === 0) return 1;
  let total = 0;
  for (let c = 0; c < counts[0].length; c++) {
    let best = 0;
    for (const r of counts) if (r[c] > best) best = r[c];
    total += best;
  }
  return total / n;
}
