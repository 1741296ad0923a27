// Applying a classifier to documents: a model folder's own classification head, or a finished
// fine-tuning run's classifier rebuilt from its base (training/classifier.ts). Documents are
// tokenized, batched by length (less padding) and run forward; each chunk's logits go out as an
// event as soon as they are done, so main writes them with a checkpoint and a resumed run skips them.
import type { TrainConfig, TrainTask } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import type { EncoderModel } from '../../../../ml/models/index';
import { encodeLong } from '../../../../ml/tokenizers/long';
import type { Tokenizer } from '../../../../ml/tokenizers/types';
import { batchOf, type Example } from '../../../../ml/train/trainer';
import { readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import type { InferenceEngine } from '../../inference';
import { defineTask, type TaskContext } from '../../task';
import { runClassifier } from '../training/classifier';

export type PredictModel =
  /** hash: the folder's content hash, naming its cached ONNX graph. */
  | { kind: 'folder'; path: string; hash: string }
  | { kind: 'run'; modelPath: string; config: TrainConfig; labels: string[]; values: Map<string, Float32Array> };

export interface PredictInput {
  model: PredictModel;
  /** The documents still to predict (a resumed run's are left out by main). */
  documents: { id: number; text: string }[];
  batchSize: number;
  maxLength: number;
  truncation: 'head' | 'head+tail';
  /** Documents per event (main writes each in one transaction with the checkpoint). */
  chunk: number;
}

/** [n × K] logits of the documents named, in that order. */
export type PredictEvent = { type: 'chunk'; documentIds: Int32Array; logits: Float32Array };

export interface PredictOutput {
  documents: number;
  labels: string[];
  task: TrainTask;
  /** Documents longer than maxLength tokens. */
  truncated: number;
  /** The engine the forward passes ran on, as the worker reports it. */
  engine: string;
}

/**
 * [B × K] logits of a batch: the one forward pass of prediction, on the worker's inference engine
 * (onnxruntime's CPU runtime when it loads, else the tfjs backend; main/jobs/compute/inference.ts).
 */
export async function classifierLogits(inference: InferenceEngine, model: EncoderModel, batch: readonly Example[], padId: number, cacheKey?: string): Promise<Float32Array> {
  const { logits } = await inference.run(model, batchOf(batch, padId), { logits: true }, cacheKey);
  if (!logits) throw new ShirabeError('internal', { detail: 'the inference engine gave no logits' });
  return logits;
}

/** The classifier and tokenizer; `release` frees a model built for this task (a cached folder model stays). */
async function open(input: PredictModel, ctx: TaskContext<PredictEvent>): Promise<{ model: EncoderModel; tokenizer: Tokenizer; labels: string[]; task: TrainTask; release(): void }> {
  if (input.kind === 'folder') {
    const { model, tokenizer } = await ctx.models.load(input.path);
    const c = model.config;
    if (!model.heads.classifier) throw new ShirabeError('predictionNoClassifier', { model: input.path });
    const labels = Array.from({ length: c.numLabels }, (_, i) => c.id2label[i] ?? `LABEL_${i}`);
    return { model, tokenizer, labels, task: c.raw.problem_type === 'multi_label_classification' ? 'multi-label' : 'single-label', release: () => {} };
  }
  const dir = requireModelDir(input.modelPath);
  const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
  // The cached model is another; free it first, as training does, so two models are not held at once.
  ctx.models.release();
  const { model } = runClassifier(input);
  return {
    model,
    tokenizer,
    labels: input.labels,
    task: input.config.task,
    release: () => {
      // The engine's session holds this model's graph: freed with it.
      ctx.inference.release();
      model.dispose();
    },
  };
}

export const predict = defineTask<PredictInput, PredictEvent, PredictOutput>({
  async run(input, ctx) {
    const opened = await open(input.model, ctx);
    try {
      const { model, tokenizer, labels } = opened;
      const K = labels.length;
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (input.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.maxLength, limit });
      const total = input.documents.length;
      const examples: Example[] = [];
      let truncated = 0;
      for (let i = 0; i < total; i++) {
        const e = encodeLong(tokenizer, input.documents[i].text, { maxLength: input.maxLength, truncation: input.truncation });
        if (e.truncated > 0) truncated++;
        examples.push({ ids: e.ids, tokenTypeIds: e.tokenTypeIds, target: 0 });
        if (i % 256 === 255) await ctx.checkCancel();
      }
      // By length, so a batch pads little (ties in the documents' order, as fine-tuning's predictions).
      const order = examples.map((e, i) => [e.ids.length, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
      const pad = tokenizer.special.pad;
      let done = 0;
      for (let c = 0; c < total; c += input.chunk) {
        const chunk = order.slice(c, c + input.chunk);
        const logits = new Float32Array(chunk.length * K);
        for (let s = 0; s < chunk.length; s += input.batchSize) {
          const idx = chunk.slice(s, s + input.batchSize);
          logits.set(await classifierLogits(ctx.inference, model, idx.map((i) => examples[i]), pad, input.model.kind === 'folder' ? input.model.hash : undefined), s * K);
          done += idx.length;
          ctx.progress(done, total);
          await ctx.checkCancel();
        }
        ctx.emit({ type: 'chunk', documentIds: Int32Array.from(chunk, (i) => input.documents[i].id), logits }, [logits.buffer as ArrayBuffer]);
      }
      return { documents: total, labels, task: opened.task, truncated, engine: ctx.inference.status.device };
    } finally {
      opened.release();
    }
  },
});
