// Dropout in training (Srivastava et al. 2014), with masks drawn from a seeded stream so a
// training step is reproducible; inference passes no stream and never drops.
import * as tf from '@tensorflow/tfjs-core';

/** Where dropout draws its masks in training: one seed per call, so a step is reproducible. */
export interface Dropout {
  seed(): number;
}

/** Inverted dropout (kept values scaled by 1/(1−rate)), its mask seeded from the stream. */
export function drop<T extends tf.Tensor>(x: T, rate: number, dropout: Dropout): T {
  return rate > 0 ? (tf.dropout(x, rate, undefined, dropout.seed()) as T) : x;
}

/** `drop` when training (a stream is given), the identity otherwise. */
export function maybeDrop<T extends tf.Tensor>(x: T, rate: number, dropout: Dropout | undefined): T {
  return dropout ? drop(x, rate, dropout) : x;
}
