// How well a map keeps known clusters apart, for tests of projections (UMAP, t-SNE): the mean
// silhouette (Rousseeuw 1987, as sklearn.metrics.silhouette_score with the euclidean metric) and
// the share of points whose nearest cluster centroid in the map is their own cluster's.

export interface Separation {
  silhouette: number;
  nearestCentroidAgreement: number;
}

/** y [n, m] row-major, labels [n] (cluster of each point). */
export function separation(y: ArrayLike<number>, n: number, m: number, labels: ArrayLike<number>): Separation {
  const clusters = Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
  const slot = new Map(clusters.map((c, i) => [c, i]));
  const c = clusters.length;
  const sizes = new Float64Array(c);
  const centroids = new Float64Array(c * m);
  for (let i = 0; i < n; i++) {
    const s = slot.get(labels[i]) as number;
    sizes[s]++;
    for (let t = 0; t < m; t++) centroids[s * m + t] += y[i * m + t];
  }
  for (let s = 0; s < c; s++) for (let t = 0; t < m; t++) centroids[s * m + t] /= sizes[s];
  let silhouette = 0;
  let agree = 0;
  const sums = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const own = slot.get(labels[i]) as number;
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let t = 0; t < m; t++) d2 += (y[i * m + t] - y[j * m + t]) ** 2;
      sums[slot.get(labels[j]) as number] += Math.sqrt(d2);
    }
    if (sizes[own] > 1) {
      const a = sums[own] / (sizes[own] - 1);
      let b = Infinity;
      for (let s = 0; s < c; s++) if (s !== own) b = Math.min(b, sums[s] / sizes[s]);
      silhouette += (b - a) / Math.max(a, b);
    }
    let best = -1;
    let bestD = Infinity;
    for (let s = 0; s < c; s++) {
      let d2 = 0;
      for (let t = 0; t < m; t++) d2 += (y[i * m + t] - centroids[s * m + t]) ** 2;
      if (d2 < bestD) {
        bestD = d2;
        best = s;
      }
    }
    if (best === own) agree++;
  }
  return { silhouette: silhouette / n, nearestCentroidAgreement: agree / n };
}
