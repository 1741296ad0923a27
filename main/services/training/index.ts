// Fine-tuning as the contract's handlers: the data a config selects (labels, the validation
// hold-out, test), the run record, the job in the compute worker with live progress and
// checkpoints, metrics on the test split, and the error browser's predictions.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Handlers, ModelInfo, PredictionRow, TestMetrics, TrainConfig, TrainEstimate, TrainResult } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import type { TrainSplit } from '../../jobs/compute/protocol';
import { multiLabelMetrics, multiLabelPredictFromLogits, singleLabelMetrics, type ClassificationScores } from '../../ml/metrics';
import { estimate, parseModelConfig } from '../../ml/models/index';
import { rows, type ValidationScores } from '../../ml/train/fineTune';
import { readConfig } from '../../modelFolders/modelFolder';
import { tokenizerFiles } from '../../ml/train/export';
import { openSafetensors } from '../../ml/weights/safetensors';
import { bytesSource } from '../../ml/weights/types';
import { decodeCheckpoint, encodeWeights } from '../../jobs/checkpoint';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, launchRun, provenance, sweepCurves, type RunKindService } from '../runs';
import type { WorkflowService } from '../workflow';

type TrainHandlers = Pick<Handlers, 'train.start' | 'train.estimate' | 'train.predictions' | 'train.export' | 'train.exportOnnx'>;

interface Doc {
  id: number;
  text: string;
  target: number | number[];
  labels: string[];
}

export interface PreparedData {
  labels: string[];
  train: Doc[];
  validation: Doc[];
  test: Doc[];
  dataHash: string;
}

/** The labels of a document: its label, or for multi-label its label split on the separator. */
function labelsOf(label: string | null, config: Pick<TrainConfig, 'task' | 'labelSeparator'>): string[] {
  if (label === null || label.trim() === '') return [];
  if (config.task === 'single-label') return [label.trim()];
  return [...new Set(label.split(config.labelSeparator).map((l) => l.trim()).filter(Boolean))];
}

/**
 * Training, validation and test documents for a config: the corpus's train split (less a seeded,
 * label-stratified hold-out when validation comes from it), its dev split, its test split.
 * Single-label documents without a label are left out; the labels are those seen in training, sorted.
 */
export function prepareData(store: ProjectStore, config: TrainConfig): PreparedData {
  const name = store.corpora.name(config.corpusId);
  const docs = store.documents.labelled(config.corpusId);
  const withLabels = docs.map((d) => ({ ...d, labels: labelsOf(d.label, config) }));
  if (!withLabels.some((d) => d.labels.length > 0)) throw new ShirabeError('trainNoLabels', { name });
  const usable = config.task === 'single-label' ? withLabels.filter((d) => d.labels.length === 1) : withLabels;
  let train = usable.filter((d) => d.split === 'train');
  let validation = usable.filter((d) => d.split === 'dev');
  if (config.validation.source === 'holdout') {
    // Stratified by the label set: each group gives round(fraction · size) documents, drawn with the seed.
    const groups = new Map<string, typeof train>();
    for (const d of train) groups.set(d.labels.join('\u0000'), [...(groups.get(d.labels.join('\u0000')) ?? []), d]);
    const held = new Set<number>();
    const random = mulberry32(deriveSeed(config.seed, 17));
    for (const key of [...groups.keys()].sort()) {
      const g = groups.get(key)!;
      const n = Math.round(g.length * config.validation.fraction);
      for (const i of permutation(g.length, random).slice(0, n)) held.add(g[i].id);
    }
    validation = train.filter((d) => held.has(d.id));
    train = train.filter((d) => !held.has(d.id));
  }
  const test = usable.filter((d) => d.split === 'test');
  const labels = [...new Set(train.flatMap((d) => d.labels))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length < 2) throw new ShirabeError('trainTooFewClasses', { count: labels.length, labels: labels.join(', ') || '—' });
  if (train.length === 0) throw new ShirabeError('trainSplitNoLabels', { split: 'train' });
  if (validation.length === 0) throw config.validation.source === 'dev' ? new ShirabeError('trainSplitNoLabels', { split: 'dev' }) : new ShirabeError('trainHoldoutEmpty');
  if (test.length === 0) throw new ShirabeError('trainSplitNoLabels', { split: 'test' });
  const index = new Map(labels.map((l, i) => [l, i]));
  const toDoc = (d: (typeof usable)[number]): Doc => {
    const known = d.labels.filter((l) => index.has(l));
    const target = config.task === 'single-label' ? (index.get(d.labels[0]) ?? -1) : labels.map((l) => (known.includes(l) ? 1 : 0));
    return { id: d.id, text: d.text, target, labels: d.labels };
  };
  // Single-label documents whose label never occurs in training cannot be scored: left out.
  const keep = (d: Doc) => config.task === 'multi-label' || (d.target as number) >= 0;
  const hash = createHash('sha256');
  const prepared = { train: train.map(toDoc).filter(keep), validation: validation.map(toDoc).filter(keep), test: test.map(toDoc).filter(keep) };
  for (const [split, list] of Object.entries(prepared)) for (const d of list) hash.update(`${split}\u0000${d.id}\u0000${JSON.stringify(d.target)}\u0000${d.text}\u0001`);
  return { labels, ...prepared, dataHash: hash.digest('hex') };
}

const split = (docs: readonly Doc[]): TrainSplit => ({ texts: docs.map((d) => d.text), targets: docs.map((d) => d.target) });

/** Test metrics from logits (argmax, or logit > 0 per label), with the majority-class baseline for single-label. */
export function testMetrics(config: TrainConfig, labels: string[], docs: readonly Doc[], logits: Float32Array, trainDocs: readonly Doc[]): TestMetrics {
  const K = labels.length;
  const r = rows(logits, K);
  const named = (m: ClassificationScores) => ({
    perClass: labels.map((label, i) => ({ label, precision: m.perClass.precision[i], recall: m.perClass.recall[i], f1: m.perClass.f1[i], support: m.perClass.support[i] })),
    macro: m.macro,
    micro: m.micro,
    weighted: m.weighted,
    zeroDivision: { noPredictions: m.zeroDivision.noPredictions.map((i) => labels[i]), noSupport: m.zeroDivision.noSupport.map((i) => labels[i]) },
  });
  if (config.task === 'single-label') {
    const gold = docs.map((d) => d.target as number);
    const m = singleLabelMetrics(gold, r.map((row) => row.indexOf(Math.max(...row))), K);
    const counts = new Array<number>(K).fill(0);
    for (const d of trainDocs) counts[d.target as number]++;
    const majority = counts.indexOf(Math.max(...counts));
    const base = singleLabelMetrics(gold, gold.map(() => majority), K);
    return { task: config.task, documents: docs.length, accuracy: m.accuracy, ...named(m), confusion: m.confusion, hammingLoss: null, majorityBaseline: { accuracy: base.accuracy, macroF1: base.macro.f1 } };
  }
  const m = multiLabelMetrics(docs.map((d) => d.target as number[]), multiLabelPredictFromLogits(r));
  return { task: config.task, documents: docs.length, accuracy: m.subsetAccuracy, ...named(m), confusion: null, hammingLoss: m.hammingLoss, majorityBaseline: null };
}

/** The first 12 hex digits of a hash, enough to tell two apart in a message. */
const short = (hash: string) => hash.slice(0, 12);

/** A run resumes or exports only on the very model it was trained from. */
function requireSameBase(runId: number, trained: { path: string; hash: string }, now: ModelInfo): void {
  if (now.hash !== trained.hash) throw new ShirabeError('runBaseModelChanged', { id: runId, path: now.path, expected: short(trained.hash), found: short(now.hash) });
}

export function trainService(deps: ServiceContext): WorkflowService<TrainHandlers, 'train'> {
  /** Queues a run's job; `ready` passes the data and model start() has just read, so they are not read twice. */
  const launch = async (store: ProjectStore, runId: number, config: TrainConfig, resume: boolean, ready?: { data: PreparedData; model: ModelInfo }): Promise<string> => {
    const data = ready?.data ?? prepareData(store, config);
    const model = ready?.model ?? (await deps.inspect(config.modelPath));
    // A resumed run goes on from its last checkpoint, or from the start where it had none; either way
    // its record (labels, counts, hashes) must still describe what it trains on.
    const checkpointBytes = resume ? store.training.loadCheckpoint(runId) : null;
    const run = store.training.get(runId);
    if (resume && run.dataHash !== data.dataHash) throw new ShirabeError('runDataChanged', { id: runId, expected: short(run.dataHash), found: short(data.dataHash) });
    if (resume) requireSameBase(runId, run.model, model);
    const curves = sweepCurves<ValidationScores>({
      save: (at, state, steps, epochs) => store.training.saveCheckpoint(runId, at, state, steps, epochs, 'compute worker'),
      add: (steps, epochs) => store.training.addCurvePoints(runId, steps, epochs),
      live: (p) => deps.emit('train.progress', { runId, ...p }),
    });
    const jobId = launchRun(deps.jobs, {
      kind: 'train',
      runId,
      title: run.name,
      unit: 'steps',
      setStatus: (status, error) => store.training.setStatus(runId, status, error),
      // Curve points since the last checkpoint are kept for the charts; a resume re-emits them identically.
      keep: curves.keep,
      body: async (ctx): Promise<TrainResult> => {
        const started = Date.now();
        const result = await deps.compute.run(
          'train',
          {
            modelPath: model.path,
            config,
            labels: data.labels,
            train: split(data.train),
            validation: split(data.validation),
            test: split(data.test),
            resume: checkpointBytes ? decodeCheckpoint(checkpointBytes) : undefined,
          },
          {
            signal: ctx.signal,
            onProgress: ctx.progress,
            onEvent: curves.onEvent,
          },
        );
        const backend = result.backend;
        const o = result.output;
        const best = { learningRate: config.learningRates[o.best.learningRateIndex], epoch: o.best.epoch, validationLoss: o.best.loss };
        const test = testMetrics(config, data.labels, data.test, o.testLogits, data.train);
        const K = data.labels.length;
        const predictions = [
          ...data.validation.map((d, i) => ({ documentId: d.id, split: 'validation' as const, logits: o.validationLogits.slice(i * K, (i + 1) * K) })),
          ...data.test.map((d, i) => ({ documentId: d.id, split: 'test' as const, logits: o.testLogits.slice(i * K, (i + 1) * K) })),
        ];
        const seconds = (Date.now() - started) / 1000;
        store.training.finish(runId, {
          backend,
          seconds,
          best,
          perLearningRate: o.summaries.map((s) => ({ learningRate: config.learningRates[s.learningRateIndex], bestEpoch: s.bestEpoch, bestValidationLoss: s.bestLoss })),
          test,
          weights: { kind: config.method === 'lora' ? 'lora' : 'full', safetensors: encodeWeights(o.values, o.shapes, { labels: data.labels, config, modelType: o.modelType }) },
          predictions,
          ...curves.rest(),
          memory: o.memory,
        });
        deps.projects.touched();
        return { runId, best, test, seconds };
      },
    });
    deps.remember(jobId, { runId, config, resume, modelHash: model.hash, dataHash: data.dataHash, version: deps.version });
    return jobId;
  };

  const start = async (config: TrainConfig) => {
    const store = deps.projects.require();
    const data = prepareData(store, config);
    const model = await deps.inspect(config.modelPath);
    if (model.missing.length || model.misshaped.length) throw new ShirabeError('modelTensorsMismatch', { missing: model.missing.join(', ') || '—', misshaped: model.misshaped.join('; ') || '—' });
    if (config.maxLength > model.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: config.maxLength, limit: model.maxPositions });
    const name = config.name.trim() || `${store.corpora.name(config.corpusId)} · ${model.name} · ${config.method === 'lora' ? 'LoRA' : 'full'}`;
    const { runId, launched } = await createAndLaunch(
      () =>
        store.training.create({
          corpusId: config.corpusId,
          name,
          config: { ...config, name },
          labels: data.labels,
          model: { name: model.name, path: model.path, hash: model.hash, modelType: model.modelType, ...(model.source ? { source: model.source } : {}) },
          dataHash: data.dataHash,
          documents: { train: data.train.length, validation: data.validation.length, test: data.test.length },
          versions: provenance(deps.version),
        }),
      (id) => launch(store, id, { ...config, name }, false, { data, model }),
      (id) => store.training.delete(id),
    );
    return { jobId: launched, runId };
  };

  const runs: RunKindService<'train'> = {
    list: (corpusId) => deps.projects.require().training.list(corpusId),
    get(runId) {
      const store = deps.projects.require();
      return { ...store.training.get(runId), curves: store.training.curves(runId) };
    },
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: await launch(store, runId, store.training.get(runId).config, true) };
    },
    rerun: (runId) => start(deps.projects.require().training.get(runId).config),
    delete: (runId) => deps.projects.require().training.delete(runId),
  };

  /** A finished run's model as files in a new or empty folder (Hugging Face or ONNX), the base model's tokenizer files copied beside. */
  const exportRun = async (runId: number, outDir: string, merge: boolean, format: 'huggingface' | 'onnx'): Promise<{ path: string; files: string[] }> => {
    const store = deps.projects.require();
    const run = store.training.get(runId);
    const weights = store.training.weights(runId);
    if (run.status !== 'done' || !weights) throw new ShirabeError('trainRunNotFinished', { id: runId, status: run.status });
    const target = resolve(outDir);
    if (existsSync(target) && readdirSync(target).length > 0) throw new ShirabeError('exportTargetNotEmpty', { path: target });
    const model = await deps.inspect(run.config.modelPath);
    requireSameBase(runId, run.model, model);
    const reader = openSafetensors(bytesSource(weights.safetensors));
    const values = new Map([...reader.tensors.keys()].map((k) => [k, reader.read(k)] as const));
    // Everything is built before the folder is touched; then written, tokenizer files copied beside.
    // ONNX is the exception: the worker streams model.onnx (and model.onnx.data, for weights over
    // 1.8 GiB) into the folder itself, removed again if the export fails.
    const created = !existsSync(target);
    if (format === 'onnx') mkdirSync(target, { recursive: true });
    let files: [string, Uint8Array | string | null][];
    try {
      ({ output: files } = await deps.compute.run('export', { modelPath: model.path, config: run.config, labels: run.labels, values, merge, baseName: model.path, format, ...(format === 'onnx' ? { outDir: target } : {}) }));
    } catch (err) {
      if (format === 'onnx') {
        for (const f of ['model.onnx', 'model.onnx.data']) rmSync(join(target, f), { force: true });
        if (created && readdirSync(target).length === 0) rmSync(target, { recursive: true, force: true });
      }
      throw err;
    }
    mkdirSync(target, { recursive: true });
    for (const [name, contents] of files) if (contents !== null) writeFileSync(join(target, name), contents);
    const copied = tokenizerFiles.filter((f) => existsSync(join(model.path, f)) && !files.some(([n]) => n === f));
    for (const f of copied) copyFileSync(join(model.path, f), join(target, f));
    return { path: target, files: [...files.map(([n]) => n), ...copied].sort() };
  };

  const handlers: TrainHandlers = {
    'train.start': (config) => start(config),
    'train.estimate': async (config): Promise<TrainEstimate> => {
      const store = deps.projects.require();
      const data = prepareData(store, config);
      const model = await deps.inspect(config.modelPath);
      // Counted from the architecture's own parameter list: the backbone, the new head for these
      // labels and (LoRA) the adapters; the memory estimate adds gradients, AdamW moments and activations.
      // The folder inspect() has just checked: its config.json, parsed into the architecture's shape.
      const { config: modelConfig } = parseModelConfig(readConfig(model.path));
      const counts = estimate(modelConfig, 'sequence-classification', {
        numLabels: data.labels.length,
        method: config.method,
        lora: config.lora,
        loaded: model.loadedHeads,
        batch: { batchSize: config.batchSize, maxLength: config.maxLength },
      });
      const trainable = counts.trainable;
      const stepsPerEpoch = Math.ceil(Math.ceil(data.train.length / config.batchSize) / config.gradientAccumulation);
      return {
        parameters: model.parameters,
        trainable,
        documents: { train: data.train.length, validation: data.validation.length, test: data.test.length },
        labels: data.labels,
        stepsPerEpoch,
        totalSteps: stepsPerEpoch * config.epochs * config.learningRates.length,
        memoryBytes: counts.memoryBytes,
        secondsPerEpoch: null,
      };
    },
    'train.export': async ({ runId, outDir, merge }) => exportRun(runId, outDir, merge, 'huggingface'),
    'train.exportOnnx': async ({ runId, outDir }) => exportRun(runId, outDir, true, 'onnx'),
    'train.predictions': async ({ runId, split: which, gold, predicted, errorsOnly, offset, limit }) => {
      const store = deps.projects.require();
      const run = store.training.get(runId);
      const K = run.labels.length;
      const all: PredictionRow[] = store.training.predictions(runId, which).map((p) => {
        const goldLabels = labelsOf(p.label, run.config);
        const logits = Array.from(p.logits);
        let probabilities: number[];
        let predictedLabels: string[];
        if (run.config.task === 'single-label') {
          const max = Math.max(...logits);
          const exp = logits.map((l) => Math.exp(l - max));
          const sum = exp.reduce((a, b) => a + b, 0);
          probabilities = exp.map((e) => e / sum);
          predictedLabels = [run.labels[logits.indexOf(max)]];
        } else {
          probabilities = logits.map((l) => 1 / (1 + Math.exp(-l)));
          predictedLabels = run.labels.filter((_, i) => logits[i] > 0);
        }
        const correct = [...goldLabels].sort().join('\u0000') === [...predictedLabels].sort().join('\u0000');
        return { documentId: p.documentId, title: p.title, snippet: p.text.slice(0, 200), gold: goldLabels, predicted: predictedLabels, probabilities: probabilities.slice(0, K), correct };
      });
      const rowsOut = all.filter((r) => (!errorsOnly || !r.correct) && (gold === null || r.gold.includes(gold)) && (predicted === null || r.predicted.includes(predicted)));
      return { total: rowsOut.length, rows: rowsOut.slice(offset, offset + limit) };
    },
  };
  return { handlers, runs: { train: runs } };
}
