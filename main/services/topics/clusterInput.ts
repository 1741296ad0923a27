// What a clustering's compute tasks are given and how their topics come back: an embedding run's
// vectors with its documents' texts and gold labels (in the run's document order), and the task's
// topics turned into the contract's, with titles for the representatives and gold-label shares.
import { createHash } from 'node:crypto';
import type { EmbeddingRef, TopicInfo } from '../../../common/contract';
import type { ClusterTopic } from '../../jobs/compute/tasks/topics/labelling';
import type { ProjectStore } from '../../project/store';

/** An embedding run's vectors with what its record and the runs need to say about them. */
export function embeddingOf(store: ProjectStore, runId: number) {
  const { run, documentIds, vectors } = store.embeddings.vectors(runId);
  const ref: EmbeddingRef = { runId, model: run.model.name, pooling: run.pooling, layer: run.layer, dimensions: run.dimensions };
  // The run's vectors are fixed by its id; the documents they stand for are what may change (a corpus re-imported).
  const dataHash = createHash('sha256').update(`embedding ${runId}\n`).update(Int32Array.from(documentIds)).digest('hex');
  return { run, documentIds, vectors, ref, dataHash };
}

export interface ClusterInput {
  documentIds: readonly number[];
  vectors: Float32Array;
  dimensions: number;
  texts: string[];
  goldNames: string[];
  /** Each document's gold label index (-1: none), or null when the corpus has no labels. */
  gold: Int32Array | null;
}

export function clusterInput(store: ProjectStore, embeddingRunId: number): ClusterInput {
  const e = embeddingOf(store, embeddingRunId);
  const docs = new Map(store.documents.labelled(e.run.corpusId).map((d) => [d.id, d]));
  const rows = e.documentIds.map((id) => docs.get(id)!);
  const goldNames = [...new Set(rows.map((d) => d.label).filter((l): l is string => l !== null && l !== ''))].sort();
  const goldIndex = new Map(goldNames.map((l, i) => [l, i]));
  const gold = goldNames.length > 0 ? Int32Array.from(rows, (d) => (d.label ? (goldIndex.get(d.label) ?? -1) : -1)) : null;
  return { documentIds: e.documentIds, vectors: e.vectors, dimensions: e.run.dimensions, texts: rows.map((d) => d.text), goldNames, gold };
}

const snippet = (text: string) => text.slice(0, 200);

/** A task's topics as the contract's (unnamed, unpinned): representatives with their titles, each topic's spread over the gold labels. */
export function topicInfos(store: ProjectStore, input: ClusterInput, topics: readonly ClusterTopic[], assignments: Int32Array): TopicInfo[] {
  const { gold, goldNames } = input;
  return topics.map((t) => {
    const shares = new Map<string, number>();
    if (gold) assignments.forEach((c, i) => c === t.cluster && gold[i] >= 0 && shares.set(goldNames[gold[i]], (shares.get(goldNames[gold[i]]) ?? 0) + 1));
    return {
      cluster: t.cluster,
      name: null,
      pinned: [],
      size: t.size,
      study: t.study,
      ctfidf: t.ctfidf,
      representatives: t.representatives.map((r) => {
        const d = store.documents.get(input.documentIds[r]);
        return { documentId: d.id, title: d.title, snippet: snippet(d.text) };
      }),
      gold: [...shares].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count),
    };
  });
}
