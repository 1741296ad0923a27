// Unsupervised SimCSE training of an encoder (simcse.ts's loss), in the shape of masked-LM
// pretraining's loop (pretrain/pretrain.ts) so the pretraining task runs either: sentences shuffled
// anew each epoch, two dropout passes per batch, AdamW with linear warm-up and decay, clipping,
// checkpoints of the backbone and the training-time MLP with the optimizer, and a held-out
// contrastive loss (the same dropout masks for every call, averaged over seeds) before training
// and after every epoch. Deterministic given the seed.
import * as tf from '@tensorflow/tfjs-core';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, normals, permutation } from '../../../common/random';
import type { Dropout, EncoderBatch, EncoderModel } from '../models/encoder';
import type { HeldOutLoss } from '../pretrain/mlm';
import type { PretrainCheckpoint, PretrainEvent, PretrainOutcome, PretrainSettings } from '../pretrain/pretrain';
import { linearSchedule, warmupSteps } from '../train/schedule';
import { Trainer } from '../train/trainer';
import { newSimCseHead, simcseLoss, type SimCseHead } from './simcse';

export type SimCseSettings = Pick<PretrainSettings, 'learningRate' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'seed' | 'checkpointEvery' | 'evalSeeds'> & {
  temperature: number;
};

export interface SimCseData {
  /** Each sentence's ids with [CLS] … [SEP], at most the maximum length. */
  train: number[][];
  heldOut: number[][];
  padId: number;
}

const stream = { head: 1, shuffle: 2, dropout: 4, evalDropout: 5 } as const;
const headKeys = { weight: 'simcse.mlp.weight', bias: 'simcse.mlp.bias' } as const;

/** The backbone's parameters: no masked-LM, next-sentence, pooler or classifier head takes part in SimCSE. */
function backboneVariables(model: EncoderModel): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [key, v] of model.parameters()) if (!/^(mlm|nsp|pooler|classifier)\./.test(key)) out.set(key, v);
  return out;
}

function batchOf(sentences: readonly number[][], padId: number): EncoderBatch {
  const T = Math.max(...sentences.map((s) => s.length));
  const ids = new Int32Array(sentences.length * T).fill(padId);
  const attentionMask = new Int32Array(sentences.length * T);
  sentences.forEach((s, b) => {
    ids.set(s, b * T);
    attentionMask.fill(1, b * T, b * T + s.length);
  });
  return { ids, attentionMask, tokenTypeIds: new Int32Array(sentences.length * T), batchSize: sentences.length, length: T };
}

function seeded(seed: number): Dropout {
  const next = mulberry32(seed);
  return { seed: () => Math.floor(next() * 2 ** 31) };
}

export class SimCseTraining {
  private readonly head: SimCseHead;
  private readonly trainer: Trainer<EncoderBatch>;
  private state: PretrainCheckpoint;
  readonly stepsPerEpoch: number;

  constructor(
    private readonly model: EncoderModel,
    private readonly data: SimCseData,
    private readonly settings: SimCseSettings,
    resume?: PretrainCheckpoint,
  ) {
    if (data.train.length < 2) throw new Error('SimCSE needs at least two training sentences (in-batch negatives)');
    if (data.heldOut.length < 2) throw new Error('SimCSE needs at least two held-out sentences');
    this.head = newSimCseHead(model, normals(mulberry32(deriveSeed(settings.seed, stream.head))));
    const trainable = backboneVariables(model);
    trainable.set(headKeys.weight, this.head.weight);
    trainable.set(headKeys.bias, this.head.bias);
    this.trainer = new Trainer(trainable, {
      weightDecay: settings.weightDecay,
      maxGradNorm: settings.maxGradNorm,
      loss: (batch, dropout) => simcseLoss(model, this.head, batch, settings.temperature, dropout),
    });
    this.stepsPerEpoch = Math.ceil(Math.ceil(data.train.length / settings.batchSize) / settings.gradientAccumulation);
    this.state = resume ?? { epoch: 0, stepInEpoch: 0, step: 0, values: this.trainer.values(), optimizer: this.trainer.optimizer.state(), initial: null, last: null };
    if (resume) this.trainer.load(resume.values, resume.optimizer);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.settings.epochs;
  }

  checkpoint(): PretrainCheckpoint {
    return { ...this.state, values: this.trainer.values(), optimizer: this.trainer.optimizer.state() };
  }

  /** The held-out contrastive loss: batches of the training size, the same dropout masks per seed every time; `tokens` counts sentences. */
  evaluate(): HeldOutLoss {
    const { heldOut, padId } = this.data;
    const size = Math.max(2, this.settings.batchSize);
    const perSeed = this.settings.evalSeeds.map((seed) => {
      let sum = 0;
      let count = 0;
      for (let from = 0; from < heldOut.length; from += size) {
        const part = heldOut.slice(from, from + size);
        // A last batch of one sentence has no negative: it is left out.
        if (part.length < 2) continue;
        const loss = tf.tidy(() => simcseLoss(this.model, this.head, batchOf(part, padId), this.settings.temperature, seeded(deriveSeed(this.settings.seed, stream.evalDropout, seed, from))));
        sum += loss.dataSync()[0] * part.length;
        count += part.length;
        loss.dispose();
      }
      return sum / count;
    });
    const counted = heldOut.length - (heldOut.length % size === 1 ? 1 : 0);
    return { loss: perSeed.reduce((a, b) => a + b, 0) / perSeed.length, perSeed, tokens: perSeed.map(() => counted) };
  }

  *run(): Generator<PretrainEvent, PretrainOutcome> {
    const { settings: o, data } = this;
    const total = this.totalSteps;
    const warmup = warmupSteps(total, o.warmupRatio);
    if (!this.state.initial) {
      const started = Date.now();
      const initial = this.evaluate();
      this.state = { ...this.state, initial, last: initial };
      yield { type: 'eval', step: 0, epoch: 0, heldOut: initial, seconds: (Date.now() - started) / 1000 };
      yield { type: 'checkpoint' };
    }
    for (let epoch = this.state.epoch; epoch < o.epochs; epoch++) {
      const started = Date.now();
      const order = permutation(data.train.length, mulberry32(deriveSeed(o.seed, stream.shuffle, epoch)));
      for (let s = this.state.stepInEpoch; s < this.stepsPerEpoch; s++) {
        const step = this.state.step;
        const micro: EncoderBatch[] = [];
        for (let a = 0; a < o.gradientAccumulation; a++) {
          const from = (s * o.gradientAccumulation + a) * o.batchSize;
          const part = order.slice(from, from + o.batchSize);
          // The in-batch negatives need a second sentence: a last batch of one is skipped.
          if (part.length >= 2) micro.push(batchOf(part.map((i) => data.train[i]), data.padId));
        }
        const rate = o.learningRate * linearSchedule(step, total, warmup);
        if (micro.length > 0) {
          const { loss, gradNorm } = this.trainer.step(micro, rate, (i) => seeded(deriveSeed(o.seed, stream.dropout, step, i)));
          if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new ShirabeError('trainLossNotFinite', { value: String(Number.isFinite(loss) ? gradNorm : loss), step: step + 1, lr: o.learningRate });
          this.state = { ...this.state, epoch, stepInEpoch: s + 1, step: step + 1 };
          yield { type: 'step', step: step + 1, epoch: epoch + 1, loss, learningRate: rate, gradNorm, total };
        } else {
          this.state = { ...this.state, epoch, stepInEpoch: s + 1, step: step + 1 };
        }
        if ((step + 1) % o.checkpointEvery === 0 && s + 1 < this.stepsPerEpoch) yield { type: 'checkpoint' };
      }
      const evalStarted = Date.now();
      const heldOut = this.evaluate();
      this.state = { ...this.state, epoch: epoch + 1, stepInEpoch: 0, last: heldOut };
      yield { type: 'eval', step: this.state.step, epoch: epoch + 1, heldOut, seconds: (Date.now() - evalStarted) / 1000 + (evalStarted - started) / 1000 };
      yield { type: 'checkpoint' };
    }
    return { initial: this.state.initial!, final: this.state.last!, steps: this.state.step };
  }

  dispose(): void {
    this.trainer.dispose();
    this.head.weight.dispose();
    this.head.bias.dispose();
  }
}
