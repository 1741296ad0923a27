// Fine-tuning a sequence classifier the way the CiNii BERT study did (and transformers' Trainer
// does): for each learning rate of a sweep, train from the same starting weights for a number of
// epochs, evaluate the validation loss after each epoch and keep the epoch with the lowest; over
// the sweep keep the learning rate whose best epoch is lowest; that model predicts the test set.
// Deterministic given the seed (shuffles, dropout masks, new weights), so a run resumed from a
// checkpoint ends exactly as an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import type { EpochPoint, StepPoint, TrainConfig, TrainMethod } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, normals, permutation } from '../../../common/random';
import { meanBinaryCrossEntropyWithLogits, meanCrossEntropyFromLogits, multiLabelMetrics, multiLabelPredictFromLogits, singleLabelMetrics } from '../metrics';
import type { Dropout, EncoderModel } from '../models/encoder';
import { headOfKey, loraKey } from '../models/keys';
import type { AdamWState } from './adamw';
import { attachLora } from './lora';
import { readTidy } from '../read';
import { linearSchedule, warmupSteps } from './schedule';
import { classificationLoss, logitsOf, Trainer, type Example } from './trainer';

export type FineTuneConfig = Pick<
  TrainConfig,
  'method' | 'task' | 'learningRates' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'seed' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'lora' | 'checkpointEvery'
>;

/** Seed streams, one per purpose, so adding one never shifts another. */
const stream = { head: 1, lora: 2, shuffle: 3, dropout: 4 } as const;

/**
 * The variables a method trains, by key: full = every parameter the classifier uses (not the
 * masked-LM head; the pooler only where the head reads it); LoRA = the adapters ("lora:<linear>.a|b")
 * and the classification head, the base frozen (PEFT's SEQ_CLS modules_to_save).
 */
export function trainableVariables(model: EncoderModel, method: TrainMethod): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [key, v] of model.parameters()) {
    const head = headOfKey(key);
    if (head === 'mlm' || head === 'nsp') continue;
    if (head === 'pooler' && model.classifierStyle !== 'pooler') continue;
    if (method === 'full' || head === 'classifier') out.set(key, v);
  }
  if (method === 'lora') {
    if (!model.lora) throw new Error('LoRA training needs adapters attached');
    for (const [key, { a, b }] of model.lora.layers) {
      out.set(loraKey(key, 'a'), a);
      out.set(loraKey(key, 'b'), b);
    }
  }
  return out;
}

/**
 * The draws new head weights come from (the pooler first where the base has none, then the
 * classifier): a LoRA run does not train or keep a new pooler, so rebuilding its classifier draws it again.
 */
export function headInitializer(seed: number): () => number {
  return normals(mulberry32(deriveSeed(seed, stream.head)));
}

/** After each optimizer step: the curve point, the gradient norm before clipping, and steps done / to do over the sweep. */
export type StepEvent = { type: 'step'; gradNorm: number; done: number; total: number } & StepPoint;

/** After each epoch: the validation scores that pick the best epoch. */
export type EpochEvent = { type: 'epoch' } & EpochPoint;

/** The moment to save a checkpoint (call checkpoint() before resuming the generator). */
export interface CheckpointEvent {
  type: 'checkpoint';
}

export type FineTuneEvent = StepEvent | EpochEvent | CheckpointEvent;

export interface Position {
  learningRateIndex: number;
  /** 0-based epoch being trained, and the next optimizer step within it. */
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps done in this learning rate's run. */
  step: number;
}

export interface FineTuneCheckpoint {
  position: Position;
  epochLoss: { sum: number; steps: number; seconds: number };
  values: Map<string, Float32Array>;
  optimizer: AdamWState;
  bestThisRate: { loss: number; epoch: number } | null;
  best: { learningRateIndex: number; epoch: number; loss: number; values: Map<string, Float32Array> } | null;
  summaries: { learningRateIndex: number; bestEpoch: number; bestLoss: number }[];
}

export interface Predictions {
  /** [n × K] logits, row per example in the given order. */
  logits: Float32Array;
}

export interface FineTuneOutcome {
  best: { learningRateIndex: number; epoch: number; loss: number };
  summaries: FineTuneCheckpoint['summaries'];
  /** The kept model's trainable values (by trainableVariables' keys). */
  values: Map<string, Float32Array>;
}

export interface FineTuneData {
  train: Example[];
  validation: Example[];
  numLabels: number;
  padId: number;
}

/** Validation (or test) logits in the examples' order, in length-sorted batches. */
export async function predictLogits(model: EncoderModel, examples: readonly Example[], padId: number, batchSize = 32): Promise<Float32Array> {
  const K = model.config.numLabels;
  const out = new Float32Array(examples.length * K);
  const order = examples.map((e, i) => [e.ids.length, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    const data = await readTidy(() => logitsOf(model, idx.map((i) => examples[i]), padId));
    idx.forEach((i, r) => out.set(data.subarray(r * K, (r + 1) * K), i * K));
  }
  return out;
}

export function rows(flat: Float32Array, K: number): number[][] {
  return Array.from({ length: flat.length / K }, (_, i) => Array.from(flat.subarray(i * K, (i + 1) * K)));
}

/** Validation loss and metrics from logits, in float64 as torch's losses and sklearn's metrics. */
export function evaluateLogits(task: TrainConfig['task'], logits: Float32Array, examples: readonly Example[], K: number) {
  const r = rows(logits, K);
  if (task === 'single-label') {
    const gold = examples.map((e) => e.target as number);
    const predicted = r.map((row) => row.indexOf(Math.max(...row)));
    const m = singleLabelMetrics(gold, predicted, K);
    return { loss: meanCrossEntropyFromLogits(r, gold), accuracy: m.accuracy, macroF1: m.macro.f1, microF1: m.micro.f1 };
  }
  const gold = examples.map((e) => e.target as number[]);
  const m = multiLabelMetrics(gold, multiLabelPredictFromLogits(r));
  return { loss: meanBinaryCrossEntropyWithLogits(r, gold), accuracy: m.subsetAccuracy, macroF1: m.macro.f1, microF1: m.micro.f1 };
}

export class FineTune {
  private readonly trainable: Map<string, tf.Variable>;
  private readonly trainer: Trainer;
  /** The trainable values every learning rate starts from. */
  private initial!: Map<string, Float32Array>;
  private state!: FineTuneCheckpoint;
  private readonly stepsPerEpoch: number;

  /** Heads and adapters attached, the trainable values read, and the resumed state (or a fresh one) loaded. */
  static async create(model: EncoderModel, data: FineTuneData, config: FineTuneConfig, resume?: FineTuneCheckpoint): Promise<FineTune> {
    const ft = new FineTune(model, data, config);
    try {
      ft.initial = await ft.trainer.values();
      ft.state = resume ?? {
        position: { learningRateIndex: 0, epoch: 0, stepInEpoch: 0, step: 0 },
        epochLoss: { sum: 0, steps: 0, seconds: 0 },
        values: ft.initial,
        optimizer: await ft.trainer.optimizer.state(),
        bestThisRate: null,
        best: null,
        summaries: [],
      };
      ft.trainer.load(ft.state.values, ft.state.optimizer);
      return ft;
    } catch (err) {
      ft.dispose(); // the optimizer's moments
      throw err;
    }
  }

  private constructor(
    private readonly model: EncoderModel,
    private readonly data: FineTuneData,
    private readonly config: FineTuneConfig,
  ) {
    if (config.task === 'multi-label' && data.train.some((e) => !Array.isArray(e.target))) throw new Error('multi-label examples need 0/1 target vectors');
    if (data.train.length === 0 || data.validation.length === 0) throw new Error('fine-tuning needs training and validation examples');
    // New head weights (the same for every learning rate), as transformers initialises them.
    const normal = headInitializer(config.seed);
    if (model.classifierStyle === 'pooler' && !model.heads.pooler) model.initHead('pooler', normal);
    if (!model.heads.classifier) model.initHead('classifier', normal);
    if (config.method === 'lora') attachLora(model, config.lora, mulberry32(deriveSeed(config.seed, stream.lora)));
    this.trainable = trainableVariables(model, config.method);
    this.trainer = new Trainer(this.trainable, {
      weightDecay: config.weightDecay,
      maxGradNorm: config.maxGradNorm,
      loss: classificationLoss(model, { task: config.task, numLabels: data.numLabels, padId: data.padId }),
    });
    this.stepsPerEpoch = Math.ceil(Math.ceil(data.train.length / config.batchSize) / config.gradientAccumulation);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.config.epochs * this.config.learningRates.length;
  }

  /** The state to resume from; valid between the generator's yields. */
  async checkpoint(): Promise<FineTuneCheckpoint> {
    return { ...this.state, values: await this.trainer.values(), optimizer: await this.trainer.optimizer.state() };
  }

  /** Trains the whole sweep, yielding after every optimizer step; returns the kept model's values (also loaded into the model). */
  async *run(): AsyncGenerator<FineTuneEvent, FineTuneOutcome> {
    const { config, data } = this;
    const perRate = this.stepsPerEpoch * config.epochs;
    const warmup = warmupSteps(perRate, config.warmupRatio);
    for (let li = this.state.position.learningRateIndex; li < config.learningRates.length; li++) {
      const lr = config.learningRates[li];
      if (this.state.position.step === 0) {
        // A fresh start for this learning rate: the same initial weights, a new optimizer.
        this.trainer.resetOptimizer();
        this.trainer.load(this.initial);
        this.state = { ...this.state, position: { learningRateIndex: li, epoch: 0, stepInEpoch: 0, step: 0 }, epochLoss: { sum: 0, steps: 0, seconds: 0 }, bestThisRate: null };
      }
      for (let epoch = this.state.position.epoch; epoch < config.epochs; epoch++) {
        const order = permutation(data.train.length, mulberry32(deriveSeed(config.seed, stream.shuffle, epoch)));
        const batches: Example[][] = [];
        for (let s = 0; s < order.length; s += config.batchSize) batches.push(order.slice(s, s + config.batchSize).map((i) => data.train[i]));
        for (let s = this.state.position.stepInEpoch; s < this.stepsPerEpoch; s++) {
          const started = Date.now();
          const micro = batches.slice(s * config.gradientAccumulation, (s + 1) * config.gradientAccumulation);
          const step = this.state.position.step;
          const rate = lr * linearSchedule(step, perRate, warmup);
          const dropout = (i: number): Dropout => {
            const next = mulberry32(deriveSeed(config.seed, stream.dropout, li, step, i));
            return { seed: () => Math.floor(next() * 2 ** 31) };
          };
          const { loss, gradNorm } = await this.trainer.step(micro, rate, dropout);
          if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
            throw new ShirabeError('trainLossNotFinite', { value: String(Number.isFinite(loss) ? gradNorm : loss), step: step + 1, lr });
          }
          const el = this.state.epochLoss;
          this.state = {
            ...this.state,
            position: { learningRateIndex: li, epoch, stepInEpoch: s + 1, step: step + 1 },
            epochLoss: { sum: el.sum + loss, steps: el.steps + 1, seconds: el.seconds + (Date.now() - started) / 1000 },
          };
          yield {
            type: 'step', learningRateIndex: li, step: step + 1, epoch: epoch + 1, loss, learningRate: rate, gradNorm,
            done: li * perRate + step + 1, total: this.totalSteps,
          };
          if ((step + 1) % config.checkpointEvery === 0 && s + 1 < this.stepsPerEpoch) yield { type: 'checkpoint' };
        }
        // End of the epoch: validation loss decides the best epoch.
        const started = Date.now();
        const v = evaluateLogits(config.task, await predictLogits(this.model, data.validation, data.padId), data.validation, data.numLabels);
        const el = this.state.epochLoss;
        yield {
          type: 'epoch', learningRateIndex: li, epoch: epoch + 1, trainLoss: el.sum / Math.max(1, el.steps),
          validationLoss: v.loss, validationAccuracy: v.accuracy, validationMacroF1: v.macroF1, validationMicroF1: v.microF1,
          seconds: el.seconds + (Date.now() - started) / 1000,
        };
        let { best, bestThisRate } = this.state;
        if (!bestThisRate || v.loss < bestThisRate.loss) bestThisRate = { loss: v.loss, epoch: epoch + 1 };
        if (!best || v.loss < best.loss) best = { learningRateIndex: li, epoch: epoch + 1, loss: v.loss, values: await this.trainer.values() };
        const last = epoch + 1 === config.epochs;
        this.state = {
          ...this.state,
          best,
          bestThisRate,
          position: last ? { learningRateIndex: li + 1, epoch: 0, stepInEpoch: 0, step: 0 } : { ...this.state.position, epoch: epoch + 1, stepInEpoch: 0 },
          epochLoss: { sum: 0, steps: 0, seconds: 0 },
          summaries: last ? [...this.state.summaries, { learningRateIndex: li, bestEpoch: bestThisRate.epoch, bestLoss: bestThisRate.loss }] : this.state.summaries,
        };
        yield { type: 'checkpoint' };
      }
    }
    const best = this.state.best!;
    this.trainer.load(best.values);
    return { best: { learningRateIndex: best.learningRateIndex, epoch: best.epoch, loss: best.loss }, summaries: this.state.summaries, values: best.values };
  }

  dispose(): void {
    this.trainer.dispose();
  }
}
