// A learning-rate sweep as transformers' Trainer runs one per rate, shared by fine-tuning and the
// entity extractor: for each learning rate, train from the same starting weights (a new AdamW,
// linear warm-up and decay) for a number of epochs over seeded shuffles, evaluate after each epoch
// and keep the epoch whose evaluation loss is lowest; over the sweep keep the rate whose best epoch
// is lowest. Deterministic given the seed (shuffles, dropout masks), and resumable from any
// checkpoint the generator offers, so a resumed run ends exactly as an uninterrupted one.
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import type { Dropout } from '../models/encoder';
import type { AdamWState } from './adamw';
import { linearSchedule, warmupSteps } from './schedule';
import type { Trainer } from './trainer';

export interface SweepConfig {
  learningRates: number[];
  epochs: number;
  batchSize: number;
  gradientAccumulation: number;
  seed: number;
  warmupRatio: number;
  checkpointEvery: number;
  /** Per-parameter factors on the swept rate for learning rate index i (a head trained faster than its encoder); none = 1. */
  rateScale?: (learningRateIndex: number) => ((key: string) => number) | undefined;
}

/** Seed streams, one per purpose, so adding one never shifts another (head and adapter draws are the callers'). */
export const sweepStream = { head: 1, lora: 2, shuffle: 3, dropout: 4 } as const;

export interface Position {
  learningRateIndex: number;
  /** 0-based epoch being trained, and the next optimizer step within it. */
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps done in this learning rate's run. */
  step: number;
}

export interface SweepCheckpoint {
  position: Position;
  epochLoss: { sum: number; steps: number; seconds: number };
  values: Map<string, Float32Array>;
  optimizer: AdamWState;
  bestThisRate: { loss: number; epoch: number } | null;
  best: { learningRateIndex: number; epoch: number; loss: number; values: Map<string, Float32Array> } | null;
  summaries: { learningRateIndex: number; bestEpoch: number; bestLoss: number }[];
}

export interface SweepStep {
  type: 'step';
  learningRateIndex: number;
  /** Optimizer step within this learning rate's run, from 1. */
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
  /** Steps done and to do over the whole sweep. */
  done: number;
  total: number;
}

/** After each epoch: the mean training loss, the time, and what the caller's evaluation reported. */
export type SweepEpoch<V> = { type: 'epoch'; learningRateIndex: number; epoch: number; trainLoss: number } & V & { seconds: number };

export type SweepEvent<V> = SweepStep | SweepEpoch<V> | { type: 'checkpoint' };

export interface SweepOutcome {
  best: { learningRateIndex: number; epoch: number; loss: number };
  summaries: SweepCheckpoint['summaries'];
  /** The kept epoch's trainable values (also loaded into the trainer's variables). */
  values: Map<string, Float32Array>;
}

/**
 * An epoch's evaluation: `loss` decides the best epoch (lower is better; a score to maximise is
 * passed negated), `fields` go into the epoch event.
 */
export type Evaluate<V> = (learningRateIndex: number, epoch: number) => Promise<{ loss: number; fields: V }>;

export class Sweep<T> {
  /** The trainable values every learning rate starts from. */
  private initial!: Map<string, Float32Array>;
  private state!: SweepCheckpoint;
  readonly stepsPerEpoch: number;

  /** The trainable values read and the resumed state (or a fresh one) loaded. */
  static async create<T>(trainer: Trainer<readonly T[]>, items: readonly T[], config: SweepConfig, resume?: SweepCheckpoint): Promise<Sweep<T>> {
    const s = new Sweep(trainer, items, config);
    s.initial = await trainer.values();
    s.state = resume ?? {
      position: { learningRateIndex: 0, epoch: 0, stepInEpoch: 0, step: 0 },
      epochLoss: { sum: 0, steps: 0, seconds: 0 },
      values: s.initial,
      optimizer: await trainer.optimizer.state(),
      bestThisRate: null,
      best: null,
      summaries: [],
    };
    trainer.load(s.state.values, s.state.optimizer);
    return s;
  }

  private constructor(
    private readonly trainer: Trainer<readonly T[]>,
    private readonly items: readonly T[],
    private readonly config: SweepConfig,
  ) {
    this.stepsPerEpoch = Math.ceil(Math.ceil(items.length / config.batchSize) / config.gradientAccumulation);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.config.epochs * this.config.learningRates.length;
  }

  /** The state to resume from; valid between the generator's yields. */
  async checkpoint(): Promise<SweepCheckpoint> {
    return { ...this.state, values: await this.trainer.values(), optimizer: await this.trainer.optimizer.state() };
  }

  /** Trains the whole sweep, yielding after every optimizer step and epoch; returns the kept values (also loaded). */
  async *run<V>(evaluate: Evaluate<V>): AsyncGenerator<SweepEvent<V>, SweepOutcome> {
    const { config, items } = this;
    const perRate = this.stepsPerEpoch * config.epochs;
    const warmup = warmupSteps(perRate, config.warmupRatio);
    for (let li = this.state.position.learningRateIndex; li < config.learningRates.length; li++) {
      const lr = config.learningRates[li];
      const scale = config.rateScale?.(li);
      if (this.state.position.step === 0) {
        // A fresh start for this learning rate: the same initial weights, a new optimizer.
        this.trainer.resetOptimizer();
        this.trainer.load(this.initial);
        this.state = { ...this.state, position: { learningRateIndex: li, epoch: 0, stepInEpoch: 0, step: 0 }, epochLoss: { sum: 0, steps: 0, seconds: 0 }, bestThisRate: null };
      }
      for (let epoch = this.state.position.epoch; epoch < config.epochs; epoch++) {
        const order = permutation(items.length, mulberry32(deriveSeed(config.seed, sweepStream.shuffle, epoch)));
        const batches: T[][] = [];
        for (let s = 0; s < order.length; s += config.batchSize) batches.push(order.slice(s, s + config.batchSize).map((i) => items[i]));
        for (let s = this.state.position.stepInEpoch; s < this.stepsPerEpoch; s++) {
          const started = Date.now();
          const micro = batches.slice(s * config.gradientAccumulation, (s + 1) * config.gradientAccumulation);
          const step = this.state.position.step;
          const rate = lr * linearSchedule(step, perRate, warmup);
          const dropout = (i: number): Dropout => {
            const next = mulberry32(deriveSeed(config.seed, sweepStream.dropout, li, step, i));
            return { seed: () => Math.floor(next() * 2 ** 31) };
          };
          const { loss, gradNorm } = await this.trainer.step(micro, rate, dropout, scale);
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
        // End of the epoch: the evaluation decides the best epoch.
        const started = Date.now();
        const v = await evaluate(li, epoch + 1);
        const el = this.state.epochLoss;
        yield { type: 'epoch', learningRateIndex: li, epoch: epoch + 1, trainLoss: el.sum / Math.max(1, el.steps), ...v.fields, seconds: el.seconds + (Date.now() - started) / 1000 };
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
}
