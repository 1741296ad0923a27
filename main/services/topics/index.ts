// Maps and topics as the contract's handlers: a clustering (with both label methods) and a 2-D map
// of an embedding run, each a run of the shared lifecycle computed in the compute worker and
// written to the project in one transaction; their per-document results for the map view.
import { createHash } from 'node:crypto';
import type { ClusterConfig, ClusterResult, EmbeddingRef, Handlers, MapConfig, MapResult, TopicInfo } from '../../../common/contract';
import type { NewTopicsRun } from '../../project/repositories/topics';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, launchRun, provenance, type RunKindService } from '../runs';
import type { WorkflowService } from '../workflow';

type TopicsHandlers = Pick<Handlers, 'topics.cluster' | 'topics.assignments' | 'maps.start' | 'maps.points'>;

/** An embedding run's vectors with what its record and the runs need to say about them. */
function embeddingOf(store: ProjectStore, runId: number) {
  const { run, documentIds, vectors } = store.embeddings.vectors(runId);
  const ref: EmbeddingRef = { runId, model: run.model.name, pooling: run.pooling, layer: run.layer, dimensions: run.dimensions };
  // The run's vectors are fixed by its id; the documents they stand for are what may change (a corpus re-imported).
  const dataHash = createHash('sha256').update(`embedding ${runId}\n`).update(Int32Array.from(documentIds)).digest('hex');
  return { run, documentIds, vectors, ref, dataHash };
}

const snippet = (text: string) => text.slice(0, 200);

export function topicsService(deps: ServiceContext): WorkflowService<TopicsHandlers, 'cluster' | 'map'> {
  const launchCluster = (store: ProjectStore, runId: number, config: ClusterConfig): string => {
    const jobId = launchRun(deps.jobs, {
      kind: 'cluster',
      runId,
      title: store.topics.clusters.get(runId).name,
      unit: 'steps',
      setStatus: (status, error) => store.topics.clusters.setStatus(runId, status, error),
      keep: () => {},
      body: async (ctx): Promise<ClusterResult> => {
        const started = Date.now();
        const e = embeddingOf(store, config.embeddingRunId);
        const docs = new Map(store.documents.labelled(e.run.corpusId).map((d) => [d.id, d]));
        const rows = e.documentIds.map((id) => docs.get(id)!);
        const goldNames = [...new Set(rows.map((d) => d.label).filter((l): l is string => l !== null && l !== ''))].sort();
        const goldIndex = new Map(goldNames.map((l, i) => [l, i]));
        const gold = goldNames.length > 0 ? Int32Array.from(rows, (d) => (d.label ? (goldIndex.get(d.label) ?? -1) : -1)) : null;
        const { output: o, backend } = await deps.compute.run(
          'cluster',
          { config, vectors: e.vectors, dimensions: e.run.dimensions, texts: rows.map((d) => d.text), gold },
          { signal: ctx.signal, onProgress: ctx.progress },
        );
        const topics: TopicInfo[] = o.topics.map((t) => {
          const shares = new Map<string, number>();
          if (gold) o.assignments.forEach((c, i) => c === t.cluster && gold[i] >= 0 && shares.set(goldNames[gold[i]], (shares.get(goldNames[gold[i]]) ?? 0) + 1));
          return {
            cluster: t.cluster,
            size: t.size,
            study: t.study,
            ctfidf: t.ctfidf,
            representatives: t.representatives.map((r) => {
              const d = store.documents.get(e.documentIds[r]);
              return { documentId: d.id, title: d.title, snippet: snippet(d.text) };
            }),
            gold: [...shares].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count),
          };
        });
        const seconds = (Date.now() - started) / 1000;
        store.topics.clusters.finish(runId, {
          backend,
          seconds,
          documentIds: Int32Array.from(e.documentIds),
          assignments: o.assignments,
          clusters: o.clusters,
          vocabulary: o.vocabulary,
          quality: o.quality,
          topics,
        });
        deps.projects.touched();
        return { runId, clusters: o.clusters, quality: o.quality, seconds };
      },
    });
    deps.remember(jobId, { runId, config, version: deps.version });
    return jobId;
  };

  const launchMap = (store: ProjectStore, runId: number, config: MapConfig): string => {
    const jobId = launchRun(deps.jobs, {
      kind: 'map',
      runId,
      title: store.topics.maps.get(runId).name,
      unit: 'steps',
      setStatus: (status, error) => store.topics.maps.setStatus(runId, status, error),
      keep: () => {},
      body: async (ctx): Promise<MapResult> => {
        const started = Date.now();
        const e = embeddingOf(store, config.embeddingRunId);
        const { output: o, backend } = await deps.compute.run(
          'map',
          { config, vectors: e.vectors, dimensions: e.run.dimensions },
          { signal: ctx.signal, onProgress: ctx.progress },
        );
        const seconds = (Date.now() - started) / 1000;
        store.topics.maps.finish(runId, { backend, seconds, documentIds: Int32Array.from(e.documentIds), coords: o.coords, trustworthiness: o.trustworthiness });
        deps.projects.touched();
        return { runId, trustworthiness: o.trustworthiness, seconds };
      },
    });
    deps.remember(jobId, { runId, config, version: deps.version });
    return jobId;
  };

  /** A run of either kind over an embedding run: its record (named after the corpus, model and method unless named), then its job. */
  const start = async <C extends ClusterConfig | MapConfig>(
    config: C,
    method: string,
    records: { create(run: NewTopicsRun<C>): number; delete(id: number): void },
    launch: (store: ProjectStore, runId: number, config: C) => string,
  ) => {
    const store = deps.projects.require();
    const e = embeddingOf(store, config.embeddingRunId);
    const name = config.name.trim() || `${e.run.corpusName} · ${e.run.model.name} · ${method}`;
    const named = { ...config, name };
    const { runId, launched } = await createAndLaunch(
      () =>
        records.create({
          corpusId: e.run.corpusId,
          name,
          config: named,
          embedding: e.ref,
          dataHash: e.dataHash,
          documents: { documents: e.documentIds.length },
          versions: provenance(deps.version),
        }),
      async (id) => launch(store, id, named),
      (id) => records.delete(id),
    );
    return { jobId: launched, runId };
  };
  const startCluster = (config: ClusterConfig) =>
    start(config, config.algorithm.kind === 'kmeans' ? `k-means k=${config.algorithm.k}` : `HDBSCAN ${config.algorithm.minClusterSize}`, deps.projects.require().topics.clusters, launchCluster);
  const startMap = (config: MapConfig) => start(config, config.method.toUpperCase(), deps.projects.require().topics.maps, launchMap);

  // A clustering or a map has no checkpoint (each is minutes at most): resumed, it runs again from the start.
  const clusterRuns: RunKindService<'cluster'> = {
    list: (corpusId) => deps.projects.require().topics.clusters.list(corpusId),
    get(runId) {
      const store = deps.projects.require();
      return { ...store.topics.clusters.get(runId), topics: store.topics.clusters.topics(runId) };
    },
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: launchCluster(store, runId, store.topics.clusters.get(runId).config) };
    },
    rerun: (runId) => startCluster(deps.projects.require().topics.clusters.get(runId).config),
    delete: (runId) => deps.projects.require().topics.clusters.delete(runId),
  };
  const mapRuns: RunKindService<'map'> = {
    list: (corpusId) => deps.projects.require().topics.maps.list(corpusId),
    get: (runId) => deps.projects.require().topics.maps.get(runId),
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: launchMap(store, runId, store.topics.maps.get(runId).config) };
    },
    rerun: (runId) => startMap(deps.projects.require().topics.maps.get(runId).config),
    delete: (runId) => deps.projects.require().topics.maps.delete(runId),
  };

  const handlers: TopicsHandlers = {
    'topics.cluster': (config) => startCluster(config),
    'topics.assignments': async ({ runId }) => deps.projects.require().topics.clusters.assignments(runId),
    'maps.start': (config) => startMap(config),
    'maps.points': async ({ runId }) => deps.projects.require().topics.maps.points(runId),
  };
  return { handlers, runs: { cluster: clusterRuns, map: mapRuns } };
}
