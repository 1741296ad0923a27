// The position-wise feed-forward block (Vaswani et al. 2017): Linear H→I, activation, Linear I→H,
// both 2-D untransposed products over [B·T, ·] rows. A gated variant (Llama's SwiGLU) is another
// function beside this one, over the same Layers.
import type * as tf from '@tensorflow/tfjs-core';
import type { HiddenAct } from '../config';
import { activation } from './activation';
import type { Dropout } from './dropout';
import type { Layers } from './types';

export interface FeedForwardKeys {
  /** H → I */
  inner: string;
  /** I → H */
  outer: string;
}

/** x [N, H] -> outer(act(inner(x))) [N, H], before any residual, dropout or norm. */
export function feedForward(layers: Layers, keys: FeedForwardKeys, x: tf.Tensor2D, act: HiddenAct, dropout?: Dropout): tf.Tensor2D {
  const inner = activation(layers.linear(keys.inner, x, dropout), act) as tf.Tensor2D; // [N, I]
  return layers.linear(keys.outer, inner, dropout);
}
