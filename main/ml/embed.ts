// Document embeddings: tokenize, bucket by length, run the encoder, pool one hidden layer.
import * as tf from '@tensorflow/tfjs-core';
import type { Pooling } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import type { EncoderBatch, EncoderModel } from './models/encoder';
import { encodeLong } from './tokenizers/long';
import { readTidy } from './read';
import { padBatch, type Encoded, type Tokenizer, type Truncation } from './tokenizers/types';

export interface EmbedSettings {
  pooling: Pooling;
  /** 0 = embeddings output … L = last layer; negative counts from the end (-1 = last). */
  layer: number;
  maxLength: number;
  batchSize: number;
  truncation: Truncation;
}

/** The hidden-state index a user's layer number means. */
export function resolveLayer(layer: number, numLayers: number): number {
  const resolved = layer < 0 ? numLayers + 1 + layer : layer;
  if (!Number.isInteger(layer) || resolved < 0 || resolved > numLayers) throw new ShirabeError('layerOutOfRange', { layer, layers: numLayers });
  return resolved;
}

/**
 * Pools [B, T, H] hidden states over the tokens the mask marks (1) into [B, H]:
 * cls = the first token; mean = average of real tokens; last = the last real token;
 * max = element-wise maximum over real tokens.
 */
export function pool(hidden: tf.Tensor3D, mask: Int32Array, pooling: Pooling): tf.Tensor2D {
  const [B, T, H] = hidden.shape;
  return tf.tidy(() => {
    const m = tf.reshape(tf.tensor1d(mask, 'float32'), [B, T, 1]); // [B, T, 1]
    switch (pooling) {
      case 'cls':
        return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]);
      case 'mean': {
        const sum = tf.sum(tf.mul(hidden, m), 1); // [B, H]
        const count = tf.maximum(tf.sum(m, 1), 1); // [B, 1]
        return tf.div(sum, count) as tf.Tensor2D;
      }
      case 'last': {
        const last = new Int32Array(B);
        for (let b = 0; b < B; b++) {
          let l = 0;
          for (let t = 0; t < T; t++) if (mask[b * T + t]) l = t;
          last[b] = b * T + l;
        }
        return tf.gather(tf.reshape(hidden, [B * T, H]), tf.tensor1d(last, 'int32')) as tf.Tensor2D; // [B, H]
      }
      case 'max': {
        const masked = tf.add(hidden, tf.mul(tf.sub(1, m), -3.4028234663852886e38)); // padding -> float32 minimum
        return tf.max(masked, 1) as tf.Tensor2D;
      }
    }
  });
}

export interface EmbeddedBatch {
  /** Indices into the texts given to embedTexts. */
  indices: number[];
  /** [indices.length × hiddenSize] */
  vectors: Float32Array;
}

export interface Tokenized {
  encodings: Encoded[];
  /** Texts whose tokens did not all fit in maxLength. */
  truncated: number;
  tokens: number;
}

export function tokenizeAll(tokenizer: Tokenizer, texts: readonly string[], settings: Pick<EmbedSettings, 'maxLength' | 'truncation'>): Tokenized {
  let truncated = 0;
  let tokens = 0;
  const encodings = texts.map((t) => {
    const e = encodeLong(tokenizer, t, { maxLength: settings.maxLength, truncation: settings.truncation });
    if (e.truncated > 0) truncated++;
    tokens += e.ids.length;
    return e;
  });
  return { encodings, truncated, tokens };
}

/** One batch of similar-length texts, padded: the indices of its texts and the encoder's input. */
export interface LengthBatch {
  /** Indices into the encodings given. */
  indices: number[];
  batch: EncoderBatch;
}

/**
 * Batches of similar length (sorted by token count, ties in the texts' order, so little padding is
 * computed), each padded with `padId`. Every inference engine embeds these same batches.
 */
export function* lengthBatches(encodings: readonly Encoded[], batchSize: number, padId: number): Generator<LengthBatch> {
  const order = encodings.map((e, i) => [e.ids.length, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const padded = padBatch(indices.map((i) => encodings[i]), padId);
    yield { indices, batch: { ids: padded.ids, attentionMask: padded.attentionMask, tokenTypeIds: padded.tokenTypeIds, batchSize: indices.length, length: padded.length } };
  }
}

/**
 * lengthBatches embedded and pooled by the tfjs model. Yields between batches so the caller can
 * report progress and cancel.
 */
export async function* embedEncoded(model: EncoderModel, encodings: readonly Encoded[], settings: EmbedSettings, padId: number): AsyncGenerator<EmbeddedBatch> {
  const layer = resolveLayer(settings.layer, model.config.numLayers);
  for (const { indices, batch } of lengthBatches(encodings, settings.batchSize, padId)) {
    const [hidden] = model.forward(batch, { keep: [layer] });
    try {
      const vectors = await readTidy(() => pool(hidden, batch.attentionMask, settings.pooling));
      yield { indices, vectors };
    } finally {
      hidden.dispose();
    }
  }
}
