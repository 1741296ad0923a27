// The compute worker: one long-lived worker_thread that owns the ML runtime. It picks the
// backend once, keeps the last model loaded, and runs one task at a time, checking for cancel
// between batches.
import * as tf from '@tensorflow/tfjs-core';
import { parentPort } from 'node:worker_threads';
import { ShirabeError, toErrorInfo } from '../../../common/errors';
import { Morphology } from '../../corpus/morphology';
import { embedEncoded, resolveLayer, tokenizeAll } from '../../ml/embed';
import { loadEncoder, type EncoderModel } from '../../ml/models/index';
import type { Tokenizer } from '../../ml/tokenizers/types';
import { openWeights, readConfig, readTokenizer, requireModelDir } from '../../models/modelFolder';
import { segmenterFor } from '../../models/segmenter';
import { selectBackend, type BackendChoice } from './backends';
import type { EmbedTask, FromWorker, ToWorker, WorkerStatus } from './protocol';

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
  const raw = readConfig(dir);
  const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, () => Morphology.load(dictionaryPath)));
  const weights = openWeights(dir);
  try {
    const { model, config } = loadEncoder(raw, weights.reader);
    loaded = { path: dir, model, tokenizer, modelType: config.modelType };
    return loaded;
  } finally {
    weights.close();
  }
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
      queue = queue.then(async () => {
        try {
          await embed(msg.jobId, msg.task);
        } catch (err) {
          send({ type: 'failed', jobId: msg.jobId, error: toErrorInfo(err) });
        } finally {
          cancelled.delete(msg.jobId);
        }
      });
      break;
  }
});
