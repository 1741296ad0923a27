// Multi-head scaled dot-product attention (Vaswani et al. 2017), in pieces a decoder reuses:
// heads split from and merged back into [B·T, H] rows, scores with an additive mask bias
// (padding here, causal there), softmax and dropout on the probabilities. The projections stay
// 2-D untransposed Linears ([B·T, H]·[H, H]); only the per-head products are batched, and those run
// as one 2-D product per (batch, head) on wasm (batchedMatMul).
import * as tf from '@tensorflow/tfjs-core';
import { batchedMatMul } from './batchedMatMul';
import { maybeDrop, type Dropout } from './dropout';
import type { Layers } from './types';

export interface AttentionShape {
  batchSize: number;
  length: number;
  numHeads: number;
  /** Size of one head (hidden size / heads). */
  headSize: number;
}

/** The Linear keys of one attention block. */
export interface AttentionKeys {
  query: string;
  key: string;
  value: string;
  output: string;
}

/** [B·T, nh·hs] -> [B, T, nh, hs] -> permuted by `perm` (materialised). */
export function splitHeads(t: tf.Tensor2D, s: AttentionShape, perm: number[]): tf.Tensor4D {
  return tf.transpose(tf.reshape(t, [s.batchSize, s.length, s.numHeads, s.headSize]), perm);
}

/** [B, nh, T, hs] -> [B·T, nh·hs] */
export function mergeHeads(t: tf.Tensor4D, s: AttentionShape): tf.Tensor2D {
  return tf.reshape(tf.transpose(t, [0, 2, 1, 3]), [s.batchSize * s.length, s.numHeads * s.headSize]) as tf.Tensor2D;
}

/** Additive mask bias [B, 1, 1, T]: 0 for tokens (mask 1), the float32 minimum for padding (as transformers does). */
export function paddingMaskBias(attentionMask: Int32Array, batchSize: number, length: number): tf.Tensor4D {
  return tf.reshape(tf.mul(tf.sub(1, tf.tensor1d(attentionMask, 'float32')), -3.4028234663852886e38), [batchSize, 1, 1, length]);
}

/**
 * softmax(q·kᵀ/√hs + bias)·v for q [B, nh, T, hs], kᵀ [B, nh, hs, T] (already transposed), v
 * [B, nh, T, hs]; the probabilities dropped at `rate` in training. -> [B, nh, T, hs]
 */
export function scaledDotProduct(q: tf.Tensor4D, kT: tf.Tensor4D, v: tf.Tensor4D, bias: tf.Tensor, headSize: number, rate: number, dropout?: Dropout): tf.Tensor4D {
  const scores = tf.add(tf.mul(batchedMatMul(q, kT), 1 / Math.sqrt(headSize)), bias); // [B, nh, T, T]
  const probs = maybeDrop(tf.softmax(scores, -1), rate, dropout);
  return batchedMatMul(probs as tf.Tensor4D, v);
}

/**
 * Self-attention over x [B·T, H]: query, key and value projections, attention per head, the
 * output projection. -> [B·T, H] (before any residual, dropout or norm, which the layer adds).
 */
export function selfAttention(layers: Layers, keys: AttentionKeys, x: tf.Tensor2D, s: AttentionShape, bias: tf.Tensor, rate: number, dropout?: Dropout): tf.Tensor2D {
  const q = splitHeads(layers.linear(keys.query, x, dropout), s, [0, 2, 1, 3]); // [B, nh, T, hs]
  const kT = splitHeads(layers.linear(keys.key, x, dropout), s, [0, 2, 3, 1]); // [B, nh, hs, T], materialised
  const v = splitHeads(layers.linear(keys.value, x, dropout), s, [0, 2, 1, 3]); // [B, nh, T, hs]
  const context = mergeHeads(scaledDotProduct(q, kT, v, bias, s.headSize, rate, dropout), s); // [B·T, H]
  return layers.linear(keys.output, context, dropout);
}
