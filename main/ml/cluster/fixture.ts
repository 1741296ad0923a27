// The reference fixture's shape (test/fixtures/sklearn/cluster.json, from
// scripts/fixtures/make_cluster_fixtures.py), for the tests beside this file. Types only: the
// tests read the file themselves, since this layer has no fs.
import type { ClusterMetric, Vectors } from './vectors';

export interface FixtureDataset {
  n: number;
  d: number;
  /** float32 values with 9 significant digits. [n, d] */
  data: number[];
  labels: number[];
  note: string;
}

export interface ClusterFixture {
  versions: { sklearn: string; numpy: string; scipy: string };
  datasets: Record<string, FixtureDataset>;
  kmeans: { dataset: string; k: number; metric: ClusterMetric; separable: boolean; sklearn: { inertia: number; labels: number[]; nIter: number } }[];
  kmeansFromInit: {
    name: string;
    dataset: string;
    metric: ClusterMetric;
    k: number;
    /** [k, d] */
    init: number[];
    maxIter: number;
    tol: number;
    sklearn: { inertia: number; labels: number[]; nIter: number; centres: number[] };
  }[];
  sweep: { k: number; inertia: number; silhouette: number; labels: number[] }[];
  silhouette: { name: string; dataset: string; metric: ClusterMetric; labels: number[]; score: number; samples?: number[] }[];
  labelPairs: { name: string; true: number[]; predicted: number[]; nmi: number; ari: number; contingency: number[][]; purity: number }[];
}

export function vectorsOf(ds: FixtureDataset): Vectors {
  return { data: Float32Array.from(ds.data), n: ds.n, d: ds.d };
}
