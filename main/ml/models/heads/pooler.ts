// BERT's pooler (BertPooler): tanh(dense(h[:, 0])), the [CLS] summary the BERT classifier and
// next-sentence prediction read.
import * as tf from '@tensorflow/tfjs-core';
import type { Dropout } from '../blocks/dropout';
import type { Backbone } from './head';

/** h[:, 0, :] as [B, H]. */
export function firstToken(hidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , H] = hidden.shape;
  return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]);
}

/** tanh(pooler(h[:, 0])) [B, H]; `dropout` only reaches a LoRA adapter on the pooler. */
export function pooled(backbone: Backbone, hidden: tf.Tensor3D, dropout?: Dropout): tf.Tensor2D {
  if (!backbone.has('pooler.weight')) throw new Error('this model has no pooler');
  return tf.tidy(() => tf.tanh(backbone.linear('pooler', firstToken(hidden), dropout)));
}
