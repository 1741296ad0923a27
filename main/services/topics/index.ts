// Maps and topics as the contract's handlers: a clustering (with both label methods) and a 2-D map
// of an embedding run, each a run of the shared lifecycle computed in the compute worker and
// written to the project in one transaction; their per-document results for the map view.
import type { ClusterConfig, ClusterResult, Handlers, MapConfig, MapResult } from '../../../common/contract';
import type { NewTopicsRun } from '../../project/repositories/topics';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, launchRun, provenance, type RunKindService } from '../runs';
import type { WorkflowService } from '../workflow';
import { clusterInput, embeddingOf, topicInfos } from './clusterInput';
import { topicEditing } from './edits';
import { sweepHandler } from './sweep';

type TopicsHandlers = Pick<Handlers, 'topics.cluster' | 'topics.assignments' | 'topics.edit' | 'topics.undo' | 'topics.redo' | 'maps.start' | 'maps.points' | 'topics.sweep'>;

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
        const input = clusterInput(store, config.embeddingRunId);
        const { output: o, backend } = await deps.compute.run(
          'cluster',
          { config, vectors: input.vectors, dimensions: input.dimensions, texts: input.texts, gold: input.gold },
          { signal: ctx.signal, onProgress: ctx.progress },
        );
        const topics = topicInfos(store, input, o.topics, o.assignments);
        const seconds = (Date.now() - started) / 1000;
        store.topics.clusters.finish(runId, {
          backend,
          seconds,
          documentIds: Int32Array.from(input.documentIds),
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

  /** A run of either kind over an embedding run: its record (named after the corpus, the vectors' source and the method unless named), then its job. */
  const start = async <C extends ClusterConfig | MapConfig>(
    config: C,
    source: string | null,
    method: string,
    records: { create(run: NewTopicsRun<C>): number; delete(id: number): void },
    launch: (store: ProjectStore, runId: number, config: C) => string,
  ) => {
    const store = deps.projects.require();
    const e = embeddingOf(store, config.embeddingRunId);
    const name = config.name.trim() || `${e.run.corpusName} · ${source ?? e.run.model.name} · ${method}`;
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
    start(
      config,
      // The baseline is named by what it clusters, not by the model whose documents it takes.
      config.lsa ? `TF-IDF + SVD ${config.lsa.components}` : null,
      config.algorithm.kind === 'kmeans' ? `k-means k=${config.algorithm.k}` : `HDBSCAN ${config.algorithm.minClusterSize}`,
      deps.projects.require().topics.clusters,
      launchCluster,
    );
  const startMap = (config: MapConfig) => start(config, null, config.method.toUpperCase(), deps.projects.require().topics.maps, launchMap);

  // A clustering or a map has no checkpoint (each is minutes at most): resumed, it runs again from the start.
  const clusterRuns: RunKindService<'cluster'> = {
    list: (corpusId) => deps.projects.require().topics.clusters.list(corpusId),
    get(runId) {
      const store = deps.projects.require();
      return { ...store.topics.clusters.get(runId), ...store.topics.clusters.edits(runId) };
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
    ...topicEditing(deps),
    'topics.assignments': async ({ runId }) => deps.projects.require().topics.clusters.assignments(runId),
    'topics.sweep': sweepHandler(deps),
    'maps.start': (config) => startMap(config),
    'maps.points': async ({ runId }) => deps.projects.require().topics.maps.points(runId),
  };
  return { handlers, runs: { cluster: clusterRuns, map: mapRuns } };
}
