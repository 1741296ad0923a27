// Unsupervised SimCSE training of an encoder (simcse.ts's loss), in the shape of masked-LM
// pretraining's loop (pretrain/pretrain.ts) so the pretraining task runs either: sentences shuffled
// anew each epoch, two dropout passes per batch, AdamW with linear warm-up and decay, clipping,
// checkpoints of the backbone and the training-time MLP with the optimizer, and a held-out
// contrastive loss (the same dropout masks for every call, averaged over seeds) before training
// and after every epoch (pretrain.ts's epochLoop). Deterministic given the seed.
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import type { Dropout, EncoderBatch, EncoderModel } from '../models/encoder';
import type { HeldOutLoss } from '../pretrain/mlm';
import { epochLoop, freshState, type PretrainCheckpoint, type PretrainEvent, type PretrainOutcome, type PretrainSettings } from '../pretrain/pretrain';
import { Trainer } from '../train/trainer';
import { readTidy } from '../read';
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

// Seed streams beside the shared loop's (shuffle 2, dropout 4): the MLP's weights and the held-out loss's dropout.
const stream = { head: 1, evalDropout: 5 } as const;
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
    this.state = resume ?? freshState();
    if (resume) this.trainer.load(resume.values, resume.optimizer);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.settings.epochs;
  }

  async checkpoint(): Promise<PretrainCheckpoint> {
    return { ...this.state, values: await this.trainer.values(), optimizer: await this.trainer.optimizer.state() };
  }

  /** The held-out contrastive loss: batches of the training size, the same dropout masks per seed every time; `tokens` counts sentences. */
  async evaluate(): Promise<HeldOutLoss> {
    const { heldOut, padId } = this.data;
    const size = Math.max(2, this.settings.batchSize);
    const perSeed: number[] = [];
    for (const seed of this.settings.evalSeeds) {
      let sum = 0;
      let count = 0;
      for (let from = 0; from < heldOut.length; from += size) {
        const part = heldOut.slice(from, from + size);
        // A last batch of one sentence has no negative: it is left out.
        if (part.length < 2) continue;
        const [loss] = await readTidy(() => simcseLoss(this.model, this.head, batchOf(part, padId), this.settings.temperature, seeded(deriveSeed(this.settings.seed, stream.evalDropout, seed, from))));
        sum += loss * part.length;
        count += part.length;
      }
      perSeed.push(sum / count);
    }
    const counted = heldOut.length - (heldOut.length % size === 1 ? 1 : 0);
    return { loss: perSeed.reduce((a, b) => a + b, 0) / perSeed.length, perSeed, tokens: perSeed.map(() => counted) };
  }

  async *run(): AsyncGenerator<PretrainEvent, PretrainOutcome> {
    const { data } = this;
    return yield* epochLoop({
      settings: this.settings,
      examples: data.train.length,
      stepsPerEpoch: this.stepsPerEpoch,
      state: () => this.state,
      setState: (state) => (this.state = state),
      evaluate: () => this.evaluate(),
      trainer: this.trainer,
      // The in-batch negatives need a second sentence: a last batch of one is left out.
      microBatch: (_epoch, indices) => (indices.length >= 2 ? batchOf(indices.map((i) => data.train[i]), data.padId) : null),
    });
  }

  dispose(): void {
    this.trainer.dispose();
    this.head.weight.dispose();
    this.head.bias.dispose();
  }
}
