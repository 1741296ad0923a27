// A Linear layer as one 2-D untransposed product ([N, in]·[in, out]): torch's [out, in]
// weights are transposed once at load, because tfjs-backend-wasm only reaches XNNPACK's fast
// kernel for that form (a transposed or batched matMul falls back to a plain loop, ~10× slower).
// LayerNorm sits here too: the two parameterised ops every block is made of.
import * as tf from '@tensorflow/tfjs-core';
import { maybeDrop, type Dropout } from './dropout';

/** A LoRA adapter on one Linear (Hu et al. 2021): W·x + (α/r)·B·A·dropout(x), A [in, r] and B [r, out] here. */
export interface LoraLayer {
  a: tf.Variable;
  b: tf.Variable;
}

/** An adapter with the settings of its attachment: the update's scale α/r and the dropout on its input. */
export interface Adapter extends LoraLayer {
  scale: number;
  dropout: number;
}

/** [N, in]·[in, out] + bias -> [N, out], plus the LoRA update when an adapter is given (its input dropout only in training). */
export function linear(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor, adapter?: Adapter, dropout?: Dropout): tf.Tensor2D {
  const y = tf.add(tf.matMul(x, weight as tf.Tensor2D), bias) as tf.Tensor2D;
  if (!adapter) return y;
  const input = maybeDrop(x, adapter.dropout, dropout);
  const update = tf.matMul(tf.matMul(input, adapter.a as tf.Tensor2D), adapter.b as tf.Tensor2D); // [N, in]·[in, r]·[r, out]
  return tf.add(y, tf.mul(update, adapter.scale));
}

/** LayerNorm over the last axis (Ba et al. 2016): (x − mean)/√(var + ε)·γ + β. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, gamma), beta);
}
