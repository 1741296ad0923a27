// An edited clustering labelled again: after a merge, a split or documents moved, every topic's
// label words (both methods), representatives and the clustering's quality are recomputed from the
// new assignment, as BERTopic's merge_topics recomputes its c-TF-IDF. A split re-clusters the
// chosen documents first (k-means restarts on their embeddings, seeded), into new cluster ids.
import type { ClusterConfig, ClusterQuality } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import type { Vectors } from '../../../../ml/cluster/vectors';
import { defineTask } from '../../task';
import { cluster, documentSpace } from './cluster';
import { assignmentQuality, labelClusters, type ClusterTopic } from './labelling';

export interface RelabelInput {
  config: ClusterConfig;
  /** [n, d] row-major: the embedding run's vectors, in document order. */
  vectors: Float32Array;
  dimensions: number;
  texts: string[];
  gold: Int32Array | null;
  /** [n] the edited assignment (-1 = noise). */
  assignments: Int32Array;
  /** Rows to re-cluster into `parts` new clusters numbered from `firstCluster` (null: no split). */
  split: { rows: Int32Array; parts: number; firstCluster: number; seed: number } | null;
}

export interface RelabelOutput {
  assignments: Int32Array;
  vocabulary: number;
  /** Inertia is null: a hand-edited assignment minimises nothing. */
  quality: ClusterQuality;
  topics: ClusterTopic[];
}

/** Restarts of a split's k-means (few rows; sklearn's n_init). */
const SPLIT_RESTARTS = 10;

export const relabelTopics = defineTask<RelabelInput, never, RelabelOutput>({
  async run(input, ctx) {
    const { config } = input;
    const n = input.texts.length;
    if (input.assignments.length !== n) throw new ShirabeError('internal', { detail: `relabel: ${input.assignments.length} assignments for ${n} documents` });
    // The same vectors the clustering was made in (the baseline's LSA again, seeded alike).
    const { vectors, model } = await documentSpace(input, ctx);
    const d = vectors.d;
    const assignments = Int32Array.from(input.assignments);
    if (input.split) {
      const { rows, parts, firstCluster, seed } = input.split;
      const data = new Float32Array(rows.length * d);
      rows.forEach((r, i) => data.set(vectors.data.subarray(r * d, (r + 1) * d), i * d));
      // In the full space with the run's metric (a reduced space would need the whole corpus again).
      const { labels } = await cluster({ data, n: rows.length, d }, { algorithm: { kind: 'kmeans', k: parts, restarts: SPLIT_RESTARTS }, metric: config.metric, seed }, ctx);
      rows.forEach((r, i) => (assignments[r] = firstCluster + labels[i]));
    }
    // Silhouette in the space the run clustered in; after a UMAP-reduced run it would compare other distances, so none.
    const space: Vectors | null = config.reduce ? null : vectors;
    const quality = assignmentQuality(space, assignments, input.gold, config.metric, config.seed);
    const labelled = labelClusters({ vectors: vectors.data, dimensions: d, model, labels: config.labels }, assignments);
    ctx.progress(1, 1);
    return { assignments, vocabulary: labelled.vocabulary, quality: { ...quality, inertia: null, lift: labelled.lift }, topics: labelled.topics };
  },
  transfer: (o) => [o.assignments.buffer as ArrayBuffer],
});
