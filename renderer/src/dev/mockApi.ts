// TEST-ONLY: an in-memory ShirabeApi for looking at the UI without the backend
// (renderer/mock.html). Not imported by the production entry (index.html → main.tsx).
import type {
  ComputeStatus,
  CorpusSummary,
  DocumentRow,
  EmbeddingRunInfo,
  EventName,
  Events,
  ImportReport,
  Input,
  JobInfo,
  JobOf,
  Method,
  ModelInfo,
  Output,
  ProjectInfo,
  Settings,
  ShirabeApi,
  Span,
  SplitName,
  TokenView,
} from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { createMockTopics } from './mockTopics';
import { createMockTraining } from './mockTrain';

const sentences = [
  '週末に名画座で映画を観た。黒澤明の映画は今も新しい。',
  '新しいスマートフォンは電池の持ちが良い。',
  'サッカーのＪリーグが開幕した。観客は三万人。',
  '日本シリーズは第七戦までもつれた。',
  '話題の映画が来月公開される。前売り券は完売した。',
];
const labels = ['movie', 'smax', 'sports', 'topic'];

/** A plausible check report; a folder whose name contains "broken" has a missing tensor. */
function mockModel(path: string): ModelInfo {
  const name = path.split(/[\\/]/).filter(Boolean).pop() ?? path;
  const broken = name.includes('broken');
  return {
    path,
    name,
    modelType: 'bert',
    architecture: 'BERT',
    classes: ['BertForMaskedLM'],
    parameters: 110_106_428,
    layers: 12,
    hiddenSize: 768,
    intermediateSize: 3072,
    heads: 12,
    maxPositions: 512,
    vocabSize: 32_768,
    tokenizer: { kind: 'bert-japanese', description: 'MeCab (IPADIC via kuromoji) + WordPiece, 32,768 entries', vocabSize: 32_768, maxLength: 512 },
    weightsFile: 'model.safetensors',
    dtypes: { F32: 199 },
    loadedHeads: { pooler: true, mlm: true, classifier: false },
    labels: [],
    missing: broken ? ['bert.encoder.layer.11.output.dense.weight'] : [],
    misshaped: [],
    unexpected: ['cls.seq_relationship.weight', 'cls.seq_relationship.bias'],
    warnings: broken ? ['mock: this folder is broken on purpose'] : [],
    hash: 'mock0000000000000000000000000000000000000000000000000000000000ff',
  };
}

/** One token per character between [CLS] and [SEP], as a character-level Japanese BERT would. */
function mockTokenize(text: string, maxLength?: number): { tokens: TokenView[]; truncated: number } {
  const chars: TokenView[] = [];
  let pos = 0;
  for (const ch of text) {
    if (!/\s/.test(ch)) chars.push({ id: 5 + (ch.codePointAt(0)! % 32_000), token: ch, start: pos, end: pos + ch.length, special: false });
    pos += ch.length;
  }
  const budget = maxLength === undefined ? chars.length : Math.max(0, maxLength - 2);
  const kept = chars.slice(0, budget);
  return {
    tokens: [{ id: 2, token: '[CLS]', start: 0, end: 0, special: true }, ...kept, { id: 3, token: '[SEP]', start: pos, end: pos, special: true }],
    truncated: chars.length - kept.length,
  };
}

/** 80/10/10 in blocks of four documents, so that every label (i % 4) is in every split. */
function splitOf(i: number): SplitName {
  const block = Math.floor(i / 4) % 10;
  return block === 8 ? 'dev' : block === 9 ? 'test' : 'train';
}

function textOf(i: number): string {
  return `${sentences[i % sentences.length]}${i % 3 === 0 ? sentences[(i + 2) % sentences.length] : ''}（${i + 1}）`;
}

export function createMockApi(options: { documents?: number; slow?: number; trainMillis?: number; seedTrainRuns?: boolean } = {}): ShirabeApi {
  const n = options.documents ?? 100_000;
  const delay = options.slow ?? 30;
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const emit = <E extends EventName>(event: E, payload: Events[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: Events[E]) => void)(payload);
  };
  let settings: Settings = { language: 'ja', theme: 'light', recent: ['/home/me/news.shirabe'], computeBackend: 'auto', inferenceProvider: 'auto', models: [] };
  let project: ProjectInfo | null = null;
  const corpora: CorpusSummary[] = [];
  const jobs = new Map<string, JobInfo>();
  let analysed = 0;
  const runs: EmbeddingRunInfo[] = [];
  /** The compute worker starts with the first embedding job, as in the real backend. */
  let worker: { backend: 'wasm'; device: string } | null = null;
  const embedding = () => [...jobs.values()].filter((j) => j.kind === 'embed' && (j.status === 'queued' || j.status === 'running')).length;
  /** Calls per method, for checking that the table fetches pages on demand only. */
  const calls: Record<string, number> = {};
  (globalThis as { mockCalls?: Record<string, number> }).mockCalls = calls;

  const corpus = (id: number, name: string, docs: number): CorpusSummary => ({
    id,
    name,
    documents: docs,
    createdAt: new Date().toISOString(),
    source: '/tmp/news.csv',
    format: 'csv',
    encoding: 'shift_jis',
    seed: 42,
    split: [0.8, 0.1, 0.1],
    labels: labels.map((label, i) => ({ label, count: Math.floor(docs / 4) + (i === 0 ? docs % 4 : 0) })),
    splits: { train: Math.round(docs * 0.8), dev: Math.round(docs * 0.1), test: docs - Math.round(docs * 0.8) - Math.round(docs * 0.1) },
    emptySkipped: 2,
    duplicates: 3,
    badRows: 1,
  });

  const { seed: seedRuns, ...training } = createMockTraining({
    corpora,
    model: mockModel,
    document: (i) => ({ title: `記事 ${i + 1}`, text: textOf(i), label: labels[i % 4], split: splitOf(i) }),
    jobs,
    newJobId: () => `job-${jobs.size + 1}`,
    cancel: (jobId) => void handlers['jobs.cancel']?.({ jobId }),
    emit,
    runMillis: options.trainMillis ?? 6000,
  });
  const { seed: seedTopicRuns, owns: topicsOwns, ...topics } = createMockTopics({
    corpora,
    embeddingRuns: () => runs,
    document: (i) => ({ title: `記事 ${i + 1}`, text: textOf(i), label: labels[i % 4] }),
    jobs,
    newJobId: () => `job-${jobs.size + 1}`,
    cancel: (jobId) => void handlers['jobs.cancel']?.({ jobId }),
    emit,
    runMillis: options.trainMillis ?? 3000,
  });
  /**
   * A finished and an interrupted training run come with the first project, unless asked not to;
   * so do an embedding run of the first corpus and a clustering and a map of it.
   */
  const seedTraining = () => {
    if (options.seedTrainRuns === false) return;
    seedRuns();
    const c = corpora[0];
    if (c && runs.length === 0) {
      const model = mockModel('/models/cl-tohoku/bert-base-japanese-v3');
      runs.push({
        id: runs.length + 1, corpusId: c.id, corpusName: c.name,
        model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType },
        pooling: 'mean', layer: model.layers, maxLength: 128, batchSize: 32, truncation: 'head', seed: 0,
        dimensions: model.hiddenSize, documents: c.documents, truncatedDocuments: 0,
        backend: 'wasm (WebAssembly SIMD, 1 thread)', versions: { shirabe: '0.1.0' }, createdAt: new Date(Date.now() - 7_200_000).toISOString(), seconds: 840,
      });
    }
    seedTopicRuns();
  };

  const runJob = <J extends JobInfo>(job: J, finish: () => J['result'], steps = 10) => {
    jobs.set(job.id, job);
    emit('job.update', job);
    let step = 0;
    let cur: J = job;
    const timer = setInterval(() => {
      if (jobs.get(job.id)?.status === 'cancelled') return clearInterval(timer);
      step++;
      cur =
        step >= steps
          ? { ...cur, status: 'done', done: cur.total, etaSeconds: 0, finishedAt: Date.now(), result: finish() }
          : { ...cur, status: 'running', done: Math.round((cur.total * step) / steps), etaSeconds: (steps - step) * 0.3 };
      jobs.set(job.id, cur);
      emit('job.update', cur);
      if (step >= steps) clearInterval(timer);
    }, 300);
  };

  const handlers: { [M in Method]?: (input: Input<M>) => Output<M> | Promise<Output<M>> } = {
    'app.info': () => ({ version: '0.1.0', mode: 'browser', nativeDialogs: false, maxUploadBytes: 256 * 1024 * 1024, platform: 'linux' }),
    'settings.get': () => settings,
    'settings.set': (input) => (settings = { ...settings, ...input }),
    'dialog.pick': () => ({ path: null }),
    'project.create': ({ path }) => {
      if (!path.endsWith('.shirabe')) throw new ShirabeError('projectNotShirabe', { path });
      project = { path, schemaVersion: 1, corpora: 0, sizeBytes: 4096 };
      if (!corpora.length) corpora.push(corpus(1, '大きなコーパス', n));
      seedTraining();
      return project;
    },
    'project.open': ({ path }) => {
      project = { path, schemaVersion: 1, corpora: 1, sizeBytes: 4096 };
      if (!corpora.length) corpora.push(corpus(1, '大きなコーパス', n));
      seedTraining();
      return project;
    },
    'project.current': () => project,
    'project.close': () => ((project = null), null),
    'project.saveCopy': ({ path }) => ({ path, sizeBytes: 4096 }),
    'files.upload': ({ name }) => ({ path: `/tmp/upload/${name}` }),
    'import.preview': ({ path, options }) => {
      const encoding = options.encoding && options.encoding !== 'auto' ? options.encoding : 'shift_jis';
      return {
        path,
        format: 'csv',
        detectedEncoding: { encoding: 'shift_jis', confidence: 0.97, hasBom: false },
        encoding,
        candidates: [{ encoding: 'euc-jp', confidence: 0.4, hasBom: false }],
        sheets: [],
        columns: ['タイトル', '本文', 'カテゴリ'],
        rows: sentences.map((s, i) => ({ タイトル: `記事${i + 1}`, 本文: s, カテゴリ: labels[i % 4] })),
        fileCount: 0,
        labels: [],
        suggested: { textColumn: '本文', titleColumn: 'タイトル', labelColumn: null },
        totalBytes: 1234,
      };
    },
    'import.start': ({ options }) => {
      if (!options.name) throw new ShirabeError('corpusNameRequired');
      const id = `job-${jobs.size + 1}`;
      const corpusId = corpora.length + 1;
      runJob<JobOf<'import'>>(
        { id, kind: 'import', title: options.name, status: 'queued', done: 0, total: 1234, unit: 'bytes', startedAt: Date.now(), finishedAt: null, etaSeconds: null, error: null, result: null, run: null },
        () => {
          corpora.push(corpus(corpusId, options.name, 8));
          const report: ImportReport = {
            corpusId, name: options.name, documents: 8, emptySkipped: 1, duplicates: 0,
            badRows: [{ line: 7, error: { code: 'csvFieldCount', params: { line: 7, expected: 3, found: 4 } } }],
            badRowCount: 1, encoding: 'shift_jis', format: 'csv', splits: { train: 6, dev: 1, test: 1 }, seconds: 0.4,
          };
          return report;
        },
      );
      return { jobId: id };
    },
    'jobs.list': () => [...jobs.values()],
    // The project's history: this session's finished jobs, newest first (the mock keeps no earlier ones).
    'jobs.history': () =>
      [...jobs.values()]
        .filter((j) => j.status === 'done' || j.status === 'failed' || j.status === 'cancelled')
        .reverse()
        .map(({ done: _d, total: _t, unit: _u, etaSeconds: _e, ...record }) => ({ ...record, config: null })),
    'jobs.get': ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new ShirabeError('jobNotFound', { id: jobId });
      return job;
    },
    'jobs.cancel': ({ jobId }) => {
      const job = { ...jobs.get(jobId)!, status: 'cancelled' as const, error: { code: 'cancelled' as const, params: {} } };
      jobs.set(jobId, job);
      emit('job.update', job);
      return job;
    },
    'corpus.list': () => corpora,
    'corpus.documents': ({ corpusId, query, label, offset, limit }) => {
      const c = corpora.find((x) => x.id === corpusId);
      if (!c) throw new ShirabeError('corpusNotFound', { id: corpusId });
      const count = c.documents;
      const matches: number[] = [];
      const all = query || label;
      if (all) for (let i = 0; i < count && matches.length < offset + limit + 50_000; i++) {
        if ((!query || textOf(i).includes(query)) && (!label || labels[i % 4] === label)) matches.push(i);
      }
      const total = all ? matches.length : count;
      const rows: DocumentRow[] = [];
      for (let k = offset; k < Math.min(total, offset + limit); k++) {
        const i = all ? matches[k] : k;
        const text = textOf(i);
        const highlights: Span[] = [];
        if (query) for (let p = text.indexOf(query); p >= 0; p = text.indexOf(query, p + query.length)) highlights.push([p, p + query.length]);
        rows.push({ id: i + 1, corpusId, ordinal: i, title: `記事 ${i + 1}`, label: labels[i % 4], split: splitOf(i), chars: text.length, duplicateOf: null, snippet: { text, highlights } });
      }
      return { total, rows };
    },
    'corpus.document': ({ documentId }) => {
      const i = documentId - 1;
      return { id: documentId, corpusId: 1, ordinal: i, title: `記事 ${i + 1}`, label: labels[i % 4], split: 'train', text: `${textOf(i)}\n\n${sentences.join('\n')}`, metadata: { 日付: '2024-04-01', url: 'https://example.jp/a' }, duplicateOf: null };
    },
    'corpus.morphology': ({ documentId }) => {
      const text = textOf(documentId - 1);
      return [...text].map((ch, i) => ({ surface: ch, pos: '名詞', posDetail: ['一般', '*', '*'], baseForm: ch, reading: 'ヨミ', pronunciation: 'ヨミ', start: i, end: i + 1 }));
    },
    'corpus.kwic': ({ word, width }) => {
      const lines = [];
      for (let i = 0; i < 40 && lines.length < 25; i++) {
        const text = textOf(i);
        for (let p = text.indexOf(word); p >= 0; p = text.indexOf(word, p + 1)) {
          lines.push({ documentId: i + 1, title: `記事 ${i + 1}`, label: labels[i % 4], start: p, left: text.slice(Math.max(0, p - width), p), keyword: word, right: text.slice(p + word.length, p + word.length + width) });
        }
      }
      if (!word) throw new ShirabeError('queryEmpty');
      return { total: lines.length, lines };
    },
    // Document i (id i + 1): its label and split as in corpus.documents, a medium of three and a month of sixty (a field with more values than the map shows).
    'corpus.facets': ({ corpusId }) => {
      const c = corpora.find((x) => x.id === corpusId);
      if (!c) throw new ShirabeError('corpusNotFound', { id: corpusId });
      const count = c.documents;
      const field = (name: string, kind: 'label' | 'split' | 'metadata', valueOf: (i: number) => string | null) => {
        const raw = Array.from({ length: count }, (_, i) => valueOf(i));
        const tally = new Map<string, number>();
        for (const v of raw) if (v !== null) tally.set(v, (tally.get(v) ?? 0) + 1);
        const values = [...tally.keys()].sort((a, b) => tally.get(b)! - tally.get(a)! || (a < b ? -1 : 1));
        const code = new Map(values.map((v, j) => [v, j]));
        return { name, kind, values, codes: Int32Array.from(raw, (v) => (v === null ? -1 : code.get(v)!)) };
      };
      return {
        documentIds: Int32Array.from({ length: count }, (_, i) => i + 1),
        fields: [
          field('label', 'label', (i) => labels[i % 4]),
          field('split', 'split', splitOf),
          field('媒体', 'metadata', (i) => ['新聞', 'ブログ', '雑誌'][(i * 7) % 3]),
          field('月', 'metadata', (i) => (i % 11 === 0 ? null : `20${20 + ((i * 13) % 5)}-${String(1 + ((i * 31) % 12)).padStart(2, '0')}`)),
        ],
      };
    },
    'corpus.matches': ({ corpusId, query }) => {
      const c = corpora.find((x) => x.id === corpusId);
      if (!c) throw new ShirabeError('corpusNotFound', { id: corpusId });
      if (!query.trim()) throw new ShirabeError('queryEmpty');
      const ids: number[] = [];
      for (let i = 0; i < c.documents; i++) if (textOf(i).includes(query.trim()) || `記事 ${i + 1}`.includes(query.trim())) ids.push(i + 1);
      return { documentIds: Int32Array.from(ids) };
    },
    // Runs of kanji or katakana as the words, the selection's counts against the whole corpus's (documents repeat every 15).
    'corpus.keywords': ({ documentIds, limit }) => {
      const wordsOf = (i: number) => textOf(i).match(/[\p{Script=Han}\p{Script=Katakana}ー]{2,}/gu) ?? [];
      const tally = (ids: Iterable<number>) => {
        const count = new Map<string, number>();
        const docs = new Map<string, number>();
        let n = 0;
        for (const i of ids) {
          n++;
          const ws = wordsOf(i);
          for (const w of ws) count.set(w, (count.get(w) ?? 0) + 1);
          for (const w of new Set(ws)) docs.set(w, (docs.get(w) ?? 0) + 1);
        }
        return { count, docs, n };
      };
      const sel = tally(documentIds.slice(0, 5000).map((id) => id - 1));
      const all = tally(Array.from({ length: 15 }, (_, i) => i));
      const words = [...sel.docs.keys()]
        .map((word) => {
          const lift = sel.docs.get(word)! / sel.n / ((all.docs.get(word) ?? 1) / all.n);
          return { word, score: lift * Math.log(1 + sel.count.get(word)!), count: sel.count.get(word)!, documents: sel.docs.get(word)!, lift };
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
      return { words, selected: documentIds.length, unanalysed: { selected: 0, corpus: 0 } };
    },
    'corpus.stats': ({ corpusId, unit }) => {
      const c = corpora.find((x) => x.id === corpusId)!;
      const counts = [2, 5, 14, 30, 44, 38, 21, 9, 4, 1].map((x) => Math.round((x * c.documents) / 168));
      return {
        corpusId, documents: c.documents, labels: c.labels, splits: c.splits, unit,
        histogram: { edges: counts.map((_, i) => i * 10).concat(counts.length * 10), counts },
        mean: 42.3, median: 41, min: 3, max: 99, emptySkipped: c.emptySkipped, duplicates: c.duplicates,
        analysed: unit === 'morphemes' ? analysed : c.documents,
      };
    },
    'corpus.analyse': ({ corpusId }) => {
      const c = corpora.find((x) => x.id === corpusId)!;
      const id = `job-${jobs.size + 1}`;
      runJob<JobOf<'morphology'>>({ id, kind: 'morphology', title: c.name, status: 'queued', done: 0, total: c.documents, unit: 'documents', startedAt: Date.now(), finishedAt: null, etaSeconds: null, error: null, result: null, run: null }, () => {
        analysed = c.documents;
        return { documents: c.documents };
      });
      return { jobId: id };
    },
    'models.inspect': ({ path }) => {
      if (path.includes('missing')) throw new ShirabeError('modelNotFound', { path });
      return mockModel(path);
    },
    'models.add': ({ path }) => {
      if (path.includes('missing')) throw new ShirabeError('modelNotFound', { path });
      settings = { ...settings, models: [path, ...settings.models.filter((m) => m !== path)] };
      return mockModel(path);
    },
    'models.remove': ({ path }) => (settings = { ...settings, models: settings.models.filter((m) => m !== path) }),
    'models.tokenize': ({ text, maxLength }) => mockTokenize(text, maxLength),
    'compute.status': (): ComputeStatus => ({
      backend: worker?.backend ?? null,
      device: worker?.device ?? null,
      choice: settings.computeBackend,
      skipped: worker
        ? [
            { backend: 'tensorflow-gpu', code: 'notInstalled', package: '@tensorflow/tfjs-node-gpu', reason: 'mock: @tensorflow/tfjs-node-gpu is not installed' },
            { backend: 'tensorflow', code: 'notInstalled', package: '@tensorflow/tfjs-node', reason: 'mock: @tensorflow/tfjs-node is not installed' },
            { backend: 'webgpu', code: 'noAdapter', reason: 'mock: no WebGPU adapter' },
          ]
        : [],
      memory: worker ? { tensors: 203 + embedding() * 12, bytes: 440_000_000 + embedding() * 3_000_000, rssBytes: 812_000_000 } : null,
      running: embedding() > 0,
      gpu: null,
      inference: worker
        ? {
            engine: 'onnxruntime',
            device: 'onnxruntime CPU, 4 threads (physical cores)',
            threads: 4,
            reason: null,
            reasonCode: null,
            provider: 'cpu',
            providerChoice: settings.inferenceProvider,
            forcedBy: settings.inferenceProvider === 'auto' ? null : 'settings',
            adapter: null,
            providerSkipped: [
              { provider: 'webgpu', code: 'noAdapter', reason: 'no WebGPU adapter: no GPU driver with Vulkan, Metal or Direct3D 12 was found' },
              { provider: 'dml', code: 'notBundled', reason: 'DirectML is part of onnxruntime-node on Windows only' },
            ],
          }
        : null,
    }),
    'embed.start': (options) => {
      const c = corpora.find((x) => x.id === options.corpusId);
      if (!c) throw new ShirabeError('corpusNotFound', { id: options.corpusId });
      const model = mockModel(options.modelPath);
      if (model.missing.length) throw new ShirabeError('modelTensorsMismatch', { missing: model.missing.join(', '), misshaped: '—' });
      if (options.maxLength > model.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: options.maxLength, limit: model.maxPositions });
      worker ??= { backend: 'wasm', device: 'WebAssembly SIMD, 1 thread' };
      const id = `job-${jobs.size + 1}`;
      const started = Date.now();
      runJob<JobOf<'embed'>>({ id, kind: 'embed', title: `${c.name} · ${model.name}`, status: 'queued', done: 0, total: c.documents, unit: 'documents', startedAt: started, finishedAt: null, etaSeconds: null, error: null, result: null, run: null }, () => {
        const seconds = (Date.now() - started) / 1000;
        const run: EmbeddingRunInfo = {
          id: runs.length + 1, corpusId: c.id, corpusName: c.name,
          model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType },
          pooling: options.pooling, layer: options.layer < 0 ? model.layers + 1 + options.layer : options.layer,
          maxLength: options.maxLength, batchSize: options.batchSize, truncation: options.truncation, seed: 0,
          dimensions: model.hiddenSize, documents: c.documents, truncatedDocuments: Math.floor(c.documents / 7),
          backend: `${worker!.backend} (${worker!.device})`, versions: { shirabe: '0.1.0' }, createdAt: new Date().toISOString(), seconds,
        };
        runs.push(run);
        return { runId: run.id, documents: run.documents, dimensions: run.dimensions, truncated: run.truncatedDocuments, seconds, backend: run.backend };
      });
      return { jobId: id };
    },
    'embed.runs': ({ corpusId }) => runs.filter((r) => corpusId === null || r.corpusId === corpusId),
    ...training,
    ...topics,
    // The shared run methods, by kind: clusterings and maps are the topics mock's, the rest the training mock's.
    'runs.list': (input) => {
      if (input.kind === 'cluster' || input.kind === 'map') return topics['runs.list'](input);
      const trained = training['runs.list'](input);
      return input.kind === null ? [...trained, ...topics['runs.list'](input)].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : trained;
    },
    'runs.get': (input) => (topicsOwns(input.runId) ? topics : training)['runs.get'](input),
    'runs.resume': (input) => (topicsOwns(input.runId) ? topics : training)['runs.resume'](input),
    'runs.rerun': (input) => (topicsOwns(input.runId) ? topics : training)['runs.rerun'](input),
    'runs.cancel': (input) => (topicsOwns(input.runId) ? topics : training)['runs.cancel'](input),
    'runs.delete': (input) => (topicsOwns(input.runId) ? topics : training)['runs.delete'](input),
    'figure.pdf': () => ({ bytes: new TextEncoder().encode('%PDF-1.4\n%mock\n') }),
  };

  return {
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      calls[method] = (calls[method] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, delay));
      const handler = handlers[method] as ((i: Input<M>) => Output<M> | Promise<Output<M>>) | undefined;
      if (!handler) throw new ShirabeError('internal', { detail: `mock has no ${method}` });
      try {
        return await handler(input);
      } catch (err) {
        throw err instanceof ShirabeError ? err.toInfo() : err;
      }
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (p: never) => void);
      return () => listeners.get(event)!.delete(listener as (p: never) => void);
    },
  };
}
