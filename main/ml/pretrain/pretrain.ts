// Masked-LM pretraining of an encoder, continued from a checkpoint or from fresh weights, as
// transformers' run_mlm.py with Trainer does it: packed sequences, masking drawn anew every epoch
// (dynamic masking, Liu et al. 2019), AdamW with linear warm-up and decay, gradient clipping and
// accumulation; optionally next-sentence prediction on sentence pairs (BERT's original objective).
// The held-out masked-LM loss is measured before training and after every epoch.
// Deterministic given the seed, so a run resumed from a checkpoint ends as an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainConfig } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, normals, permutation } from '../../../common/random';
import type { Dropout, EncoderModel } from '../models/encoder';
import type { AdamWState } from '../train/adamw';
import { linearSchedule, warmupSteps } from '../train/schedule';
import { Trainer } from '../train/trainer';
import { maskSequence, type MaskingOptions, type PackedSequence } from './masking';
import { heldOutMlmLoss, mlmBatch, pretrainingLoss, type HeldOutLoss, type MaskedInput, type MlmBatch } from './mlm';
import type { PairSequence } from './nsp';

/** The contract's settings the loop reads; the held-out loss's mask seeds given as the seeds themselves. */
export type PretrainSettings = Pick<
  PretrainConfig,
  'learningRate' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'seed' | 'mlmProbability' | 'wholeWordMasking' | 'checkpointEvery' | 'nsp'
> & { evalSeeds: number[] };

export interface PretrainData {
  /** Packed sequences, or sentence pairs when training next-sentence prediction too. */
  train: (PackedSequence | PairSequence)[];
  heldOut: PackedSequence[];
  maskId: number;
  padId: number;
  /** Ids a random replacement may take: the vocabulary without special tokens. */
  replacementIds: number[];
}

/** Seed streams, one per purpose, so adding one never shifts another. */
const stream = { head: 1, shuffle: 2, mask: 3, dropout: 4 } as const;

/** Every parameter pretraining updates: the backbone and the masked-LM head; the pooler and next-sentence head with NSP; never a classifier. */
export function pretrainVariables(model: EncoderModel, nsp = false): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [key, v] of model.parameters()) {
    if (key.startsWith('classifier.')) continue;
    if (!nsp && (key.startsWith('pooler.') || key.startsWith('nsp.'))) continue;
    out.set(key, v);
  }
  return out;
}

export type PretrainEvent =
  | { type: 'step'; step: number; epoch: number; loss: number; learningRate: number; gradNorm: number; total: number }
  | { type: 'eval'; step: number; epoch: number; heldOut: HeldOutLoss; seconds: number }
  | { type: 'checkpoint' };

export interface PretrainCheckpoint {
  /** 0-based epoch being trained, the next step within it, and optimizer steps done. */
  epoch: number;
  stepInEpoch: number;
  step: number;
  values: Map<string, Float32Array>;
  optimizer: AdamWState;
  /** Held-out loss before training (step 0), kept for the record. */
  initial: HeldOutLoss | null;
  last: HeldOutLoss | null;
}

/**
 * The state of a training that has not taken a step. Its values and optimizer moments are read
 * from the model by checkpoint(), never from here.
 */
export function freshState(): PretrainCheckpoint {
  return { epoch: 0, stepInEpoch: 0, step: 0, values: new Map(), optimizer: { step: 0, m: new Map(), v: new Map() }, initial: null, last: null };
}

export interface PretrainOutcome {
  initial: HeldOutLoss;
  final: HeldOutLoss;
  steps: number;
}

export class Pretrain {
  private readonly trainer: Trainer<MlmBatch>;
  private state: PretrainCheckpoint;
  readonly stepsPerEpoch: number;
  private readonly masking: MaskingOptions;

  constructor(
    private readonly model: EncoderModel,
    private readonly data: PretrainData,
    private readonly settings: PretrainSettings,
    resume?: PretrainCheckpoint,
  ) {
    if (data.train.length === 0) throw new Error('pretraining needs training sequences');
    if (data.heldOut.length === 0) throw new Error('pretraining needs held-out sequences');
    // A checkpoint without a masked-LM head (a bare BertModel) gets one, as transformers would initialise it.
    const normal = normals(mulberry32(deriveSeed(settings.seed, stream.head)));
    if (!model.heads.mlm) model.initHead('mlm', normal);
    if (settings.nsp) {
      if (model.classifierStyle !== 'pooler') throw new Error(`next-sentence prediction needs BERT's pooler; ${model.config.modelType} has none`);
      if (!model.heads.pooler) model.initHead('pooler', normal);
      if (!model.parameters().has('nsp.weight')) model.initHead('nsp', normal);
    }
    this.masking = { probability: settings.mlmProbability, wholeWord: settings.wholeWordMasking, maskId: data.maskId, replacementIds: data.replacementIds };
    const trainable = pretrainVariables(model, settings.nsp);
    this.trainer = new Trainer(trainable, {
      weightDecay: settings.weightDecay,
      maxGradNorm: settings.maxGradNorm,
      loss: (batch, dropout) => pretrainingLoss(model, batch, dropout),
    });
    this.stepsPerEpoch = Math.ceil(Math.ceil(data.train.length / settings.batchSize) / settings.gradientAccumulation);
    this.state = resume ?? freshState();
    if (resume) this.trainer.load(resume.values, resume.optimizer);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.settings.epochs;
  }

  /** The state to resume from; valid between the generator's yields. */
  async checkpoint(): Promise<PretrainCheckpoint> {
    return { ...this.state, values: await this.trainer.values(), optimizer: await this.trainer.optimizer.state() };
  }

  /** Held-out masked-LM loss with the evaluation masks (the same for every model and every call). */
  evaluate(onBatch?: () => void): Promise<HeldOutLoss> {
    return heldOutMlmLoss(this.model, this.data.heldOut, { ...this.masking, seeds: this.settings.evalSeeds, padId: this.data.padId, batchSize: Math.max(this.settings.batchSize, 16), onBatch });
  }

  async *run(): AsyncGenerator<PretrainEvent, PretrainOutcome> {
    const { settings: o, data } = this;
    return yield* epochLoop({
      settings: o,
      examples: data.train.length,
      stepsPerEpoch: this.stepsPerEpoch,
      state: () => this.state,
      setState: (state) => (this.state = state),
      evaluate: () => this.evaluate(),
      trainer: this.trainer,
      microBatch: (epoch, indices) => {
        // Dynamic masking: a sequence's masks depend on the epoch, so every epoch sees new ones.
        const masked = indices.map((i): MaskedInput => {
          const seq = data.train[i];
          const m = maskSequence(seq, this.masking, mulberry32(deriveSeed(o.seed, stream.mask, epoch, i)));
          return 'nextLabel' in seq ? { ...m, tokenTypes: seq.tokenTypes, nextLabel: seq.nextLabel } : m;
        });
        return mlmBatch(masked, data.padId);
      },
    });
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

/** What the shared epoch loop needs of a training: its settings, state, evaluation, optimizer and batches. */
export interface EpochLoopHost<B> {
  settings: Pick<PretrainSettings, 'learningRate' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'warmupRatio' | 'seed' | 'checkpointEvery'>;
  /** Training examples, shuffled anew each epoch. */
  examples: number;
  stepsPerEpoch: number;
  state(): PretrainCheckpoint;
  setState(state: PretrainCheckpoint): void;
  evaluate(): Promise<HeldOutLoss>;
  trainer: Pick<Trainer<B>, 'step'>;
  /** One micro-batch of the examples at these indices in this epoch, or null to leave them out (a SimCSE batch of one sentence). */
  microBatch(epoch: number, indices: number[]): B | null;
}

/**
 * The loop masked-LM pretraining and SimCSE share: the held-out loss before training, then per
 * epoch a seeded shuffle, optimizer steps over gradient-accumulated micro-batches (dropout seeded per
 * step and micro-batch) with linear warm-up and decay, checkpoints every checkpointEvery steps, and
 * the held-out loss after the epoch. Resumes from the state's epoch and step.
 */
export async function* epochLoop<B>(host: EpochLoopHost<B>): AsyncGenerator<PretrainEvent, PretrainOutcome> {
  const o = host.settings;
  const total = host.stepsPerEpoch * o.epochs;
  const warmup = warmupSteps(total, o.warmupRatio);
  if (!host.state().initial) {
    const started = Date.now();
    const initial = await host.evaluate();
    host.setState({ ...host.state(), initial, last: initial });
    yield { type: 'eval', step: 0, epoch: 0, heldOut: initial, seconds: (Date.now() - started) / 1000 };
    yield { type: 'checkpoint' };
  }
  for (let epoch = host.state().epoch; epoch < o.epochs; epoch++) {
    const started = Date.now();
    const order = permutation(host.examples, mulberry32(deriveSeed(o.seed, stream.shuffle, epoch)));
    for (let s = host.state().stepInEpoch; s < host.stepsPerEpoch; s++) {
      const step = host.state().step;
      const micro: B[] = [];
      for (let a = 0; a < o.gradientAccumulation; a++) {
        const from = (s * o.gradientAccumulation + a) * o.batchSize;
        if (from >= order.length) break;
        const batch = host.microBatch(epoch, order.slice(from, from + o.batchSize));
        if (batch !== null) micro.push(batch);
      }
      const rate = o.learningRate * linearSchedule(step, total, warmup);
      host.setState({ ...host.state(), epoch, stepInEpoch: s + 1, step: step + 1 });
      if (micro.length > 0) {
        const dropout = (i: number): Dropout => {
          const next = mulberry32(deriveSeed(o.seed, stream.dropout, step, i));
          return { seed: () => Math.floor(next() * 2 ** 31) };
        };
        const { loss, gradNorm } = await host.trainer.step(micro, rate, dropout);
        if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
          throw new ShirabeError('trainLossNotFinite', { value: String(Number.isFinite(loss) ? gradNorm : loss), step: step + 1, lr: o.learningRate });
        }
        yield { type: 'step', step: step + 1, epoch: epoch + 1, loss, learningRate: rate, gradNorm, total };
      }
      if ((step + 1) % o.checkpointEvery === 0 && s + 1 < host.stepsPerEpoch) yield { type: 'checkpoint' };
    }
    const evalStarted = Date.now();
    const heldOut = await host.evaluate();
    host.setState({ ...host.state(), epoch: epoch + 1, stepInEpoch: 0, last: heldOut });
    yield { type: 'eval', step: host.state().step, epoch: epoch + 1, heldOut, seconds: (Date.now() - evalStarted) / 1000 + (evalStarted - started) / 1000 };
    yield { type: 'checkpoint' };
  }
  const end = host.state();
  return { initial: end.initial!, final: end.last!, steps: end.step };
}
