// Sentence embeddings of texts with a model folder (kept loaded for the next run), on the
// worker's inference engine (onnxruntime's CPU runtime when it loads, else the tfjs backend).
import type { EmbedOptions } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { lengthBatches, resolveLayer, tokenizeAll } from '../../../../ml/embed';
import { defineTask } from '../../task';

/** embed.start's options with the corpus's texts in place of its id. */
export interface EmbedInput extends Omit<EmbedOptions, 'corpusId'> {
  texts: string[];
  /** The model folder's content hash: the key of its ONNX graph in the user's cache folder (none: built in memory). */
  modelHash?: string;
}

export interface EmbedOutput {
  /** [n × dimensions], rows in the texts' order. */
  vectors: Float32Array;
  dimensions: number;
  /** Texts longer than maxLength tokens. */
  truncated: number;
  tokens: number;
  modelType: string;
  /** The engine that ran the forward passes, for the run's record: "onnxruntime CPU, 2 threads (physical cores)" or the tfjs backend. */
  backend: string;
}

export const embed = defineTask<EmbedInput, never, EmbedOutput>({
  async run(input, ctx) {
    const { model, tokenizer, modelType } = await ctx.models.load(input.modelPath);
    const limit = model.config.maxPositions - model.config.positionOffset;
    if (input.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.maxLength, limit });
    const layer = resolveLayer(input.layer, model.config.numLayers);
    const total = input.texts.length;
    // Tokenizing is part of the work: count it as the first half of the progress bar.
    const encodings = [];
    let truncated = 0;
    let tokens = 0;
    const step = 256;
    for (let i = 0; i < total; i += step) {
      if (ctx.cancelled()) throw new ShirabeError('cancelled');
      const part = tokenizeAll(tokenizer, input.texts.slice(i, i + step), input);
      encodings.push(...part.encodings);
      truncated += part.truncated;
      tokens += part.tokens;
      ctx.progress(Math.min(total, i + step) / 2, total);
      await ctx.yieldToMessages();
    }
    const d = model.config.hiddenSize;
    // Batches come sorted by length: each row goes to its text's place.
    const vectors = new Float32Array(total * d);
    let done = 0;
    for (const { indices, batch } of lengthBatches(encodings, input.batchSize, tokenizer.special.pad)) {
      const { pooled } = await ctx.inference.run(model, batch, { pooled: { layer, pooling: input.pooling } }, input.modelHash);
      indices.forEach((index, row) => vectors.set(pooled!.subarray(row * d, (row + 1) * d), index * d));
      done += indices.length;
      ctx.progress(total / 2 + done / 2, total);
      await ctx.checkCancel();
    }
    return { vectors, dimensions: d, truncated, tokens, modelType, backend: ctx.inference.status.device };
  },
  // A corpus's vectors can be hundreds of megabytes: moved to main, not copied.
  transfer: (output) => [output.vectors.buffer as ArrayBuffer],
});
