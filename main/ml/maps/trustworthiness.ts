// Trustworthiness of an embedding, as sklearn.manifold.trustworthiness (scikit-learn 1.2.1;
// Venna & Kaski 2001): T(k) = 1 − 2/(n k (2n − 3k − 1)) Σᵢ Σ_{j ∈ N_k(i)} max(0, r(i, j) − k),
// N_k(i) the k nearest neighbours of i in the embedding, r(i, j) the rank of j among i's
// neighbours in the input space. Checked against sklearn in trustworthiness.test.ts.
//
// sklearn sorts an n × n distance matrix; here each row is computed, used and dropped, so memory
// is O(n) and time O(n² (d + log k)). Ties (exact duplicates) are ranked by index, as a stable
// argsort would; sklearn's quicksort orders them arbitrarily, the only place the two can differ.

export type InputMetric = 'euclidean' | 'cosine';

/**
 * x [n, d] and y [n, m] row-major. `metric` is the input space's, as sklearn's (the embedding is
 * always euclidean); cosine distance is sklearn's cosine_distances, 1 − cos, a zero row at 1.
 */
export function trustworthiness(x: ArrayLike<number>, y: ArrayLike<number>, n: number, d: number, m: number, k = 5, metric: InputMetric = 'euclidean'): number {
  if (x.length !== n * d || y.length !== n * m) throw new RangeError(`trustworthiness: shapes [${n}, ${d}] and [${n}, ${m}] do not match the data`);
  // sklearn's own condition, which keeps T within [0, 1].
  if (!(k >= 1 && k < n / 2)) throw new RangeError(`trustworthiness: n_neighbors (${k}) should be less than n_samples / 2 (${n / 2})`);
  const invNorm = new Float64Array(n);
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += x[i * d + c] * x[i * d + c];
      invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
  }
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const neighbours = new Int32Array(k);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    // Input-space distances from i (squared euclidean orders as euclidean does).
    for (let l = 0; l < n; l++) {
      let s = 0;
      if (metric === 'cosine') {
        for (let c = 0; c < d; c++) s += x[i * d + c] * x[l * d + c];
        s = Math.min(2, Math.max(0, 1 - s * invNorm[i] * invNorm[l]));
      } else {
        for (let c = 0; c < d; c++) {
          const e = x[i * d + c] - x[l * d + c];
          s += e * e;
        }
      }
      dx[l] = s;
      let t = 0;
      for (let c = 0; c < m; c++) {
        const e = y[i * m + c] - y[l * m + c];
        t += e * e;
      }
      dy[l] = t;
    }
    nearestK(dy, i, k, neighbours);
    for (let a = 0; a < k; a++) {
      const j = neighbours[a];
      const dj = dx[j];
      // Rank of j among i's input neighbours (1 = nearest), i itself excluded as sklearn's inf diagonal does.
      let rank = 1;
      for (let l = 0; l < n; l++) {
        if (l === i) continue;
        const dl = dx[l];
        if (dl < dj || (dl === dj && l < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}

/** The k smallest of dist (excluding `self`), by (distance, index): into out [k]. */
function nearestK(dist: Float64Array, self: number, k: number, out: Int32Array): void {
  // A sorted insertion list: k is small (5–30) next to n.
  const best = new Float64Array(k).fill(Infinity);
  out.fill(-1);
  for (let l = 0; l < dist.length; l++) {
    if (l === self) continue;
    const v = dist[l];
    if (v >= best[k - 1]) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1] > v) {
      best[p] = best[p - 1];
      out[p] = out[p - 1];
      p--;
    }
    best[p] = v;
    out[p] = l;
  }
}
