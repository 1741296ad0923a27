// Learning-rate schedule and gradient clipping as transformers' Trainer applies them.
import * as tf from '@tensorflow/tfjs-core';
import { readTidy } from '../read';

/**
 * get_linear_schedule_with_warmup's factor for optimizer step `step` (0-based): step/warmup
 * while warming up (so the first step has learning rate 0, as in transformers), then linear
 * decay to 0 at `total`.
 */
export function linearSchedule(step: number, total: number, warmup: number): number {
  if (step < warmup) return step / Math.max(1, warmup);
  return Math.max(0, (total - step) / Math.max(1, total - warmup));
}

/** Warm-up steps from a ratio of all steps (Trainer's warmup_ratio: ceil). */
export function warmupSteps(total: number, ratio: number): number {
  return Math.ceil(total * ratio);
}

/**
 * The sum of same-shaped tensors, added one at a time in order: the float32 roundings of the cpu
 * and wasm backends' addN (a running sum over the inputs), so the norm is unchanged there.
 */
function sumAll(xs: tf.Tensor[]): tf.Tensor {
  return xs.slice(1).reduce((acc, x) => tf.add(acc, x), xs[0]);
}

/**
 * torch.nn.utils.clip_grad_norm_: the global L2 norm over all gradients, and the gradients
 * scaled by max/(norm + 1e-6) when that is below 1. Returns the norm before clipping.
 */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<number> {
  // Not addN: tfjs-backend-webgpu 4.22 binds every addN input in one shader and answers wrongly
  // past the device's storage-buffer limit (8 by default).
  const norm = Math.sqrt((await readTidy(() => sumAll([...grads.values()].map((g) => tf.sum(tf.square(g))))))[0]);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const [k, g] of grads) {
      grads.set(k, tf.tidy(() => tf.mul(g, coef)));
      g.dispose();
    }
  }
  return norm;
}
