// Learning-rate schedule and gradient clipping as transformers' Trainer applies them.
import * as tf from '@tensorflow/tfjs-core';

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
 * torch.nn.utils.clip_grad_norm_: the global L2 norm over all gradients, and the gradients
 * scaled by max/(norm + 1e-6) when that is below 1. Returns the norm before clipping.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): number {
  const norm = Math.sqrt(tf.tidy(() => tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const [k, g] of grads) {
      grads.set(k, tf.tidy(() => tf.mul(g, coef)));
      g.dispose();
    }
  }
  return norm;
}
