// AdamW (Loshchilov & Hutter 2019) exactly as torch.optim.AdamW steps it: decoupled weight
// decay p ← p − lr·λ·p, then Adam with bias correction, p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
import * as tf from '@tensorflow/tfjs-core';
import { readMap } from '../read';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Parameters that get weight decay (transformers' Trainer: all but biases and LayerNorm). */
  decays(key: string): boolean;
}

export const adamWDefaults: Omit<AdamWOptions, 'weightDecay' | 'decays'> = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Trainer's rule: no decay for biases and LayerNorm weights. */
export const decaysUnlessBiasOrNorm = (key: string): boolean => !key.endsWith('.bias') && !/norm\.weight$/i.test(key);

/** The optimizer's state as plain data, for checkpoints. */
export interface AdamWState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export class AdamW {
  private step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    private readonly options: AdamWOptions,
  ) {
    tf.tidy(() => {
      for (const [k, p] of params) {
        this.m.set(k, tf.variable(tf.zerosLike(p), false));
        this.v.set(k, tf.variable(tf.zerosLike(p), false));
      }
    });
  }

  get steps(): number {
    return this.step;
  }

  /**
   * One update with these gradients (keys as the parameters') at learning rate lr, times
   * `scale(key)` where given (torch's parameter groups with their own rates, on one schedule).
   */
  apply(grads: ReadonlyMap<string, tf.Tensor>, baseLr: number, scale?: (key: string) => number): void {
    this.step++;
    const { beta1, beta2, eps, weightDecay } = this.options;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [k, p] of this.params) {
        const g = grads.get(k);
        if (!g) continue;
        const lr = scale ? baseLr * scale(k) : baseLr;
        const m = this.m.get(k)!;
        const v = this.v.get(k)!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const decayed = this.options.decays(k) && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), eps);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), lr / bc1)));
      }
    });
  }

  async state(): Promise<AdamWState> {
    return { step: this.step, m: await readMap(this.m), v: await readMap(this.v) };
  }

  load(state: AdamWState): void {
    this.step = state.step;
    for (const [src, dst] of [[state.m, this.m], [state.v, this.v]] as const) {
      for (const [k, t] of dst) {
        const data = src.get(k);
        if (!data || data.length !== t.size) throw new Error(`optimizer state for ${k} is missing or mis-sized`);
        tf.tidy(() => t.assign(tf.tensor(data, t.shape, 'float32')));
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
