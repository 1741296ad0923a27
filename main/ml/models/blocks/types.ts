// What a block needs from the model it sits in: its Linear layers and LayerNorms by key, so a
// block is a function of its input and the keys of its parameters (and any adapter on them).
import type * as tf from '@tensorflow/tfjs-core';
import type { Dropout } from './dropout';

export interface Layers {
  /** The Linear `key` (weight `${key}.weight` as [in, out], bias `${key}.bias`): [N, in] -> [N, out], with its LoRA adapter if one is attached. */
  linear(key: string, x: tf.Tensor2D, dropout?: Dropout): tf.Tensor2D;
  /** The LayerNorm `key` (`${key}.weight`, `${key}.bias`) over the last axis. */
  layerNorm(key: string, x: tf.Tensor2D): tf.Tensor2D;
}
