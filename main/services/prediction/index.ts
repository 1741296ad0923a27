// Applying a classifier as the contract's handlers: a finished fine-tuning run (LoRA adapters
// included) or a model folder with a classification head, run over a corpus's documents in the
// compute worker (tasks/prediction) as a run of the shared lifecycle. Each chunk of documents'
// probabilities, labels and confidence is written with the checkpoint (a resumed run goes on from
// there); the finished run is compared with the gold labels and exports as CSV.
import { createHash } from 'node:crypto';
import { csvBom, csvLine, float32Text } from '../../../common/csv';
import type { Handlers, PredictedDocument, PredictionConfig, PredictionResult, PredictionRunInfo, TrainTask } from '../../../common/contract';
import { predictionDefaults } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import type { PredictModel } from '../../jobs/compute/tasks/prediction/predict';
import { confidenceOf, decide, probabilitiesOf } from '../../ml/classify';
import { readConfig } from '../../modelFolders/modelFolder';
import type { ProjectStore } from '../../project/store';
import type { StoredPrediction } from '../../project/repositories/prediction';
import type { ServiceContext } from '../context';
import { writeFileAtomically } from '../files';
import { createAndLaunch, documentRuns, provenance } from '../runs';
import type { WorkflowService } from '../workflow';
import { finishedClassifier } from '../training/finished';
import { evaluatePredictions } from './evaluate';

type PredictionHandlers = Pick<Handlers, 'prediction.start' | 'prediction.documents' | 'prediction.csv' | 'prediction.export'>;

/** The classifier a config applies, with what its record names it by and how it reads documents. */
interface Classifier {
  model: PredictModel;
  ref: PredictionRunInfo['model'];
  labels: string[];
  task: TrainTask;
  maxLength: number;
  truncation: 'head' | 'head+tail';
  /** How a multi-label gold label is split into labels. */
  separator: string;
}

async function classifierOf(deps: ServiceContext, store: ProjectStore, config: PredictionConfig): Promise<Classifier> {
  const source = config.source;
  if (source.kind === 'model') {
    const info = await deps.inspect(source.path);
    if (!info.loadedHeads.classifier || info.labels.length === 0) throw new ShirabeError('predictionNoClassifier', { model: info.path });
    const task: TrainTask = readConfig(info.path).problem_type === 'multi_label_classification' ? 'multi-label' : 'single-label';
    return {
      model: { kind: 'folder', path: info.path, hash: info.hash },
      ref: { name: info.name, path: info.path, hash: info.hash, ...(info.source ? { source: info.source } : {}) },
      labels: info.labels,
      task,
      maxLength: config.maxLength ?? Math.min(predictionDefaults.maxLength, info.maxPositions),
      truncation: config.truncation ?? 'head',
      separator: ';',
    };
  }
  const head = store.runs.head(source.runId);
  if (head.kind !== 'train') throw new ShirabeError('predictionNotClassifierRun', { id: source.runId, kind: head.kind });
  const { run, info, values } = await finishedClassifier(deps, store, source.runId);
  return {
    model: { kind: 'run', modelPath: info.path, config: run.config, labels: run.labels, values },
    ref: { name: `${run.name} (${info.name})`, path: info.path, hash: info.hash, ...(info.source ? { source: info.source } : {}) },
    labels: run.labels,
    task: run.config.task,
    // As the run read its documents, so its own test documents get its own probabilities.
    maxLength: config.maxLength ?? run.config.maxLength,
    truncation: config.truncation ?? run.config.truncation,
    separator: run.config.labelSeparator,
  };
}

/** The documents a config names, in ordinal order, with text. */
function documentsOf(store: ProjectStore, config: PredictionConfig) {
  const chosen = store.documents.labelled(config.corpusId).filter((d) => (config.split === null || d.split === config.split) && d.text.trim() !== '');
  if (chosen.length === 0) throw new ShirabeError('predictionNoDocuments', { corpus: store.corpora.name(config.corpusId), split: config.split ?? 'all' });
  return chosen;
}

/** A document's gold labels as the classifier's task reads them (multi-label: split on the separator). */
function goldOf(label: string | null, task: TrainTask, separator: string): string[] {
  if (label === null || label.trim() === '') return [];
  if (task === 'single-label') return [label.trim()];
  return [...new Set(label.split(separator).map((l) => l.trim()).filter(Boolean))];
}

/** The separator a run's gold labels are split on (the fine-tuning run's, or ';'). */
function separatorOf(store: ProjectStore, run: PredictionRunInfo): string {
  if (run.config.source.kind !== 'run') return ';';
  try {
    return store.training.get(run.config.source.runId).config.labelSeparator;
  } catch {
    return ';';
  }
}

function predictedRows(store: ProjectStore, run: PredictionRunInfo, stored: StoredPrediction[]): PredictedDocument[] {
  const separator = separatorOf(store, run);
  return stored.map((p) => {
    const gold = goldOf(p.label, run.task, separator);
    const known = run.task === 'multi-label' || (gold.length > 0 && run.labels.includes(gold[0]));
    const correct = gold.length === 0 || !known ? null : [...gold.filter((g) => run.labels.includes(g))].sort().join('\u0000') === [...p.predicted].sort().join('\u0000');
    return { documentId: p.documentId, title: p.title, snippet: p.snippet, split: p.split, gold, predicted: p.predicted, probabilities: Array.from(p.probabilities), confidence: p.confidence, correct };
  });
}

/** A run's CSV: one row per document in the run's order; probabilities as the float32s kept. */
export function predictionCsv(store: ProjectStore, run: PredictionRunInfo): { csv: string; rows: number } {
  const rows = predictedRows(store, run, store.prediction.documents(run.id));
  const separator = separatorOf(store, run);
  const header = ['document_id', 'title', 'split', 'gold', 'predicted', 'confidence', ...run.labels.map((l) => `p(${l})`)];
  let csv = csvBom + csvLine(header);
  for (const r of rows) csv += csvLine([r.documentId, r.title, r.split, r.gold.join(separator), r.predicted.join(separator), float32Text(Math.fround(r.confidence)), ...r.probabilities.map(float32Text)]);
  return { csv, rows: rows.length };
}

export function predictionService(deps: ServiceContext): WorkflowService<PredictionHandlers, 'prediction'> {
  const { launch, runKind } = documentRuns(deps, {
    kind: 'prediction',
    records: (store) => store.prediction,
    body: async (store, runId, config: PredictionConfig, ctx, { done, seconds }): Promise<PredictionResult> => {
      const record = store.prediction.get(runId);
      const classifier = await classifierOf(deps, store, config);
      const all = documentsOf(store, config);
      const position = new Map(all.map((d, i) => [d.id, i]));
      // A resumed run goes on with the documents it has not done.
      const todo = all.filter((d) => !done.has(d.id));
      const status = await deps.compute.warmUp();
      // The engine the forward passes run on (onnxruntime, or the tfjs backend), as the worker reports it.
      const backend = status.inference?.device ?? `${status.backend} (${status.device})`;
      const K = classifier.labels.length;
      const threshold = record.threshold;
      await deps.compute.run(
        'predict',
        { model: classifier.model, documents: todo.map((d) => ({ id: d.id, text: d.text })), batchSize: config.batchSize, maxLength: classifier.maxLength, truncation: classifier.truncation, chunk: config.batchSize * predictionDefaults.chunkBatches },
        {
          signal: ctx.signal,
          onProgress: (d, total) => ctx.progress(done.size + d, done.size + total),
          onEvent: (e) => {
            const rows = Array.from(e.documentIds, (documentId, r) => {
              const probabilities = probabilitiesOf(e.logits.subarray(r * K, (r + 1) * K), classifier.task);
              return {
                documentId,
                position: position.get(documentId)!,
                predicted: decide(probabilities, classifier.task, threshold).map((i) => classifier.labels[i]),
                confidence: confidenceOf(probabilities, classifier.task, threshold),
                probabilities: Float32Array.from(probabilities),
              };
            });
            store.prediction.addDocuments(runId, rows, backend);
            deps.projects.touched();
          },
        },
      );
      const stored = store.prediction.documents(runId);
      const index = new Map(classifier.labels.map((l, i) => [l, i]));
      const evaluation = evaluatePredictions(
        classifier.labels,
        classifier.task,
        stored.map((p) => ({ gold: goldOf(p.label, classifier.task, classifier.separator), predicted: p.predicted.map((l) => index.get(l)!) })),
      );
      const time = seconds();
      store.prediction.finish(runId, evaluation, backend, time);
      deps.projects.touched();
      return { runId, documents: stored.length, evaluation, seconds: time };
    },
  });

  const start = async (config: PredictionConfig) => {
    const store = deps.projects.require();
    const corpus = store.corpora.require(config.corpusId);
    const classifier = await classifierOf(deps, store, config);
    const documents = documentsOf(store, config);
    const name = config.name.trim() || `${corpus.name}${config.split ? ` (${config.split})` : ''} · ${classifier.ref.name}`;
    const named = { ...config, name };
    const hash = createHash('sha256').update(`prediction ${classifier.ref.hash} ${classifier.maxLength} ${classifier.truncation}\n`);
    for (const d of documents) hash.update(`${d.id}\u0000${d.textHash}\u0001`);
    const { runId, launched } = await createAndLaunch(
      () =>
        store.prediction.create({
          corpusId: config.corpusId,
          name,
          config: named,
          dataHash: hash.digest('hex'),
          documents: { documents: documents.length },
          versions: provenance(deps.version),
          model: classifier.ref,
          labels: classifier.labels,
          task: classifier.task,
          threshold: config.threshold ?? predictionDefaults.threshold,
        }),
      async (id) => launch(store, id, named),
      (id) => store.prediction.delete(id),
    );
    return { jobId: launched, runId };
  };

  const runs = runKind(start, (runId) => deps.projects.require().prediction.get(runId));

  const handlers: PredictionHandlers = {
    'prediction.start': (config) => start(config),
    'prediction.documents': async ({ runId, predicted, errorsOnly, sort, offset, limit }) => {
      const store = deps.projects.require();
      const run = store.prediction.get(runId);
      // A page is read as a page; only the errors, which SQL cannot tell, need every row (without their texts).
      if (!errorsOnly) return { total: store.prediction.count(runId, predicted), rows: predictedRows(store, run, store.prediction.documents(runId, { predicted, sort, page: { offset, limit } })) };
      const rows = predictedRows(store, run, store.prediction.documents(runId, { predicted, sort })).filter((r) => r.correct === false);
      return { total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    'prediction.csv': async ({ runId }) => {
      const store = deps.projects.require();
      const run = store.prediction.get(runId);
      if (run.done === 0) throw new ShirabeError('predictionRunEmpty', { id: runId });
      return predictionCsv(store, run);
    },
    'prediction.export': async ({ runId, path }) => {
      const store = deps.projects.require();
      const run = store.prediction.get(runId);
      if (run.done === 0) throw new ShirabeError('predictionRunEmpty', { id: runId });
      const { csv, rows } = predictionCsv(store, run);
      writeFileAtomically(path, csv);
      return { path, rows, bytes: Buffer.byteLength(csv, 'utf8') };
    },
  };
  return { handlers, runs: { prediction: runs } };
}
