// Fine-tuning a sequence classifier the way the CiNii BERT study did (and transformers' Trainer
// does): for each learning rate of a sweep, train from the same starting weights for a number of
// epochs, evaluate the validation loss after each epoch and keep the epoch with the lowest; over
// the sweep keep the learning rate whose best epoch is lowest; that model predicts the test set.
// Deterministic given the seed (shuffles, dropout masks, new weights), so a run resumed from a
// checkpoint ends exactly as an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';
import type { EpochPoint, StepPoint, TrainConfig, TrainMethod } from '../../../common/contract';
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import { meanBinaryCrossEntropyWithLogits, meanCrossEntropyFromLogits, multiLabelMetrics, multiLabelPredictFromLogits, singleLabelMetrics } from '../metrics';
import type { EncoderModel } from '../models/encoder';
import { headOfKey, loraKey } from '../models/keys';
import { attachLora } from './lora';
import { readTidy } from '../read';
import { Sweep, sweepStream, type SweepCheckpoint, type SweepEvent, type SweepOutcome, type SweepStep } from './sweep';
import { classificationLoss, logitsOf, Trainer, type Example } from './trainer';

export type FineTuneConfig = Pick<
  TrainConfig,
  'method' | 'task' | 'learningRates' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'seed' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'lora' | 'checkpointEvery'
>;


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
  return normals(mulberry32(deriveSeed(seed, sweepStream.head)));
}

/** After each optimizer step: the curve point, the gradient norm before clipping, and steps done / to do over the sweep. */
export type StepEvent = SweepStep & StepPoint;

/** After each epoch: the validation scores that pick the best epoch. */
export type EpochEvent = { type: 'epoch' } & EpochPoint;

/** What an epoch's evaluation adds to its curve point: the validation loss and scores. */
export type ValidationScores = Omit<EpochPoint, 'learningRateIndex' | 'epoch' | 'trainLoss' | 'seconds'>;

export type FineTuneEvent = SweepEvent<ValidationScores>;

export type FineTuneCheckpoint = SweepCheckpoint;
export type { Position } from './sweep';

export interface Predictions {
  /** [n × K] logits, row per example in the given order. */
  logits: Float32Array;
}

export type FineTuneOutcome = SweepOutcome;

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
  private sweep!: Sweep<Example>;

  /** Heads and adapters attached, the trainable values read, and the resumed state (or a fresh one) loaded. */
  static async create(model: EncoderModel, data: FineTuneData, config: FineTuneConfig, resume?: FineTuneCheckpoint): Promise<FineTune> {
    const ft = new FineTune(model, data, config);
    try {
      ft.sweep = await Sweep.create(ft.trainer, data.train, config, resume);
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
    if (config.method === 'lora') attachLora(model, config.lora, mulberry32(deriveSeed(config.seed, sweepStream.lora)));
    this.trainable = trainableVariables(model, config.method);
    this.trainer = new Trainer(this.trainable, {
      weightDecay: config.weightDecay,
      maxGradNorm: config.maxGradNorm,
      loss: classificationLoss(model, { task: config.task, numLabels: data.numLabels, padId: data.padId }),
    });
  }

  get totalSteps(): number {
    return this.sweep.totalSteps;
  }

  /** The state to resume from; valid between the generator's yields. */
  checkpoint(): Promise<FineTuneCheckpoint> {
    return this.sweep.checkpoint();
  }

  /** Trains the whole sweep, yielding after every optimizer step; returns the kept model's values (also loaded into the model). */
  run(): AsyncGenerator<FineTuneEvent, FineTuneOutcome> {
    const { config, data } = this;
    // The validation loss decides the best epoch.
    return this.sweep.run(async () => {
      const v = evaluateLogits(config.task, await predictLogits(this.model, data.validation, data.padId), data.validation, data.numLabels);
      return { loss: v.loss, fields: { validationLoss: v.loss, validationAccuracy: v.accuracy, validationMacroF1: v.macroF1, validationMicroF1: v.microF1 } };
    });
  }

  dispose(): void {
    this.trainer.dispose();
  }
}
