// Clustering for maps and topics: k-means (with a k sweep), HDBSCAN and the quality measures,
// over row-major Float32Array vectors. Pure computation: data in, data out.
export { hdbscan, hdbscanMaxPoints, type CondensedTree, type HdbscanOptions, type HdbscanResult } from './hdbscan';
export { kmeans, kSweep, type KMeansOptions, type KMeansRestart, type KMeansResult, type KSweepOptions, type KSweepPoint, type KSweepResult } from './kmeans';
export {
  adjustedRandIndex,
  contingencyTable,
  encodeLabels,
  normalizedMutualInfo,
  purity,
  silhouetteFromDistances,
  silhouetteSamples,
  silhouetteScore,
  type ClusterLabels,
  type Contingency,
  type SilhouetteOptions,
  type SilhouetteScoreOptions,
} from './metrics';
export { type ClusterMetric, type Vectors } from './vectors';
