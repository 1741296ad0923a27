// A researcher's edits of a clustering's topics, kept apart from the computed result
// (repositories/topics.ts, topic_edits): a rename or a pinned word is written at once; a merge, a
// split (the documents re-clustered by k-means) or documents moved is a job in the compute worker
// that labels every topic again from the new assignment, then writes the edit with what it changed
// in one transaction. Undo takes back the last edit in force; redo restores it until the next edit.
import type { ClusterRunInfo, Handlers, TopicEdit, TopicEditResult, TopicInfo } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed } from '../../../common/random';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { clusterInput, topicInfos } from './clusterInput';

type EditHandlers = Pick<Handlers, 'topics.edit' | 'topics.undo' | 'topics.redo'>;

/** What an edit carries over to the relabelled topics: each cluster's name and pins. */
type Carried = Map<number, { name: string | null; pinned: string[] }>;

const union = (...lists: string[][]) => [...new Set(lists.flat())];

export function topicEditing(deps: ServiceContext): EditHandlers {
  /** Clusterings being relabelled after an edit: one edit at a time per clustering. */
  const busy = new Set<number>();

  const editable = (store: ProjectStore, runId: number): ClusterRunInfo => {
    const run = store.topics.clusters.get(runId);
    if (run.status !== 'done') throw new ShirabeError('topicsEditNotReady', { id: runId, status: run.status });
    if (busy.has(runId)) throw new ShirabeError('topicsEditBusy', { id: runId });
    return run;
  };

  /** The rows (document order) of the given documents, refused when any is not in the clustering. */
  const rowsOf = (runId: number, documentIds: Int32Array, ids: readonly number[]): Int32Array => {
    const row = new Map<number, number>();
    documentIds.forEach((d, i) => row.set(d, i));
    const rows = [...new Set(ids)].map((d) => row.get(d));
    const missing = rows.filter((r) => r === undefined).length;
    if (missing > 0) throw new ShirabeError('topicsUnknownDocuments', { count: missing, id: runId });
    return Int32Array.from(rows as number[]);
  };

  /** Relabels every topic from the edited assignment in the worker, then writes the edit. */
  const relabel = (store: ProjectStore, run: ClusterRunInfo, edit: TopicEdit, assignments: Int32Array, carried: Carried, split: { rows: Int32Array; parts: number; firstCluster: number } | null): string => {
    const runId = run.id;
    busy.add(runId);
    let job;
    try {
      job = deps.jobs.submit({
      kind: 'topicEdit',
      title: `${run.name} · ${edit.kind}`,
      unit: 'steps',
      body: async (ctx): Promise<TopicEditResult> => {
        try {
          const started = Date.now();
          const input = clusterInput(store, run.config.embeddingRunId);
          const before = store.topics.clusters.assignments(runId).clusters;
          const { output: o } = await deps.compute.run(
            'relabel',
            {
              config: run.config,
              vectors: input.vectors,
              dimensions: input.dimensions,
              texts: input.texts,
              gold: input.gold,
              assignments,
              split: split && { ...split, seed: deriveSeed(run.config.seed, store.topics.clusters.edits(runId).edits.length + 1) },
            },
            { signal: ctx.signal, onProgress: ctx.progress },
          );
          const changes: number[] = [];
          o.assignments.forEach((c, i) => c !== before[i] && changes.push(i, c));
          const topics = topicInfos(store, input, o.topics, o.assignments).map((t) => ({ ...t, ...(carried.get(t.cluster) ?? {}) }));
          store.topics.clusters.addEdit(runId, { edit, changes: Int32Array.from(changes), topics, quality: o.quality });
          deps.projects.touched();
          return { runId, edit, clusters: topics.filter((t) => t.cluster >= 0).length, seconds: (Date.now() - started) / 1000 };
        } finally {
          busy.delete(runId);
        }
      },
    });
    } catch (err) {
      busy.delete(runId);
      throw err;
    }
    deps.remember(job.id, { runId, edit, version: deps.version });
    return job.id;
  };

  return {
    'topics.edit': async ({ runId, edit }) => {
      const store = deps.projects.require();
      const run = editable(store, runId);
      const state = store.topics.clusters.edits(runId);
      const topicOf = new Map(state.topics.map((t) => [t.cluster, t]));
      const known = (cluster: number): TopicInfo => {
        const t = topicOf.get(cluster);
        if (!t) throw new ShirabeError('topicsUnknownTopic', { id: runId, cluster });
        return t;
      };
      // Names and pins stay with their clusters through a relabelling.
      const carried: Carried = new Map(state.topics.map((t) => [t.cluster, { name: t.name, pinned: t.pinned }]));
      // A new topic's number: one past every number the clustering has had, so none is reused.
      const next = Math.max(-1, ...state.topics.map((t) => t.cluster), ...store.topics.clusters.computedTopics(runId).map((t) => t.cluster)) + 1;
      const written = (topics: TopicInfo[]) => {
        store.topics.clusters.addEdit(runId, { edit, changes: null, topics, quality: state.editedQuality });
        deps.projects.touched();
        return { jobId: null };
      };

      switch (edit.kind) {
        case 'rename': {
          known(edit.cluster);
          const name = edit.name.trim();
          return written(state.topics.map((t) => (t.cluster === edit.cluster ? { ...t, name: name === '' ? null : name } : t)));
        }
        case 'pin': {
          known(edit.cluster);
          return written(
            state.topics.map((t) => (t.cluster === edit.cluster ? { ...t, pinned: edit.pinned ? union(t.pinned, [edit.word]) : t.pinned.filter((w) => w !== edit.word) } : t)),
          );
        }
        case 'merge': {
          const clusters = [...new Set(edit.clusters)];
          if (clusters.length < 2) throw new ShirabeError('topicsMergeNeedsTwo');
          const merged = clusters.map(known);
          const into = clusters[0];
          const a = store.topics.clusters.assignments(runId).clusters;
          const others = new Set(clusters.slice(1));
          const assignments = a.map((c) => (others.has(c) ? into : c));
          carried.set(into, { name: merged.find((t) => t.name !== null)?.name ?? null, pinned: union(...merged.map((t) => t.pinned)) });
          return { jobId: relabel(store, run, { ...edit, clusters }, assignments, carried, null) };
        }
        case 'move': {
          const { documentIds, clusters: a } = store.topics.clusters.assignments(runId);
          const rows = rowsOf(runId, documentIds, edit.documentIds);
          // Noise (-1) is a place documents may go even when the clustering has none.
          if (edit.to !== null && edit.to !== -1) known(edit.to);
          const to = edit.to ?? next;
          const assignments = Int32Array.from(a);
          for (const r of rows) assignments[r] = to;
          return { jobId: relabel(store, run, { ...edit, to }, assignments, carried, null) };
        }
        case 'split': {
          const { documentIds, clusters: a } = store.topics.clusters.assignments(runId);
          let rows: Int32Array;
          if ('cluster' in edit.target) {
            const cluster = edit.target.cluster;
            known(cluster);
            rows = Int32Array.from({ length: a.length }, (_, i) => i).filter((i) => a[i] === cluster);
          } else {
            rows = rowsOf(runId, documentIds, edit.target.documentIds);
          }
          if (rows.length < edit.parts) throw new ShirabeError('topicsSplitTooFew', { parts: edit.parts, documents: rows.length });
          return { jobId: relabel(store, run, edit, a, carried, { rows, parts: edit.parts, firstCluster: next }) };
        }
      }
    },
    'topics.undo': async ({ runId }) => {
      const store = deps.projects.require();
      editable(store, runId);
      const edit = store.topics.clusters.undo(runId);
      deps.projects.touched();
      return { edit };
    },
    'topics.redo': async ({ runId }) => {
      const store = deps.projects.require();
      editable(store, runId);
      const edit = store.topics.clusters.redo(runId);
      deps.projects.touched();
      return { edit };
    },
  };
}
