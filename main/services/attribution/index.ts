// Attribution as the contract's handlers: Integrated Gradients for documents of a corpus, a run of
// the shared lifecycle computed in the compute worker (tasks/attribution); each document's token
// scores are written as it is done, so a resumed run goes on from there. Opening a document gathers
// its tokens into words and MeCab morphemes.
import { createHash } from 'node:crypto';
import type { AttributionConfig, AttributionResult, AttributionRunInfo, DocumentAttribution, Handlers, ModelSourceRef, ScoredSpan } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { spanScores, wordScores, type Combine } from '../../ml/attribution/words';
import { resolveLayer } from '../../ml/embed';
import type { AttributeDocument, AttributeInput, AttributeModel, AttributeTarget } from '../../jobs/compute/tasks/attribution/attribute';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, documentRuns, provenance } from '../runs';
import type { WorkflowService } from '../workflow';
import { finishedClassifier } from '../training/finished';
import { informationHandler } from './information';

type AttributionHandlers = Pick<Handlers, 'attribution.start' | 'attribution.document' | 'attribution.information' | 'attribution.ofDocument'>;

/** The Hub id and commit of a downloaded model, for the run's record (as fine-tuning records its base model). */
const sourceOf = (info: { source?: ModelSourceRef | null }) => (info.source ? { source: info.source } : {});

/** The model a config attributes: a run's base with its kept values, or a folder; with what the record names it by. */
async function modelOf(deps: ServiceContext, store: ProjectStore, config: AttributionConfig): Promise<{ model: AttributeModel; ref: AttributionRunInfo['model']; layers: number; classifier: boolean }> {
  const source = config.source ?? (config.target.kind === 'membership' ? { kind: 'model' as const, path: embeddingOfClustering(store, config.target.clusteringRunId).run.model.path } : null);
  if (!source) throw new ShirabeError('attributionNeedsModel');
  if (source.kind === 'model') {
    const info = await deps.inspect(source.path);
    return { model: { kind: 'folder', path: info.path }, ref: { name: info.name, path: info.path, hash: info.hash, ...sourceOf(info) }, layers: info.layers, classifier: info.loadedHeads.classifier };
  }
  const { run, info, values } = await finishedClassifier(deps, store, source.runId);
  return {
    model: { kind: 'run', modelPath: info.path, config: run.config, labels: run.labels, values },
    ref: { name: `${run.name} (${info.name})`, path: info.path, hash: info.hash, ...sourceOf(info) },
    layers: info.layers,
    classifier: true,
  };
}

/** A clustering with the embedding run it clustered (whose model, pooling and layer a topic's attribution uses). */
function embeddingOfClustering(store: ProjectStore, clusteringRunId: number) {
  const clustering = store.topics.clusters.get(clusteringRunId);
  const run = store.embeddings.list(null).find((r) => r.id === clustering.embedding.runId);
  if (!run) throw new ShirabeError('embeddingRunNotFound', { id: clustering.embedding.runId });
  return { clustering, run };
}

/** The documents a config names, in order, each with its text (and its topic for a membership target). */
function documentsOf(store: ProjectStore, config: AttributionConfig): AttributeDocument[] {
  const all = store.documents.labelled(config.corpusId);
  let chosen: typeof all;
  if (config.documents.kind === 'ids') {
    const byId = new Map(all.map((d) => [d.id, d]));
    const missing = config.documents.ids.filter((id) => !byId.has(id)).length;
    if (missing > 0) throw new ShirabeError('attributionNotInCorpus', { count: missing, corpus: config.corpusId });
    chosen = [...new Set(config.documents.ids)].map((id) => byId.get(id)!);
  } else {
    const { split, limit } = config.documents;
    chosen = all.filter((d) => split === null || d.split === split).slice(0, limit ?? undefined);
  }
  chosen = chosen.filter((d) => d.text.trim() !== '');
  if (chosen.length === 0) throw new ShirabeError('attributionNoDocuments', { split: config.documents.kind === 'split' ? (config.documents.split ?? 'train') : 'train' });
  return chosen.map((d, position) => ({ id: d.id, text: d.text, position }));
}

/** The worker's target: layers resolved, a topic's centroids computed from the clustering's embedding run. */
function targetOf(store: ProjectStore, config: AttributionConfig, layers: number, documents: AttributeDocument[]): AttributeTarget {
  const t = config.target;
  if (t.kind === 'class') return t;
  if (t.kind === 'embedding') return { kind: 'embedding', pooling: t.pooling, layer: resolveLayer(t.layer, layers), estimate: t.estimate };
  const { clustering, run } = embeddingOfClustering(store, t.clusteringRunId);
  const { documentIds, clusters } = store.topics.clusters.assignments(t.clusteringRunId);
  const { documentIds: rows, vectors } = store.embeddings.vectors(run.id);
  const d = run.dimensions;
  const rowOf = new Map(rows.map((id, i) => [id, i]));
  const clusterOf = new Map<number, number>();
  documentIds.forEach((id, i) => clusterOf.set(id, clusters[i]));
  // Each topic's centroid: the mean of its documents' vectors, as k-means's centres (the clustering's edits included).
  const sums = new Map<number, { sum: Float64Array; n: number }>();
  clusterOf.forEach((c, id) => {
    const r = rowOf.get(id);
    if (r === undefined || c < 0) return;
    let s = sums.get(c);
    if (!s) sums.set(c, (s = { sum: new Float64Array(d), n: 0 }));
    for (let j = 0; j < d; j++) s.sum[j] += vectors[r * d + j];
    s.n++;
  });
  const ids = [...sums.keys()].sort((a, b) => a - b);
  const centroids = new Float32Array(ids.length * d);
  ids.forEach((c, i) => sums.get(c)!.sum.forEach((v, j) => (centroids[i * d + j] = v / sums.get(c)!.n)));
  for (const doc of documents) doc.cluster = clusterOf.get(doc.id) ?? -1;
  if (clustering.corpusId !== config.corpusId) throw new ShirabeError('attributionNotInCorpus', { count: documents.length, corpus: config.corpusId });
  return { kind: 'membership', pooling: run.pooling, layer: resolveLayer(run.layer, layers), clusters: ids, centroids };
}

export function attributionService(deps: ServiceContext): WorkflowService<AttributionHandlers, 'attribution'> {
  const { launch, runKind } = documentRuns(deps, {
    kind: 'attribution',
    records: (store) => store.attribution,
    body: async (store, runId, config: AttributionConfig, ctx, { done, seconds }): Promise<AttributionResult> => {
      const info = await modelOf(deps, store, config);
      const all = documentsOf(store, config);
      const target = targetOf(store, config, info.layers, all);
      // A resumed run goes on with the documents it has not done.
      const documents = all.filter((d) => !done.has(d.id));
      const status = await deps.compute.warmUp();
      const backend = `${status.backend} (${status.device})`;
      const input: AttributeInput = {
        model: info.model,
        target,
        documents,
        baseline: config.baseline,
        steps: config.steps,
        rule: config.rule,
        // Runs made before the tolerance existed refine nothing.
        tolerance: config.tolerance ?? null,
        batchSize: config.batchSize,
        maxLength: config.maxLength,
        truncation: config.truncation,
        seed: config.seed,
      };
      await deps.compute.run('attribute', input, {
        signal: ctx.signal,
        onProgress: (d, total) => ctx.progress(done.size + d, done.size + total),
        onEvent: (e) => {
          store.attribution.addDocument(runId, e.document, backend);
          deps.projects.touched();
        },
      });
      const time = seconds();
      store.attribution.finish(runId, backend, time);
      deps.projects.touched();
      const finished = store.attribution.get(runId);
      return { runId, documents: finished.done, gap: finished.gap, seconds: time };
    },
  });

  const start = async (config: AttributionConfig) => {
    const store = deps.projects.require();
    const corpus = store.corpora.require(config.corpusId);
    const info = await modelOf(deps, store, config);
    if (config.target.kind === 'class' && !info.classifier) throw new ShirabeError('attributionNoClassifier', { model: info.ref.path });
    const documents = documentsOf(store, config);
    // Refused before any record exists: a layer the model lacks, a topic of another corpus.
    targetOf(store, config, info.layers, documents);
    const targetName = config.target.kind === 'class' ? (config.target.label ?? 'predicted') : config.target.kind === 'embedding' ? `${config.target.pooling} L${config.target.layer}` : `topic of clustering ${config.target.clusteringRunId}`;
    const name = config.name.trim() || `${corpus.name} · ${info.ref.name} · ${targetName}`;
    const named = { ...config, name };
    const dataHash = createHash('sha256').update(`attribution ${info.ref.hash}\n`).update(Int32Array.from(documents, (d) => d.id)).digest('hex');
    const { runId, launched } = await createAndLaunch(
      () =>
        store.attribution.create({
          corpusId: config.corpusId,
          name,
          config: named,
          dataHash,
          documents: { documents: documents.length },
          versions: provenance(deps.version),
          model: info.ref,
          signed: config.target.kind !== 'embedding',
        }),
      async (id) => launch(store, id, named),
      (id) => store.attribution.delete(id),
    );
    return { jobId: launched, runId };
  };

  const runs = runKind(start, (runId) => {
    const store = deps.projects.require();
    return { ...store.attribution.get(runId), attributed: store.attribution.documents(runId) };
  });

    const handlers: AttributionHandlers = {
    'attribution.start': (config) => start(config),
    'attribution.information': informationHandler(deps),
    'attribution.ofDocument': async ({ documentId }) => {
      const store = deps.projects.require();
      return store.attribution.runsOf(documentId).map((runId) => {
        const r = store.attribution.get(runId);
        return { runId, name: r.name, target: r.config.target, signed: r.signed };
      });
    },
    'attribution.document': async ({ runId, documentId }): Promise<DocumentAttribution> => {
      const store = deps.projects.require();
      const run = store.attribution.get(runId);
      const stored = store.attribution.document(runId, documentId);
      if (!stored) throw new ShirabeError('documentNotFound', { id: documentId });
      const text = store.documents.get(documentId).text;
      const how: Combine = run.signed ? 'sum' : 'l2';
      const tokens: ScoredSpan[] = stored.tokens.map((tk, t) => ({
        start: tk.start,
        end: tk.end,
        text: tk.text,
        score: stored.scores[t],
        ...(stored.low && stored.high ? { low: stored.low[t], high: stored.high[t] } : {}),
        ...(tk.special ? { special: true } : {}),
      }));
      const spans = stored.tokens.map((tk, i) => ({ id: i, ...tk }));
      const words = wordScores(spans, stored.scores, how).map((w) => ({ start: w.start, end: w.end, text: text.slice(w.start, w.end), score: w.score }));
      // Morphemes of the attributed part of the text (a truncated document's tail has no scores).
      const end = Math.max(0, ...stored.tokens.map((tk) => tk.end));
      const morphemes = (await deps.morphology()).analyse(text.slice(0, end));
      const scored = spanScores(spans, stored.scores, morphemes, how).map((m, i) => ({ start: m.start, end: m.end, text: morphemes[i].surface, score: m.score, pos: morphemes[i].pos }));
      return { runId, signed: run.signed, summary: stored.info, text, tokens, words, morphemes: scored };
    },
  };
  return { handlers, runs: { attribution: runs } };
}
