// One learning rate's optimisation: the loss of a batch (a classifier's, or the masked-LM loss in
// pretraining), its gradients (averaged over gradient-accumulation micro-batches), clipping, and an
// AdamW step — the loop body of transformers' Trainer.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainTask } from '../../../common/contract';
import type { Dropout, EncoderModel } from '../models/encoder';
import { padBatch } from '../tokenizers/types';
import { AdamW, adamWDefaults, decaysUnlessBiasOrNorm, type AdamWState } from './adamw';
import { binaryCrossEntropy, crossEntropy } from './losses';
import { readMap, readScalar } from '../read';
import { clipByGlobalNorm } from './schedule';

/** A tokenized document with its target: a class index (single-label) or a 0/1 vector (multi-label). */
export interface Example {
  ids: number[];
  tokenTypeIds: number[];
  target: number | number[];
}

export interface TrainerOptions<B> {
  weightDecay: number;
  maxGradNorm: number;
  /** The mean loss of one micro-batch (dropout only in training). */
  loss(batch: B, dropout?: Dropout): tf.Scalar;
}

/** transformers' sequence-classification losses: cross-entropy (single-label) or BCE with logits (multi-label). */
export function classificationLoss(model: EncoderModel, o: { task: TrainTask; numLabels: number; padId: number }): (examples: readonly Example[], dropout?: Dropout) => tf.Scalar {
  return (examples, dropout) => {
    const logits = logitsOf(model, examples, o.padId, dropout);
    if (o.task === 'single-label') return crossEntropy(logits, Int32Array.from(examples, (e) => e.target as number));
    const targets = new Float32Array(examples.length * o.numLabels);
    examples.forEach((e, i) => targets.set(e.target as number[], i * o.numLabels));
    return binaryCrossEntropy(logits, targets);
  };
}

/** Pads examples into one encoder batch (mask 1 for tokens). */
export function batchOf(examples: readonly Example[], padId: number) {
  const encodings = examples.map((e) => ({ ids: e.ids, tokenTypeIds: e.tokenTypeIds, attentionMask: e.ids.map(() => 1), tokens: [], truncated: 0 }));
  const b = padBatch(encodings, padId);
  return { ids: b.ids, attentionMask: b.attentionMask, tokenTypeIds: b.tokenTypeIds, batchSize: examples.length, length: b.length };
}

/** Logits [B, K] of a batch; dropout only when training. */
export function logitsOf(model: EncoderModel, examples: readonly Example[], padId: number, dropout?: Dropout): tf.Tensor2D {
  return tf.tidy(() => {
    const [hidden] = model.forward(batchOf(examples, padId), { keep: [model.config.numLayers], dropout });
    return model.classify(hidden, dropout);
  });
}

export class Trainer<B = readonly Example[]> {
  private opt: AdamW;
  /** Variable name -> our key, to read tf.variableGrads' result. */
  private readonly byName = new Map<string, string>();

  constructor(
    private readonly trainable: ReadonlyMap<string, tf.Variable>,
    private readonly options: TrainerOptions<B>,
  ) {
    for (const [key, v] of trainable) {
      v.trainable = true;
      this.byName.set(v.name, key);
    }
    this.opt = this.newOptimizer();
  }

  private newOptimizer(): AdamW {
    return new AdamW(this.trainable, { ...adamWDefaults, weightDecay: this.options.weightDecay, decays: decaysUnlessBiasOrNorm });
  }

  get optimizer(): AdamW {
    return this.opt;
  }

  /** A fresh optimizer (zero moments, step 0), e.g. for the next learning rate of a sweep. */
  resetOptimizer(): void {
    this.opt.dispose();
    this.opt = this.newOptimizer();
  }

  /**
   * Mean loss and gradients over micro-batches, each micro-batch's mean loss weighted 1/n (as
   * Trainer scales the loss by the accumulation steps). `dropout(i)` gives micro-batch i's stream.
   */
  async gradients(micro: readonly B[], dropout?: (i: number) => Dropout): Promise<{ loss: number; grads: Map<string, tf.Tensor> }> {
    const vars = [...this.trainable.values()];
    const grads = new Map<string, tf.Tensor>();
    const losses: tf.Scalar[] = [];
    let loss = 0;
    try {
      micro.forEach((examples, i) => {
        const { value, grads: g } = tf.tidy(() => tf.variableGrads(() => tf.mul(this.options.loss(examples, dropout?.(i)), 1 / micro.length) as tf.Scalar, vars));
        losses.push(value);
        for (const [name, t] of Object.entries(g)) {
          const key = this.byName.get(name)!;
          const prev = grads.get(key);
          if (prev) {
            grads.set(key, tf.add(prev, t));
            prev.dispose();
            t.dispose();
          } else grads.set(key, t);
        }
      });
      // Read once after all micro-batches, so a GPU backend is not stalled between them.
      for (const v of losses) loss += await readScalar(v);
    } catch (err) {
      tf.dispose([...grads.values()]);
      throw err;
    } finally {
      tf.dispose(losses);
    }
    return { loss, grads };
  }

  /** One optimizer step: gradients, clipping, AdamW at lr (times `scale(key)` where given). Returns the loss and the gradient norm before clipping. */
  async step(micro: readonly B[], lr: number, dropout?: (i: number) => Dropout, scale?: (key: string) => number): Promise<{ loss: number; gradNorm: number }> {
    const { loss, grads } = await this.gradients(micro, dropout);
    try {
      if (!Number.isFinite(loss)) return { loss, gradNorm: NaN };
      const gradNorm = await clipByGlobalNorm(grads, this.options.maxGradNorm);
      this.opt.apply(grads, lr, scale);
      return { loss, gradNorm };
    } finally {
      for (const g of grads.values()) g.dispose();
    }
  }

  /** Current values of the trainable variables, as plain data. */
  values(): Promise<Map<string, Float32Array>> {
    return readMap(this.trainable);
  }

  load(values: ReadonlyMap<string, Float32Array>, optimizer?: AdamWState): void {
    for (const [k, v] of this.trainable) {
      const data = values.get(k);
      if (!data || data.length !== v.size) throw new Error(`trainable tensor ${k} is missing or mis-sized`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
    }
    if (optimizer) this.opt.load(optimizer);
  }

  dispose(): void {
    this.opt.dispose();
    for (const v of this.trainable.values()) v.trainable = false;
  }
}
