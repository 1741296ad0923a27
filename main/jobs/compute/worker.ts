// The compute worker: one long-lived worker_thread that owns the ML runtime. It picks the
// backend once, keeps the last model loaded, and runs one task at a time, checking for cancel
// between batches.
import * as tf from '@tensorflow/tfjs-core';
import { parentPort } from 'node:worker_threads';
import { ShirabeError, toErrorInfo } from '../../../common/errors';
import { Morphology } from '../../corpus/morphology';
import { embedEncoded, resolveLayer, tokenizeAll } from '../../ml/embed';
import type { EncoderModel } from '../../ml/models/index';
import { FineTune, predictLogits } from '../../ml/train/fineTune';
import type { Example } from '../../ml/train/trainer';
import { encodeLong } from '../../ml/tokenizers/long';
import type { Tokenizer } from '../../ml/tokenizers/types';
import { readConfig, readEncoder, readTokenizer, requireModelDir } from '../../modelFolders/modelFolder';
import { registerGradients } from './gradientsBundle';
import { runMlmLoss, runPretrain, runVocab, type TaskContext } from './pretrainWorker';
import { segmenterFor } from '../../modelFolders/segmenter';
import { selectBackend, type BackendChoice } from './backends';
import type { EmbedTask, ExportTask, FromWorker, ToWorker, TrainSplit, TrainTask, WorkerStatus } from './protocol';
import { adapterFiles, mergedModelFiles } from '../../ml/train/export';
import { attachLora, trainableValue } from '../../ml/train/lora';

const port = parentPort;
if (!port) throw new Error('the compute worker must run in a worker thread');

let backend: BackendChoice | null = null;
let dictionaryPath: string | undefined;
const cancelled = new Set<string>();
let loaded: { path: string; model: EncoderModel; tokenizer: Tokenizer; modelType: string } | null = null;
let queue: Promise<void> = Promise.resolve();

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function status(): WorkerStatus {
  const m = tf.memory();
  return {
    backend: backend?.backend ?? null,
    device: backend?.device ?? null,
    skipped: backend?.skipped ?? [],
    memory: { tensors: m.numTensors, bytes: m.numBytes, rssBytes: process.memoryUsage().rss },
  };
}

async function load(path: string): Promise<NonNullable<typeof loaded>> {
  const dir = requireModelDir(path);
  if (loaded?.path === dir) return loaded;
  loaded?.model.dispose();
  loaded = null;
  const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, () => Morphology.load(dictionaryPath)));
  const model = readEncoder(dir, readConfig(dir));
  loaded = { path: dir, model, tokenizer, modelType: model.config.modelType };
  return loaded;
}

/** A base model for classification with these labels: the checkpoint's own head (and MLM head) are not read; the classifier is new. */
function classifierBase(dir: string, labels: readonly string[]): EncoderModel {
  const raw = readConfig(dir);
  const labelled = { ...raw, id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])) };
  return readEncoder(dir, labelled, ['classifier', 'mlm', 'nsp']);
}

const yieldToMessages = () => new Promise<void>((r) => setImmediate(r));

async function embed(jobId: string, task: EmbedTask): Promise<void> {
  const { model, tokenizer, modelType } = await load(task.modelPath);
  const limit = model.config.maxPositions - model.config.positionOffset;
  if (task.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: task.maxLength, limit });
  resolveLayer(task.layer, model.config.numLayers);
  const total = task.texts.length;
  // Tokenizing is part of the work: count it as the first half of the progress bar.
  const encodings = [];
  let truncated = 0;
  let tokens = 0;
  const step = 256;
  for (let i = 0; i < total; i += step) {
    if (cancelled.has(jobId)) throw new ShirabeError('cancelled');
    const part = tokenizeAll(tokenizer, task.texts.slice(i, i + step), task);
    encodings.push(...part.encodings);
    truncated += part.truncated;
    tokens += part.tokens;
    send({ type: 'progress', jobId, done: Math.min(total, i + step) / 2, total });
    await yieldToMessages();
  }
  let done = 0;
  const padId = tokenizer.special.pad;
  for (const batch of embedEncoded(model, encodings, task, padId)) {
    const indices = Int32Array.from(batch.indices);
    send({ type: 'vectors', jobId, indices, vectors: batch.vectors }, [indices.buffer as ArrayBuffer, batch.vectors.buffer as ArrayBuffer]);
    done += batch.indices.length;
    send({ type: 'progress', jobId, done: total / 2 + done / 2, total });
    await yieldToMessages();
    if (cancelled.has(jobId)) throw new ShirabeError('cancelled');
  }
  send({ type: 'done', jobId, outcome: { dimensions: model.config.hiddenSize, truncated, tokens, modelType } });
}

/** A GPU allocation failure from libtensorflow, as the message a researcher can act on (any task). */
function outOfMemory(err: unknown): ShirabeError | null {
  const message = err instanceof Error ? err.message : String(err);
  return /\bOOM\b|out of memory|ResourceExhausted/i.test(message) ? new ShirabeError('gpuOutOfMemory', { detail: message.split('\n')[0].slice(0, 200) }) : null;
}

async function train(jobId: string, task: TrainTask): Promise<void> {
  registerGradients();
  const dir = requireModelDir(task.modelPath);
  const K = task.labels.length;
  const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, () => Morphology.load(dictionaryPath)));
  const model = classifierBase(dir, task.labels);
  let fineTune: FineTune | null = null;
  try {
    const limit = model.config.maxPositions - model.config.positionOffset;
    if (task.config.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: task.config.maxLength, limit });
    let truncated = 0;
    const examples = async (split: TrainSplit): Promise<Example[]> => {
      const out: Example[] = [];
      for (let i = 0; i < split.texts.length; i++) {
        const e = encodeLong(tokenizer, split.texts[i], { maxLength: task.config.maxLength, truncation: task.config.truncation });
        if (e.truncated > 0) truncated++;
        out.push({ ids: e.ids, tokenTypeIds: e.tokenTypeIds, target: split.targets[i] });
        if (i % 256 === 255) {
          await yieldToMessages();
          if (cancelled.has(jobId)) throw new ShirabeError('cancelled');
        }
      }
      return out;
    };
    const data = { train: await examples(task.train), validation: await examples(task.validation), numLabels: K, padId: tokenizer.special.pad };
    const test = await examples(task.test);
    fineTune = new FineTune(model, data, task.config, task.resume);
    const run = fineTune.run();
    for (;;) {
      const next = run.next();
      if (next.done) {
        const shapes = new Map([...next.value.values.keys()].map((k): [string, number[]] => [k, trainableShape(model, k)]));
        const outcome = {
          best: next.value.best,
          summaries: next.value.summaries,
          values: next.value.values,
          shapes,
          validationLogits: predictLogits(model, data.validation, data.padId),
          testLogits: predictLogits(model, test, data.padId),
          modelType: model.config.modelType,
          truncated,
        };
        send({ type: 'trained', jobId, outcome });
        return;
      }
      const ev = next.value;
      if (ev.type === 'checkpoint') send({ type: 'checkpoint', jobId, checkpoint: fineTune.checkpoint() });
      else {
        send({ type: 'trainEvent', jobId, event: ev });
        if (ev.type === 'step') send({ type: 'progress', jobId, done: ev.done, total: ev.total });
      }
      await yieldToMessages();
      if (cancelled.has(jobId)) throw new ShirabeError('cancelled');
    }
  } finally {
    fineTune?.dispose();
    model.dispose();
  }
}

/** A base model with a run's new head (and adapters) and its kept values, as Hugging Face files. */
function exportRun(jobId: string, task: ExportTask): void {
  const model = classifierBase(requireModelDir(task.modelPath), task.labels);
  try {
    const basePooler = model.heads.pooler;
    // Head and adapters are created only to be overwritten by the run's values.
    if (model.classifierStyle === 'pooler' && !basePooler) model.initHead('pooler', () => 0);
    model.initHead('classifier', () => 0);
    if (task.config.method === 'lora') attachLora(model, task.config.lora, () => 0.5);
    for (const [key, data] of task.values) {
      const v = trainableValue(model, key);
      if (!v || v.size !== data.length) throw new Error(`the run's tensor ${key} does not fit the base model`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
    }
    const files = task.merge || task.config.method === 'full'
      ? mergedModelFiles(model, task.labels, task.config.task)
      : adapterFiles(model, task.labels, task.config.task, task.config.lora, task.baseName, { basePooler });
    send({ type: 'exported', jobId, files: [...files] });
  } finally {
    model.dispose();
  }
}

/** The shape of a trainable value: a model parameter, or a LoRA adapter ("lora:<linear>.a|b"). */
function trainableShape(model: EncoderModel, key: string): number[] {
  return trainableValue(model, key)!.shape;
}

function taskContext(jobId: string): TaskContext {
  return {
    jobId,
    send,
    cancelled: () => cancelled.has(jobId),
    yieldToMessages,
    morphology: () => Morphology.load(dictionaryPath),
    registerGradients,
  };
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      dictionaryPath = msg.dictionaryPath;
      queue = queue.then(async () => {
        backend = await selectBackend(msg.choice);
        send({ type: 'ready', status: status() });
      });
      break;
    case 'status':
      // Answered at once, even while a task runs (between its batches).
      send({ type: 'status', status: status() });
      break;
    case 'cancel':
      cancelled.add(msg.jobId);
      break;
    case 'embed':
    case 'train':
    case 'export':
    case 'pretrain':
    case 'mlmLoss':
    case 'vocab':
      queue = queue.then(async () => {
        try {
          if (msg.type === 'embed') await embed(msg.jobId, msg.task);
          else if (msg.type === 'train') await train(msg.jobId, msg.task);
          else if (msg.type === 'export') exportRun(msg.jobId, msg.task);
          else {
            // The masked-LM tasks (pretrainWorker.ts) load their own models: free the cached one.
            loaded?.model.dispose();
            loaded = null;
            const ctx = taskContext(msg.jobId);
            if (msg.type === 'pretrain') await runPretrain(msg.task, ctx);
            else if (msg.type === 'mlmLoss') await runMlmLoss(msg.task, ctx);
            else await runVocab(msg.task, ctx);
          }
        } catch (err) {
          send({ type: 'failed', jobId: msg.jobId, error: toErrorInfo(outOfMemory(err) ?? err) });
        } finally {
          cancelled.delete(msg.jobId);
        }
      });
      break;
  }
});
