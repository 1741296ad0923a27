// TEST-ONLY: the topics.* and maps.* methods of the in-memory mock API (mockApi.ts), and the runs.*
// methods for its two kinds (cluster, map), for developing and testing the Maps & topics pages
// without the backend. Nothing is clustered: every document belongs to a latent group fixed by its
// id and gold label; a clustering reads those groups (with a seeded share of strays), a map places
// each group around a point of a spiral with seeded noise. So a clustering and a map of the same
// embedding run agree, and the same config gives the same numbers.
import {
  clusterConfigSchema,
  mapConfigSchema,
  type ClusterConfig,
  type ClusterQuality,
  type ClusterRunDetail,
  type CorpusSummary,
  type EmbeddingRef,
  type EmbeddingRunInfo,
  type Events,
  type Input,
  type JobInfo,
  type JobOf,
  type MapConfig,
  type MapRunInfo,
  type Output,
  type RunInfo,
  type TopicEdit,
  type TopicEditRecord,
  type TopicInfo,
} from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { mulberry32 } from '../../../common/random';
import { fakeHash } from './mockTrain';

export interface MockTopicsDeps {
  corpora: readonly CorpusSummary[];
  embeddingRuns(): readonly EmbeddingRunInfo[];
  /** How the mock corpus labels its documents (index i = document id i + 1). */
  document(i: number): { title: string; text: string; label: string };
  jobs: Map<string, JobInfo>;
  newJobId(): string;
  cancel(jobId: string): void;
  emit<E extends 'job.update'>(event: E, payload: Events[E]): void;
  /** Wall-clock milliseconds one mock job takes. */
  runMillis: number;
}

type TopicsMethodName = 'topics.cluster' | 'topics.assignments' | 'topics.edit' | 'topics.undo' | 'topics.redo' | 'maps.start' | 'maps.points';
type RunsMethodName = 'runs.list' | 'runs.get' | 'runs.resume' | 'runs.rerun' | 'runs.cancel' | 'runs.delete';
export type MockTopicsHandlers = { [M in TopicsMethodName | RunsMethodName]: (input: Input<M>) => Output<M> };

/** Words of each mock label's documents, for the two label lists. */
const vocabulary: Record<string, string[]> = {
  movie: ['映画', '監督', '作品', '公開', '名画座', '黒澤明', '俳優', '脚本', '上映', '観客', '主演', '撮影', '字幕', '興行', '配給', '試写', '邦画', '洋画', '続編', '原作'],
  smax: ['スマートフォン', '電池', '画面', 'アプリ', '端末', '発売', '機種', 'カメラ', '充電', '通信', '容量', '防水', '価格', 'モデル', '性能', '操作', '無線', '液晶', '搭載', '更新'],
  sports: ['試合', '選手', 'リーグ', '開幕', '観客', '優勝', '監督', '得点', '日本シリーズ', '第七戦', 'サッカー', '野球', '代表', '移籍', '勝利', '球団', '記録', '決勝', '連勝', '引退'],
  topic: ['話題', '前売り', '完売', '来月', '公開', '人気', '発表', '記者', '会見', '予約', '行列', '限定', '反響', '初日', '特典', '注目', '速報', '企画', '番組', '放送'],
};
const groupsPerLabel = 5;

interface MockRunBase {
  job: { startedAt: number } | null;
}
interface MockCluster extends MockRunBase {
  detail: ClusterRunDetail;
  documentIds: Int32Array;
  clusters: Int32Array;
  /** The computed topics and assignment, before any edit. */
  computed: { topics: TopicInfo[]; clusters: Int32Array };
  /** Each edit with the state after it; `undone` counts those taken back from the end. */
  edits: { record: TopicEditRecord; topics: TopicInfo[]; clusters: Int32Array }[];
  undone: number;
}
interface MockMap extends MockRunBase {
  detail: MapRunInfo;
  documentIds: Int32Array;
  coords: Float32Array;
}

/** A document's latent group: its gold label's five groups, the one fixed by a hash of its id. */
function latentGroup(i: number, label: string, labels: readonly string[]): number {
  const l = Math.max(0, labels.indexOf(label));
  const h = Math.imul(i + 1, 0x9e3779b1) >>> 27; // 0…31
  return l * groupsPerLabel + (h % groupsPerLabel);
}

/** Box–Muller, from a seeded uniform. */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

export function createMockTopics(deps: MockTopicsDeps): MockTopicsHandlers & { seed(): void; owns(runId: number): boolean } {
  const clusterings = new Map<number, MockCluster>();
  const maps = new Map<number, MockMap>();
  // Run ids are unique across kinds: the training mock counts from 1.
  let nextRunId = 1001;

  const embeddingOf = (runId: number): EmbeddingRunInfo => {
    const e = deps.embeddingRuns().find((r) => r.id === runId);
    if (!e) throw new ShirabeError('runNotFound', { id: runId });
    return e;
  };
  const corpusOf = (id: number): CorpusSummary => {
    const c = deps.corpora.find((x) => x.id === id);
    if (!c) throw new ShirabeError('corpusNotFound', { id });
    return c;
  };
  const refOf = (e: EmbeddingRunInfo): EmbeddingRef => ({ runId: e.id, model: e.model.name, pooling: e.pooling, layer: e.layer, dimensions: e.dimensions });
  const labelsOf = (c: CorpusSummary) => c.labels.map((l) => l.label);
  const common = (c: CorpusSummary, e: EmbeddingRunInfo) => ({
    corpusId: c.id,
    corpusName: c.name,
    status: 'running' as const,
    dataHash: fakeHash(`${c.id}:${c.documents}:${e.id}`),
    documents: { documents: c.documents },
    backend: 'wasm (WebAssembly SIMD, 1 thread) — mock',
    versions: { shirabe: '0.1.0', mock: 'true' },
    createdAt: new Date().toISOString(),
    finishedAt: null,
    seconds: null,
    checkpoint: null,
    error: null,
  });

  const computeCluster = (run: MockCluster) => {
    const config = run.detail.config;
    const c = corpusOf(run.detail.corpusId);
    const labels = labelsOf(c);
    const n = c.documents;
    const rand = mulberry32(config.seed * 31 + config.embeddingRunId);
    const groups = Math.max(1, labels.length) * groupsPerLabel;
    const k = config.algorithm.kind === 'kmeans' ? Math.min(config.algorithm.k, n) : Math.max(2, Math.min(groups, Math.round(n / Math.max(1, config.algorithm.minClusterSize) / 4)));
    const hdbscan = config.algorithm.kind === 'hdbscan';
    const documentIds = new Int32Array(n);
    const clusters = new Int32Array(n);
    const gold: Map<string, number>[] = Array.from({ length: k }, () => new Map());
    const members: number[][] = Array.from({ length: k }, () => []);
    let noiseCount = 0;
    for (let i = 0; i < n; i++) {
      const doc = deps.document(i);
      documentIds[i] = i + 1;
      const r = rand();
      let cluster = latentGroup(i, doc.label, labels) % k;
      if (hdbscan && r < 0.08) cluster = -1;
      else if (r < 0.14) cluster = Math.floor(rand() * k);
      clusters[i] = cluster;
      if (cluster < 0) {
        noiseCount++;
        continue;
      }
      gold[cluster].set(doc.label, (gold[cluster].get(doc.label) ?? 0) + 1);
      if (members[cluster].length < 3) members[cluster].push(i);
    }
    const words = (cluster: number, shift: number) => {
      const major = [...gold[cluster].entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? labels[0] ?? 'movie';
      const list = vocabulary[major] ?? vocabulary.movie;
      const out: { word: string; score: number }[] = [];
      for (let w = 0; w < Math.min(config.labels.words, list.length); w++) {
        out.push({ word: list[(w * 3 + cluster + shift) % list.length], score: Number((0.9 - w * 0.03 - shift * 0.01).toFixed(3)) });
      }
      return out.filter((w) => !config.labels.stopWords.includes(w.word));
    };
    const topics: TopicInfo[] = [];
    for (let cl = 0; cl < k; cl++) {
      const size = [...gold[cl].values()].reduce((a, b) => a + b, 0);
      if (size === 0) continue;
      topics.push({
        cluster: cl,
        name: null,
        pinned: [],
        size,
        study: words(cl, 0),
        ctfidf: words(cl, 1),
        representatives: members[cl].map((i) => {
          const d = deps.document(i);
          return { documentId: i + 1, title: d.title, snippet: d.text.slice(0, 80) };
        }),
        gold: [...gold[cl].entries()].map(([label, count]) => ({ label, count })),
      });
    }
    if (hdbscan && noiseCount > 0) topics.push({ cluster: -1, name: null, pinned: [], size: noiseCount, study: [], ctfidf: [], representatives: [], gold: [] });
    const purity = topics.reduce((s, t) => s + Math.max(0, ...t.gold.map((g) => g.count)), 0) / Math.max(1, n);
    const quality: ClusterQuality = {
      silhouette: k > 1 ? Number((0.08 + 0.1 * rand()).toFixed(4)) : null,
      nmi: labels.length ? Number((0.45 + 0.2 * rand()).toFixed(4)) : null,
      ari: labels.length ? Number((0.25 + 0.2 * rand()).toFixed(4)) : null,
      purity: labels.length ? Number(purity.toFixed(4)) : null,
      inertia: hdbscan ? null : Number((n * (0.4 + 0.1 * rand())).toFixed(2)),
      noise: noiseCount,
      lift: { study: Number((3 + rand()).toFixed(3)), ctfidf: Number((2.5 + rand()).toFixed(3)) },
    };
    run.documentIds = documentIds;
    run.clusters = clusters;
    run.computed = { topics, clusters: clusters.slice() };
    run.edits = [];
    run.undone = 0;
    run.detail = { ...run.detail, clusters: topics.filter((t) => t.cluster >= 0).length, vocabulary: 2_400 + (n % 500), quality, topics, edits: [], redo: [], editedQuality: null };
  };

  const computeMap = (run: MockMap) => {
    const config = run.detail.config;
    const c = corpusOf(run.detail.corpusId);
    const labels = labelsOf(c);
    const n = c.documents;
    const rand = mulberry32(config.seed * 17 + config.embeddingRunId);
    // PCA keeps the least apart; UMAP the most.
    const spread = config.method === 'pca' ? 0.55 : config.method === 'tsne' ? 0.3 : 0.22;
    const documentIds = new Int32Array(n);
    const coords = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const g = latentGroup(i, deps.document(i).label, labels);
      const angle = g * 0.9;
      const radius = 1 + g * 0.35;
      documentIds[i] = i + 1;
      coords[2 * i] = radius * Math.cos(angle) + spread * gaussian(rand);
      coords[2 * i + 1] = radius * Math.sin(angle) + spread * gaussian(rand);
    }
    run.documentIds = documentIds;
    run.coords = coords;
    run.detail = { ...run.detail, trustworthiness: Number((config.method === 'pca' ? 0.82 : 0.93 + 0.03 * rand()).toFixed(4)) };
  };

  const newCluster = (config: ClusterConfig): MockCluster => {
    const e = embeddingOf(config.embeddingRunId);
    const c = corpusOf(e.corpusId);
    const algorithm = config.algorithm.kind === 'kmeans' ? `k-means k=${config.algorithm.k}` : `HDBSCAN ${config.algorithm.minClusterSize}`;
    const id = nextRunId++;
    const run: MockCluster = {
      job: null,
      documentIds: new Int32Array(0),
      clusters: new Int32Array(0),
      computed: { topics: [], clusters: new Int32Array(0) },
      edits: [],
      undone: 0,
      detail: { kind: 'cluster', id, ...common(c, e), name: config.name || `${e.model.name} · ${algorithm}`, config, embedding: refOf(e), clusters: null, vocabulary: null, quality: null, topics: [], edits: [], redo: [], editedQuality: null },
    };
    clusterings.set(id, run);
    return run;
  };

  const newMap = (config: MapConfig): MockMap => {
    const e = embeddingOf(config.embeddingRunId);
    const c = corpusOf(e.corpusId);
    const id = nextRunId++;
    const method = { umap: 'UMAP', tsne: 't-SNE', pca: 'PCA' }[config.method];
    const run: MockMap = {
      job: null,
      documentIds: new Int32Array(0),
      coords: new Float32Array(0),
      detail: { kind: 'map', id, ...common(c, e), name: config.name || `${e.model.name} · ${method}`, config, embedding: refOf(e), trustworthiness: null },
    };
    maps.set(id, run);
    return run;
  };

  /** A job of a few seconds that ends in the run's results. */
  const startJob = (run: MockCluster | MockMap) => {
    const kind = run.detail.kind;
    const jobId = deps.newJobId();
    const startedAt = Date.now();
    const total = run.detail.documents.documents;
    const base = { id: jobId, title: run.detail.name, status: 'queued' as const, done: 0, total, unit: 'documents', startedAt, finishedAt: null, etaSeconds: null, error: null, result: null, run: { kind, runId: run.detail.id } };
    let job: JobInfo = kind === 'cluster' ? ({ ...base, kind: 'cluster' } as JobOf<'cluster'>) : ({ ...base, kind: 'map' } as JobOf<'map'>);
    deps.jobs.set(jobId, job);
    deps.emit('job.update', job);
    run.detail = { ...run.detail, status: 'running', error: null, finishedAt: null };
    run.job = { startedAt };
    const ticks = Math.max(4, Math.round(deps.runMillis / 150));
    let tick = 0;
    const timer = setInterval(() => {
      if (deps.jobs.get(jobId)?.status === 'cancelled') {
        clearInterval(timer);
        run.detail = { ...run.detail, status: 'cancelled', finishedAt: new Date().toISOString() };
        run.job = null;
        return;
      }
      tick++;
      const seconds = (Date.now() - startedAt) / 1000;
      if (tick >= ticks) {
        clearInterval(timer);
        if (run.detail.kind === 'cluster') computeCluster(run as MockCluster);
        else computeMap(run as MockMap);
        run.detail = { ...run.detail, status: 'done', finishedAt: new Date().toISOString(), seconds };
        run.job = null;
        const d = run.detail;
        const result =
          d.kind === 'cluster' ? { runId: d.id, clusters: d.clusters ?? 0, quality: d.quality!, seconds } : { runId: d.id, trustworthiness: d.trustworthiness, seconds };
        job = { ...job, status: 'done', done: total, etaSeconds: 0, finishedAt: Date.now(), result } as JobInfo;
      } else {
        job = { ...job, status: 'running', done: Math.round((total * tick) / ticks), etaSeconds: ((ticks - tick) * 150) / 1000 } as JobInfo;
      }
      deps.jobs.set(jobId, job);
      deps.emit('job.update', job);
    }, 150);
    return jobId;
  };

  const runOf = (runId: number): MockCluster | MockMap => {
    const run = clusterings.get(runId) ?? maps.get(runId);
    if (!run) throw new ShirabeError('runNotFound', { id: runId });
    return run;
  };
  const doneCluster = (runId: number): MockCluster => {
    const run = clusterings.get(runId);
    if (!run) throw new ShirabeError('runNotFound', { id: runId });
    return run;
  };
  const doneMap = (runId: number): MockMap => {
    const run = maps.get(runId);
    if (!run) throw new ShirabeError('runNotFound', { id: runId });
    return run;
  };
  const info = (r: MockCluster | MockMap): RunInfo => {
    if (r.detail.kind === 'map') return r.detail;
    const { topics: _topics, edits: _edits, redo: _redo, editedQuality: _edited, ...rest } = r.detail;
    return rest;
  };

  /** The topics and assignment in force, and the detail's edit lists, after an edit, undo or redo. */
  const applyEdits = (r: MockCluster) => {
    const live = r.edits.slice(0, r.edits.length - r.undone);
    const last = live.at(-1);
    r.clusters = (last?.clusters ?? r.computed.clusters).slice();
    r.detail = {
      ...r.detail,
      topics: last?.topics ?? r.computed.topics,
      edits: live.map((e) => e.record),
      redo: r.edits.slice(r.edits.length - r.undone).map((e) => e.record),
      editedQuality: live.some((e) => e.record.edit.kind !== 'rename' && e.record.edit.kind !== 'pin') ? r.detail.quality && { ...r.detail.quality, inertia: null } : null,
    };
  };

  /** The mock's edit: names and pins as asked; a new assignment's sizes and gold shares counted again, each topic keeping the words it had (a new one those of where its documents came from). */
  const mockEdit = (r: MockCluster, edit: TopicEdit) => {
    const topics = r.detail.topics;
    const topicOf = new Map(topics.map((t) => [t.cluster, t]));
    const known = (cluster: number) => {
      const t = topicOf.get(cluster);
      if (!t) throw new ShirabeError('topicsUnknownTopic', { id: r.detail.id, cluster });
      return t;
    };
    const rowOf = new Map([...r.documentIds].map((d, i) => [d, i]));
    const rows = (ids: readonly number[]) => {
      const found = ids.map((d) => rowOf.get(d));
      const missing = found.filter((x) => x === undefined).length;
      if (missing) throw new ShirabeError('topicsUnknownDocuments', { count: missing, id: r.detail.id });
      return found as number[];
    };
    const next = Math.max(-1, ...topics.map((t) => t.cluster), ...r.computed.topics.map((t) => t.cluster)) + 1;
    const a = r.clusters.slice();
    let next_topics: TopicInfo[];
    const from = new Map<number, TopicInfo>();
    if (edit.kind === 'rename' || edit.kind === 'pin') {
      known(edit.cluster);
      next_topics = topics.map((t) =>
        t.cluster !== edit.cluster ? t : edit.kind === 'rename' ? { ...t, name: edit.name || null } : { ...t, pinned: edit.pinned ? [...new Set([...t.pinned, edit.word])] : t.pinned.filter((w) => w !== edit.word) },
      );
    } else {
      if (edit.kind === 'merge') {
        const [into, ...rest] = [...new Set(edit.clusters)];
        if (rest.length === 0) throw new ShirabeError('topicsMergeNeedsTwo');
        const merged = [into, ...rest].map(known);
        a.forEach((c, i) => rest.includes(c) && (a[i] = into));
        from.set(into, { ...merged[0], name: merged.find((t) => t.name)?.name ?? null, pinned: [...new Set(merged.flatMap((t) => t.pinned))] });
      } else if (edit.kind === 'move') {
        if (edit.to !== null && edit.to !== -1) known(edit.to);
        const to = edit.to ?? next;
        const moved = rows(edit.documentIds);
        if (!topicOf.has(to)) from.set(to, { ...known(a[moved[0]]), cluster: to, name: null, pinned: [] });
        for (const i of moved) a[i] = to;
      } else {
        const chosen = 'cluster' in edit.target ? [...a.keys()].filter((i) => a[i] === (known((edit.target as { cluster: number }).cluster), (edit.target as { cluster: number }).cluster)) : rows(edit.target.documentIds);
        if (chosen.length < edit.parts) throw new ShirabeError('topicsSplitTooFew', { parts: edit.parts, documents: chosen.length });
        chosen.forEach((i, k) => {
          if (!from.has(next + (k % edit.parts))) from.set(next + (k % edit.parts), { ...known(a[i]), cluster: next + (k % edit.parts), name: null, pinned: [] });
          a[i] = next + (k % edit.parts);
        });
      }
      const sizes = new Map<number, Map<string, number>>();
      a.forEach((c, i) => {
        const g = sizes.get(c) ?? new Map<string, number>();
        const label = deps.document(r.documentIds[i] - 1).label;
        g.set(label, (g.get(label) ?? 0) + 1);
        sizes.set(c, g);
      });
      next_topics = [...sizes.keys()]
        .sort((x, y) => (x === -1 ? 1 : y === -1 ? -1 : x - y))
        .map((c) => {
          const base = from.get(c) ?? topicOf.get(c)!;
          const g = sizes.get(c)!;
          return { ...base, cluster: c, size: [...g.values()].reduce((s, x) => s + x, 0), gold: [...g.entries()].map(([label, count]) => ({ label, count })).sort((x, y) => y.count - x.count) };
        });
    }
    r.edits = [...r.edits.slice(0, r.edits.length - r.undone), { record: { id: r.edits.length + 1, edit, at: new Date().toISOString() }, topics: next_topics, clusters: a }];
    r.undone = 0;
    applyEdits(r);
  };

  /** A finished k-means clustering and a finished UMAP of the first embedding run, so the pages have something at once. */
  const seed = () => {
    if (clusterings.size + maps.size > 0) return;
    const e = deps.embeddingRuns()[0];
    if (!e) return;
    const cluster = newCluster(clusterConfigSchema.parse({ embeddingRunId: e.id, name: 'k-means k=20 (seeded)' }));
    computeCluster(cluster);
    cluster.detail = { ...cluster.detail, status: 'done', finishedAt: new Date().toISOString(), seconds: 12.5 };
    const map = newMap(mapConfigSchema.parse({ embeddingRunId: e.id, name: 'UMAP (seeded)' }));
    computeMap(map);
    map.detail = { ...map.detail, status: 'done', finishedAt: new Date().toISOString(), seconds: 31.2 };
  };

  return {
    seed,
    owns: (runId) => clusterings.has(runId) || maps.has(runId),
    'topics.cluster': (input) => {
      const run = newCluster(clusterConfigSchema.parse(input));
      return { jobId: startJob(run), runId: run.detail.id };
    },
    'maps.start': (input) => {
      const run = newMap(mapConfigSchema.parse(input));
      return { jobId: startJob(run), runId: run.detail.id };
    },
    'topics.assignments': ({ runId }) => {
      const r = doneCluster(runId);
      return { documentIds: r.documentIds.slice(), clusters: r.clusters.slice() };
    },
    'topics.edit': ({ runId, edit }) => {
      const r = doneCluster(runId);
      if (r.detail.status !== 'done') throw new ShirabeError('topicsEditNotReady', { id: runId, status: r.detail.status });
      mockEdit(r, edit);
      return { jobId: null };
    },
    'topics.undo': ({ runId }) => {
      const r = doneCluster(runId);
      if (r.undone >= r.edits.length) throw new ShirabeError('topicsNothingToUndo', { id: runId });
      r.undone++;
      applyEdits(r);
      return { edit: r.edits[r.edits.length - r.undone].record.edit };
    },
    'topics.redo': ({ runId }) => {
      const r = doneCluster(runId);
      if (r.undone === 0) throw new ShirabeError('topicsNothingToRedo', { id: runId });
      const edit = r.edits[r.edits.length - r.undone].record.edit;
      r.undone--;
      applyEdits(r);
      return { edit };
    },
    'maps.points': ({ runId }) => {
      const r = doneMap(runId);
      return { documentIds: r.documentIds.slice(), coords: r.coords.slice() };
    },
    'runs.list': ({ kind, corpusId }) => {
      const all: (MockCluster | MockMap)[] = kind === 'cluster' ? [...clusterings.values()] : kind === 'map' ? [...maps.values()] : kind === null ? [...clusterings.values(), ...maps.values()] : [];
      return all
        .filter((r) => corpusId === null || r.detail.corpusId === corpusId)
        .sort((a, b) => b.detail.id - a.detail.id)
        .map(info);
    },
    'runs.get': ({ runId }) => {
      const r = runOf(runId);
      return r.detail.kind === 'cluster' ? { ...r.detail, topics: [...r.detail.topics], edits: [...r.detail.edits], redo: [...r.detail.redo] } : { ...r.detail };
    },
    'runs.resume': ({ runId }) => {
      const r = runOf(runId);
      const s = r.detail.status;
      if (s !== 'interrupted' && s !== 'cancelled' && s !== 'failed') throw new ShirabeError('runNotResumable', { id: runId, status: s });
      return { jobId: startJob(r) };
    },
    'runs.rerun': ({ runId }) => {
      const r = runOf(runId);
      const run = r.detail.kind === 'cluster' ? newCluster(r.detail.config) : newMap(r.detail.config);
      return { jobId: startJob(run), runId: run.detail.id };
    },
    'runs.cancel': ({ runId }) => {
      const r = runOf(runId);
      const job = [...deps.jobs.values()].find((j) => j.run?.runId === runId && (j.status === 'queued' || j.status === 'running'));
      if (!job || r.detail.status !== 'running') throw new ShirabeError('runNotActive', { id: runId });
      deps.cancel(job.id);
      return null;
    },
    'runs.delete': ({ runId }) => {
      const r = runOf(runId);
      if (r.detail.status === 'running') throw new ShirabeError('runActive', { id: runId });
      clusterings.delete(runId);
      maps.delete(runId);
      return null;
    },
  };
}
