// The activations config.json's hidden_act names, as transformers' ACT2FN computes them.
import * as tf from '@tensorflow/tfjs-core';
import type { HiddenAct } from '../config';

export function activation(x: tf.Tensor, kind: HiddenAct): tf.Tensor {
  switch (kind) {
    case 'gelu':
      // Exact GELU: x·Φ(x) = ½x(1 + erf(x/√2)).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      // ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    case 'relu':
      return tf.relu(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'tanh':
      return tf.tanh(x);
  }
}
