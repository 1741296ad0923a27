// Entities and relations as the contract's handlers: annotated corpora (import, schema, gold
// sentences), table-filling runs (the sweep in the compute worker, live curves, checkpoints, dev and
// test scores by the CoNLL04 literature's definitions), extraction over a corpus (a run of documents,
// written a chunk at a time), the sentence and table views, mention and relation lists, export.
import { createHash } from 'node:crypto';
import type {
  EntityMetrics,
  EntityRunDetail,
  EntityTrainConfig,
  EntityTrainResult,
  ExtractConfig,
  ExtractResult,
  FoundEntity,
  FoundRelation,
  Handlers,
  LayerSweepConfig,
  LayerSweepResult,
  ModelInfo,
  SentenceView,
  TableView,
} from '../../../common/contract';
import { sweepLayers, sweepPointConfig } from '../../../common/contract';
import type { AnnotatedSentence, EntitySchema } from '../../../common/entities';
import { ShirabeError, toErrorInfo } from '../../../common/errors';
import { decodeCheckpoint } from '../../jobs/checkpoint';
import type { EntitySentence, PredictedSentence } from '../../jobs/compute/tasks/entities/types';
import { entityTagLabels } from '../../../common/bilou';
import type { DevScores } from '../../ml/entities/train';
import { goldTable, relationCellLabels } from '../../ml/entities/labels';
import { entityMetrics } from '../../ml/entities/metrics';
import { openSafetensors } from '../../ml/weights/safetensors';
import { encodeSafetensors } from '../../ml/weights/safetensorsWrite';
import { bytesSource } from '../../ml/weights/types';
import { groupMentions, type ExtractedSentence, type StoredAnnotation } from '../../project/repositories/entities';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, documentRuns, launchRun, provenance, sweepCurves, type RunKindService } from '../runs';
import type { WorkflowService } from '../workflow';
import { writeEntityExport, type ExportDocument } from './export';
import { importAnnotations } from './import';
import { segmentDocument } from './segment';

type EntityHandlers = Pick<
  Handlers,
  'entities.import' | 'entities.schema' | 'entities.sentences' | 'entities.table' | 'entities.start' | 'entities.layerSweep' | 'entities.extract' | 'entities.mentions' | 'entities.relations' | 'entities.export'
>;

interface PreparedData {
  schema: EntitySchema;
  train: StoredAnnotation[];
  dev: StoredAnnotation[];
  test: StoredAnnotation[];
  dataHash: string;
}

const plain = (s: AnnotatedSentence): EntitySentence => ({ words: s.words, entities: s.entities, relations: s.relations });
const short = (hash: string) => hash.slice(0, 12);

/** An annotated corpus's sentences by split; the dev split picks the best epoch, so it must not be empty. */
export function prepareEntityData(store: ProjectStore, corpusId: number): PreparedData {
  const corpus = store.corpora.name(corpusId);
  const schema = store.entities.schema(corpusId);
  if (!schema) throw new ShirabeError('entitiesNoAnnotations', { corpus });
  const all = store.entities.annotations(corpusId);
  const of = (split: 'train' | 'dev' | 'test') => all.filter((a) => a.split === split);
  const data = { train: of('train'), dev: of('dev'), test: of('test') };
  if (data.train.length === 0) throw new ShirabeError('entitiesSplitEmpty', { corpus, split: 'train' });
  if (data.dev.length === 0) throw new ShirabeError('entitiesSplitEmpty', { corpus, split: 'dev' });
  const hash = createHash('sha256').update(JSON.stringify(schema));
  for (const [split, list] of Object.entries(data)) for (const a of list) hash.update(`${split}\u0000${a.documentId}\u0000${JSON.stringify(plain(a.sentence))}\u0001`);
  return { schema, ...data, dataHash: hash.digest('hex') };
}

/** Gold and predicted sentences scored as the CoNLL04 literature does (see ml/entities/metrics.ts). */
function score(schema: EntitySchema, gold: readonly StoredAnnotation[], predicted: readonly PredictedSentence[]): EntityMetrics {
  return entityMetrics(
    schema,
    gold.map((g) => g.sentence),
    predicted,
  );
}

function requireSameBase(runId: number, trained: { hash: string }, now: ModelInfo): void {
  if (now.hash !== trained.hash) throw new ShirabeError('runBaseModelChanged', { id: runId, path: now.path, expected: short(trained.hash), found: short(now.hash) });
}

/** A found entity with its characters in the document's text. */
function found(text: string, offsets: readonly [number, number][], e: { start: number; end: number; type: string; score?: number }): FoundEntity {
  const charStart = offsets[e.start][0];
  const charEnd = offsets[e.end - 1][1];
  return { start: e.start, end: e.end, type: e.type, charStart, charEnd, text: text.slice(charStart, charEnd), ...(e.score === undefined ? {} : { score: e.score }) };
}

export function entitiesService(deps: ServiceContext): WorkflowService<EntityHandlers, 'entities' | 'extract' | 'layerSweep'> {
  /** A finished entities run's extractor: its record, its checked base model and its kept values. */
  const finishedExtractor = async (store: ProjectStore, runId: number) => {
    const head = store.runs.head(runId);
    if (head.kind !== 'entities') throw new ShirabeError('entitiesNotExtractorRun', { id: runId, kind: head.kind });
    const run = store.entities.get(runId);
    const weights = store.entities.weights(runId);
    if (run.status !== 'done' || !weights) throw new ShirabeError('trainRunNotFinished', { id: runId, status: run.status });
    const info = await deps.inspect(run.config.modelPath);
    requireSameBase(runId, run.model, info);
    const reader = openSafetensors(bytesSource(weights));
    const values = new Map([...reader.tensors.keys()].map((k) => [k, reader.read(k)] as const));
    return { run, info, extractor: { runId, modelPath: info.path, config: run.config, schema: run.schema, values } };
  };

  // ---------------------------------------------------------------- training runs
  /**
   * One entities run's training as a job body (its own job, or one point of a layer sweep): the
   * worker's sweep with curves kept at each checkpoint and sent live, then scores and weights
   * written in one transaction. `keep` saves the points since the last checkpoint when it ends early.
   */
  const trainer = (store: ProjectStore, runId: number, config: EntityTrainConfig, data: PreparedData, model: ModelInfo, resume: boolean) => {
    const checkpointBytes = resume ? store.entities.loadCheckpoint(runId) : null;
    const curves = sweepCurves<DevScores>({
      save: (at, state, steps, epochs) => store.entities.saveCheckpoint(runId, at, state, steps, epochs, 'compute worker'),
      add: (steps, epochs) => store.entities.addCurvePoints(runId, steps, epochs),
      live: (p) => deps.emit('entities.progress', { runId, ...p }),
    });
    return {
      keep: curves.keep,
      body: async (ctx: { signal: AbortSignal; progress(done: number, total: number): void }): Promise<EntityTrainResult> => {
        const started = Date.now();
        const result = await deps.compute.run(
          'entitiesTrain',
          {
            modelPath: model.path,
            config,
            schema: data.schema,
            train: data.train.map((a) => plain(a.sentence)),
            dev: data.dev.map((a) => plain(a.sentence)),
            test: data.test.map((a) => plain(a.sentence)),
            resume: checkpointBytes ? decodeCheckpoint(checkpointBytes) : undefined,
          },
          {
            signal: ctx.signal,
            onProgress: ctx.progress,
            onEvent: curves.onEvent,
          },
        );
        const o = result.output;
        const dev = score(data.schema, data.dev, o.dev);
        const test = data.test.length > 0 ? score(data.schema, data.test, o.test) : null;
        const best = { learningRate: config.learningRates[o.best.learningRateIndex], epoch: o.best.epoch, devF1: -o.best.loss };
        const seconds = (Date.now() - started) / 1000;
        const weights = encodeSafetensors(
          [...o.values].map(([k, v]) => [k, { shape: o.shapes.get(k) ?? [v.length], data: v }] as [string, { shape: number[]; data: Float32Array }]),
          { shirabe: JSON.stringify({ config, schema: data.schema, modelType: o.modelType }) },
        );
        store.entities.finishRun(runId, {
          backend: result.backend,
          seconds,
          best,
          perLearningRate: o.summaries.map((s) => ({ learningRate: config.learningRates[s.learningRateIndex], bestEpoch: s.bestEpoch, bestDevF1: -s.bestLoss })),
          dev,
          test,
          truncated: o.truncated,
          weights,
          ...curves.rest(),
          memory: o.memory,
        });
        deps.projects.touched();
        return { runId, best, dev, test, seconds };
      },
    };
  };

  /** Checks a resumed run still trains on its data and model. */
  const requireUnchanged = (store: ProjectStore, runId: number, data: PreparedData, model: ModelInfo) => {
    const run = store.entities.get(runId);
    if (run.dataHash !== data.dataHash) throw new ShirabeError('runDataChanged', { id: runId, expected: short(run.dataHash), found: short(data.dataHash) });
    requireSameBase(runId, run.model, model);
  };

  const launch = async (store: ProjectStore, runId: number, config: EntityTrainConfig, resume: boolean, ready?: { data: PreparedData; model: ModelInfo }): Promise<string> => {
    const data = ready?.data ?? prepareEntityData(store, config.corpusId);
    const model = ready?.model ?? (await deps.inspect(config.modelPath));
    if (resume) requireUnchanged(store, runId, data, model);
    const t = trainer(store, runId, config, data, model, resume);
    const jobId = launchRun(deps.jobs, {
      kind: 'entities',
      runId,
      title: store.entities.get(runId).name,
      unit: 'steps',
      setStatus: (status, error) => store.entities.setStatus(runId, status, error),
      keep: t.keep,
      body: t.body,
    });
    deps.remember(jobId, { runId, config, resume, modelHash: model.hash, dataHash: data.dataHash, version: deps.version });
    return jobId;
  };

  /** Whether a model can train a config: its tensors, positions and layers. */
  const checkModel = (config: EntityTrainConfig, model: ModelInfo) => {
    if (model.missing.length || model.misshaped.length) throw new ShirabeError('modelTensorsMismatch', { missing: model.missing.join(', ') || '—', misshaped: model.misshaped.join('; ') || '—' });
    if (config.maxLength > model.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: config.maxLength, limit: model.maxPositions });
    if (config.layer !== null && config.layer > model.layers) throw new ShirabeError('entitiesLayerOutOfRange', { layer: config.layer, layers: model.layers });
  };

  /** An entities run's record for a config (named after its corpus, model, head, encoder and layer unless named). */
  const createEntityRun = (store: ProjectStore, config: EntityTrainConfig, data: PreparedData, model: ModelInfo): { runId: number; config: EntityTrainConfig } => {
    const headName = config.head === 'cnn' ? 'TabERT-CNN' : 'TabERT';
    const name = config.name.trim() || `${store.corpora.name(config.corpusId)} · ${model.name} · ${headName} · ${config.encoder}${config.layer === null ? '' : ` · layer ${config.layer}`}`;
    const named = { ...config, name };
    const runId = store.entities.createRun({
      corpusId: config.corpusId,
      name,
      config: named,
      schema: data.schema,
      model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType, ...(model.source ? { source: model.source } : {}) },
      dataHash: data.dataHash,
      documents: { train: data.train.length, validation: data.dev.length, test: data.test.length },
      versions: provenance(deps.version),
    });
    return { runId, config: named };
  };

  const start = async (config: EntityTrainConfig) => {
    const store = deps.projects.require();
    const data = prepareEntityData(store, config.corpusId);
    const model = await deps.inspect(config.modelPath);
    checkModel(config, model);
    let named = config;
    const { runId, launched } = await createAndLaunch(
      () => {
        const created = createEntityRun(store, config, data, model);
        named = created.config;
        return created.runId;
      },
      (id) => launch(store, id, named, false, { data, model }),
      (id) => store.entities.delete(id),
    );
    return { jobId: launched, runId };
  };

  // ---------------------------------------------------------------- layer sweeps
  /** Trains a sweep's points in turn (a done one skipped, an interrupted one resumed from its checkpoint). */
  const launchSweep = async (store: ProjectStore, runId: number, config: LayerSweepConfig, ready?: { data: PreparedData; model: ModelInfo }): Promise<string> => {
    const data = ready?.data ?? prepareEntityData(store, config.corpusId);
    const model = ready?.model ?? (await deps.inspect(config.modelPath));
    const sweep = store.entities.getSweep(runId);
    if (sweep.dataHash !== data.dataHash) throw new ShirabeError('runDataChanged', { id: runId, expected: short(sweep.dataHash), found: short(data.dataHash) });
    let current: ReturnType<typeof trainer> | null = null;
    const jobId = launchRun(deps.jobs, {
      kind: 'layerSweep',
      runId,
      title: sweep.name,
      unit: 'steps',
      setStatus: (status, error) => store.entities.setStatus(runId, status, error),
      keep: () => current?.keep(),
      body: async (ctx): Promise<LayerSweepResult> => {
        const started = Date.now();
        const points = store.entities.storedPoints(runId);
        for (let i = 0; i < points.length; i++) {
          const p = points[i];
          const existing = p.runId === null ? null : store.entities.getSweep(runId).points[i];
          if (existing?.status === 'done') continue;
          let pointRun: number;
          let pointConfig: EntityTrainConfig;
          let resume = false;
          if (existing && existing.runId !== null) {
            pointRun = existing.runId;
            pointConfig = store.entities.get(pointRun).config;
            requireUnchanged(store, pointRun, data, model);
            resume = true;
          } else {
            const created = createEntityRun(store, sweepPointConfig(config, p), data, model);
            pointRun = created.runId;
            pointConfig = created.config;
            store.entities.setSweepPoint(runId, i, pointRun);
          }
          const t = trainer(store, pointRun, pointConfig, data, model, resume);
          current = t;
          store.entities.setStatus(pointRun, 'running');
          try {
            await t.body({ signal: ctx.signal, progress: (done, total) => ctx.progress(i + done / Math.max(1, total), points.length) });
          } catch (err) {
            const cancelled = ctx.signal.aborted || (err instanceof ShirabeError && err.code === 'cancelled');
            t.keep();
            store.entities.setStatus(pointRun, cancelled ? 'cancelled' : 'failed', cancelled ? null : toErrorInfo(err));
            throw err;
          } finally {
            current = null;
          }
          store.entities.sweepCheckpoint(runId, i + 1, store.entities.get(pointRun).backend ?? 'compute worker');
          deps.projects.touched();
        }
        const done = store.entities.getSweep(runId);
        const seconds = (done.seconds ?? 0) + (Date.now() - started) / 1000;
        store.entities.finishSweep(runId, done.points.map((p) => (p.runId === null ? null : store.entities.get(p.runId).backend)).find((b) => b) ?? 'compute worker', seconds);
        deps.projects.touched();
        return { runId, points: store.entities.getSweep(runId).points, seconds };
      },
    });
    deps.remember(jobId, { runId, config, modelHash: model.hash, dataHash: data.dataHash, version: deps.version });
    return jobId;
  };

  const startSweep = async (config: LayerSweepConfig) => {
    const store = deps.projects.require();
    const data = prepareEntityData(store, config.corpusId);
    const model = await deps.inspect(config.modelPath);
    const layers = sweepLayers(config.layers, model.layers);
    const points = config.encoders.flatMap((encoder) => layers.flatMap((layer) => config.heads.map((head) => ({ head, encoder, layer, runId: null }))));
    for (const p of points) checkModel(sweepPointConfig(config, p), model);
    const name = config.name.trim() || `${store.corpora.name(config.corpusId)} · ${model.name} · layers ${layers.join(', ')}`;
    const named = { ...config, name };
    const { runId, launched } = await createAndLaunch(
      () =>
        store.entities.createSweep({
          corpusId: config.corpusId,
          name,
          config: named,
          layers,
          points,
          dataHash: data.dataHash,
          documents: { train: data.train.length, validation: data.dev.length, test: data.test.length },
          versions: provenance(deps.version),
        }),
      (id) => launchSweep(store, id, named, { data, model }),
      (id) => store.entities.delete(id),
    );
    return { jobId: launched, runId };
  };

  const sweepRuns: RunKindService<'layerSweep'> = {
    list: (corpusId) => deps.projects.require().entities.listSweeps(corpusId),
    get: (runId) => deps.projects.require().entities.getSweep(runId),
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: await launchSweep(store, runId, store.entities.getSweep(runId).config) };
    },
    rerun: (runId) => startSweep(deps.projects.require().entities.getSweep(runId).config),
    // The points' entities runs stay: each is a run of its own.
    delete: (runId) => deps.projects.require().entities.delete(runId),
  };

  const entityRuns: RunKindService<'entities'> = {
    list: (corpusId) => deps.projects.require().entities.list(corpusId),
    get(runId): EntityRunDetail {
      const store = deps.projects.require();
      return { ...store.entities.get(runId), curves: store.entities.curves(runId) };
    },
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: await launch(store, runId, store.entities.get(runId).config, true) };
    },
    rerun: (runId) => start(deps.projects.require().entities.get(runId).config),
    delete: (runId) => {
      const store = deps.projects.require();
      // An extraction names its extractor: the extractor goes only after them.
      const users = store.entities.listExtracts(null).filter((x) => x.source.runId === runId).map((x) => x.id);
      if (users.length > 0) throw new ShirabeError('entitiesRunInUse', { id: runId, users: users.join(', ') });
      store.entities.delete(runId);
    },
  };

  // ---------------------------------------------------------------- extraction runs
  /** A document's sentences as the extractor reads them: an annotated document's own words, else the text segmented. */
  const sentencesOf = async (store: ProjectStore, documentId: number, text: string): Promise<{ words: string[]; offsets: [number, number][] }[]> => {
    const a = store.entities.annotation(documentId);
    if (a) return [{ words: a.sentence.words, offsets: a.sentence.offsets! }];
    return segmentDocument(text, deps.morphology);
  };

  const extractRecords = (store: ProjectStore) => ({
    get: (runId: number) => store.entities.getExtract(runId),
    list: (corpusId: number | null) => store.entities.listExtracts(corpusId),
    setStatus: store.entities.setStatus,
    doneIds: (runId: number) => store.entities.extractedIds(runId),
    delete: (runId: number) => store.entities.delete(runId),
  });

  const extractDocuments = (store: ProjectStore, config: ExtractConfig) => {
    const docs = store.documents.labelled(config.corpusId).filter((d) => (config.split === null || d.split === config.split) && d.text.trim() !== '');
    if (docs.length === 0) throw new ShirabeError('entitiesExtractEmpty', { corpus: store.corpora.name(config.corpusId), split: config.split ?? 'all' });
    return docs;
  };

  const { launch: launchExtract, runKind } = documentRuns(deps, {
    kind: 'extract',
    records: extractRecords,
    body: async (store, runId, config: ExtractConfig, ctx, { done, seconds }): Promise<ExtractResult> => {
      const { extractor } = await finishedExtractor(store, config.runId);
      const docs = extractDocuments(store, config);
      const position = new Map(docs.map((d, i) => [d.id, i]));
      const todo = docs.filter((d) => !done.has(d.id));
      // Every sentence of the documents to do, flattened; each remembers its document.
      const sentences: { documentId: number; words: string[]; offsets: [number, number][] }[] = [];
      for (const d of todo) {
        for (const s of await sentencesOf(store, d.id, d.text)) sentences.push({ documentId: d.id, ...s });
        if (ctx.signal.aborted) throw new ShirabeError('cancelled');
      }
      const status = await deps.compute.warmUp();
      const backend = `${status.backend} (${status.device})`;
      // Results arrive in sentence order a chunk at a time; a document is written once all its sentences are in.
      const pending = new Map<number, ExtractedSentence[]>();
      const count = new Map<number, number>();
      for (const s of sentences) count.set(s.documentId, (count.get(s.documentId) ?? 0) + 1);
      // A document without a word (only symbols and spaces) has nothing to find: written as done now.
      const empty = todo.filter((d) => !count.has(d.id)).map((d) => ({ documentId: d.id, position: position.get(d.id)!, sentences: [] }));
      if (empty.length > 0) store.entities.addExtracted(runId, empty, backend);
      await deps.compute.run(
        'entitiesPredict',
        { extractor, sentences: sentences.map((s) => s.words), tables: false, chunk: Math.max(1, config.batchSize * 8), batchSize: config.batchSize },
        {
          signal: ctx.signal,
          onProgress: (d, total) => ctx.progress(done.size + Math.round((d / Math.max(1, total)) * todo.length), done.size + todo.length),
          onEvent: (e) => {
            const ready: { documentId: number; position: number; sentences: ExtractedSentence[] }[] = [];
            e.predicted.forEach((p, k) => {
              const s = sentences[e.from + k];
              const list = [...(pending.get(s.documentId) ?? []), { words: s.words, offsets: s.offsets, entities: p.entities, relations: p.relations }];
              if (list.length === count.get(s.documentId)) {
                pending.delete(s.documentId);
                ready.push({ documentId: s.documentId, position: position.get(s.documentId)!, sentences: list });
              } else pending.set(s.documentId, list);
            });
            if (ready.length > 0) {
              store.entities.addExtracted(runId, ready, backend);
              deps.projects.touched();
            }
          },
        },
      );
      const all = store.entities.allExtracted(runId);
      const found = {
        sentences: all.reduce((n, d) => n + d.sentences.length, 0),
        entities: all.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.entities.length, 0), 0),
        relations: all.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.relations.length, 0), 0),
      };
      const time = seconds();
      store.entities.finishExtract(runId, found, backend, time);
      deps.projects.touched();
      return { runId, documents: all.length, entities: found.entities, relations: found.relations, seconds: time };
    },
  });

  const startExtract = async (config: ExtractConfig) => {
    const store = deps.projects.require();
    const corpus = store.corpora.require(config.corpusId);
    const { run, info } = await finishedExtractor(store, config.runId);
    const docs = extractDocuments(store, config);
    const name = config.name.trim() || `${corpus.name}${config.split ? ` (${config.split})` : ''} · ${run.name}`;
    const named = { ...config, name };
    const hash = createHash('sha256').update(`extract ${config.runId} ${info.hash}\n`);
    for (const d of docs) hash.update(`${d.id}\u0000${d.textHash}\u0001`);
    const { runId, launched } = await createAndLaunch(
      () =>
        store.entities.createExtract({
          corpusId: config.corpusId,
          name,
          config: named,
          dataHash: hash.digest('hex'),
          documents: { documents: docs.length },
          versions: provenance(deps.version),
          source: { runId: run.id, name: run.name, schema: run.schema },
        }),
      async (id) => launchExtract(store, id, named),
      (id) => store.entities.delete(id),
    );
    return { jobId: launched, runId };
  };

  const extractRuns = runKind(startExtract, (runId) => deps.projects.require().entities.getExtract(runId));

  /** An extract run's documents, or (an entities run) its test sentences predicted now. */
  const exportDocuments = async (store: ProjectStore, runId: number): Promise<ExportDocument[]> => {
    const head = store.runs.head(runId);
    if (head.kind === 'extract') return store.entities.allExtracted(runId);
    const { run, extractor } = await finishedExtractor(store, runId);
    const test = store.entities.annotations(run.corpusId).filter((a) => a.split === 'test');
    const { output } = await deps.compute.run('entitiesPredict', { extractor, sentences: test.map((a) => a.sentence.words), tables: false, chunk: 0, batchSize: 16 });
    return test.map((a, i) => ({ documentId: a.documentId, text: a.text, sentences: [{ words: a.sentence.words, offsets: a.sentence.offsets!, entities: output.predicted[i].entities, relations: output.predicted[i].relations }] }));
  };

  const handlers: EntityHandlers = {
    'entities.import': async (request) => {
      const store = deps.projects.require();
      const report = await importAnnotations(store, request, deps.morphology);
      deps.projects.touched();
      return report;
    },
    'entities.schema': async ({ corpusId }) => {
      const store = deps.projects.require();
      store.corpora.require(corpusId);
      const schema = store.entities.schema(corpusId);
      if (!schema) return null;
      const all = store.entities.annotations(corpusId);
      const entities: Record<string, number> = Object.fromEntries(schema.entityTypes.map((t) => [t, 0]));
      const relations: Record<string, number> = Object.fromEntries(schema.relationTypes.map((t) => [t, 0]));
      for (const a of all) {
        for (const e of a.sentence.entities) entities[e.type]++;
        for (const r of a.sentence.relations) relations[r.type]++;
      }
      return { schema, entities, relations, sentences: all.length };
    },
    'entities.sentences': async ({ documentId, runId }) => {
      const store = deps.projects.require();
      const doc = store.documents.get(documentId);
      const annotation = store.entities.annotation(documentId);
      const gold = (a: StoredAnnotation) => ({
        entities: a.sentence.entities.map((e) => found(a.text, a.sentence.offsets!, e)),
        relations: a.sentence.relations.map((r): FoundRelation => ({ ...r })),
      });
      if (runId === null) {
        if (annotation) return [{ documentId, sentence: 0, text: doc.text, words: annotation.sentence.words, offsets: annotation.sentence.offsets!, gold: gold(annotation), predicted: null }];
        return (await segmentDocument(doc.text, deps.morphology)).map((s, i): SentenceView => ({ documentId, sentence: i, text: doc.text, words: s.words, offsets: s.offsets, gold: null, predicted: null }));
      }
      if (store.runs.head(runId).kind === 'extract') {
        const stored = store.entities.extracted(runId, documentId) ?? [];
        return stored.map((s, i): SentenceView => ({
          documentId,
          sentence: i,
          text: doc.text,
          words: s.words,
          offsets: s.offsets,
          gold: annotation && i === 0 ? gold(annotation) : null,
          predicted: { entities: s.entities.map((e) => found(doc.text, s.offsets, e)), relations: s.relations },
        }));
      }
      const { extractor } = await finishedExtractor(store, runId);
      const sentences = await sentencesOf(store, documentId, doc.text);
      const { output } = await deps.compute.run('entitiesPredict', { extractor, sentences: sentences.map((s) => s.words), tables: false, chunk: 0, batchSize: 16 });
      return sentences.map((s, i): SentenceView => ({
        documentId,
        sentence: i,
        text: doc.text,
        words: s.words,
        offsets: s.offsets,
        gold: annotation && i === 0 ? gold(annotation) : null,
        predicted: { entities: output.predicted[i].entities.map((e) => found(doc.text, s.offsets, e)), relations: output.predicted[i].relations },
      }));
    },
    'entities.table': async ({ runId, documentId, sentence }): Promise<TableView> => {
      const store = deps.projects.require();
      const head = store.runs.head(runId);
      const sourceRun = head.kind === 'extract' ? store.entities.getExtract(runId).source.runId : runId;
      const { extractor, run } = await finishedExtractor(store, sourceRun);
      const doc = store.documents.get(documentId);
      const stored = head.kind === 'extract' ? store.entities.extracted(runId, documentId) : null;
      const sentences = stored ?? (await sentencesOf(store, documentId, doc.text));
      if (sentence >= sentences.length) throw new ShirabeError('entitiesSentenceOutOfRange', { documentId, sentence, count: sentences.length });
      const words = sentences[sentence].words;
      const { output } = await deps.compute.run('entitiesPredict', { extractor, sentences: [words], tables: true, chunk: 0, batchSize: 1 });
      const table = output.tables![0];
      const entityLabels = entityTagLabels(run.schema.entityTypes);
      // The table covers the words that fit in the run's maxLength subwords (all of them unless the sentence is longer).
      const k = table.entityProbs.length / entityLabels.length;
      const n = words.length;
      const annotation = sentence === 0 ? store.entities.annotation(documentId) : null;
      const goldLabels = annotation && annotation.sentence.words.length === n ? goldTable(annotation.sentence, run.schema) : null;
      const goldRelation = goldLabels ? Array.from({ length: k * k }, (_, c) => goldLabels.relation[Math.floor(c / k) * n + (c % k)]) : null;
      return {
        words: words.slice(0, k),
        entityLabels,
        relationLabels: relationCellLabels(run.schema.relationTypes),
        entityProbs: Array.from(table.entityProbs),
        relationProbs: Array.from(table.relationProbs),
        gold: goldLabels && goldRelation ? { entity: Array.from(goldLabels.entity.subarray(0, k)), relation: goldRelation } : null,
        wordsCut: n - k,
      };
    },
    'entities.start': (config) => start(config),
    'entities.layerSweep': (config) => startSweep(config),
    'entities.extract': (config) => startExtract(config),
    'entities.mentions': async ({ runId, type, offset, limit }) => {
      const store = deps.projects.require();
      store.entities.getExtract(runId);
      const rows = groupMentions(store.entities.allExtracted(runId)).mentions.filter((m) => type === null || m.type === type);
      return { total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    'entities.relations': async ({ runId, type, offset, limit }) => {
      const store = deps.projects.require();
      store.entities.getExtract(runId);
      const rows = groupMentions(store.entities.allExtracted(runId)).relations.filter((r) => type === null || r.type === type);
      return { total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    'entities.export': async ({ runId, format, outPath }) => {
      const store = deps.projects.require();
      const docs = await exportDocuments(store, runId);
      if (docs.length === 0) throw new ShirabeError('entitiesRunEmpty', { id: runId });
      return { files: writeEntityExport(docs, format, outPath) };
    },
  };
  return { handlers, runs: { entities: entityRuns, extract: extractRuns, layerSweep: sweepRuns } };
}
