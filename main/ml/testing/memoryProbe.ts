// The peak tensor bytes of one real training step (or one inference batch), measured with
// tf.profile: what the memory estimate (models/memory.ts) is calibrated and checked against.
// The same idea as attribution's passMemory: run the real pass, read the engine's peak.
import * as tf from '@tensorflow/tfjs-core';
import type { BertShape } from '../../../common/bertSize';
import { mulberry32 } from '../../../common/random';
import type { Dropout, EncoderModel } from '../models/encoder';
import { estimate } from '../models/estimate';
import { parseModelConfig } from '../models/index';
import { inferenceBytes } from '../models/memory';
import { mlmBatch, pretrainingLoss } from '../pretrain/mlm';
import { bertConfigJson, initialisedBert } from '../pretrain/scratch';
import { simcseLoss, newSimCseHead } from '../simcse/simcse';
import { headInitializer, trainableVariables } from '../train/fineTune';
import { attachLora } from '../train/lora';
import { batchOf, classificationLoss, Trainer, type Example } from '../train/trainer';
import { profile, readTidy } from '../read';

export type ProbeKind = 'full' | 'lora' | 'mlm' | 'simcse' | 'embed';

export interface Probe {
  /** Tensor bytes held before the step: weights, and (training) the optimizer's moments. */
  before: number;
  /** The engine's peak during the step (absolute, so it includes `before`). */
  peak: number;
}

function dropoutStream(seed: number): Dropout {
  const next = mulberry32(seed);
  return { seed: () => Math.floor(next() * 2 ** 31) };
}

/**
 * One step of `kind` on a fresh BERT of `shape` with B sequences of T tokens: a first step (so the
 * optimizer's moments exist, as in every step after it), then a second under tf.profile.
 */
export async function probeStep(kind: ProbeKind, shape: BertShape, B: number, T: number, numLabels = 4): Promise<Probe> {
  const model: EncoderModel = initialisedBert(bertConfigJson(shape, { hidden_act: 'gelu' }), 7);
  const rand = mulberry32(11);
  const ids = () => Array.from({ length: T }, (_, t) => (t === 0 ? 2 : t === T - 1 ? 3 : 5 + Math.floor(rand() * (shape.vocabSize - 5))));
  let trainer: Trainer<never> | null = null;
  let extra: tf.Variable[] = [];
  try {
    if (kind === 'embed') {
      const batch = batchOf(Array.from({ length: B }, () => ({ ids: ids(), tokenTypeIds: new Array<number>(T).fill(0), target: 0 })), 0);
      const before = tf.memory().numBytes;
      const info = await profile(async () => {
        await readTidy(() => {
          const [h] = model.forward(batch, { keep: [model.config.numLayers] });
          return tf.mean(h, 1);
        });
      });
      return { before, peak: info.peakBytes };
    }
    let step: () => Promise<unknown>;
    if (kind === 'full' || kind === 'lora') {
      const normal = headInitializer(1);
      if (model.classifierStyle === 'pooler' && !model.heads.pooler) model.initHead('pooler', normal);
      model.initHead('classifier', normal);
      if (kind === 'lora') attachLora(model, { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] }, mulberry32(3));
      const examples: Example[] = Array.from({ length: B }, (_, i) => ({ ids: ids(), tokenTypeIds: new Array<number>(T).fill(0), target: i % numLabels }));
      const t = new Trainer(trainableVariables(model, kind), { weightDecay: 0.01, maxGradNorm: 1, loss: classificationLoss(model, { task: 'single-label', numLabels, padId: 0 }) });
      trainer = t as unknown as Trainer<never>;
      step = () => t.step([examples], 1e-5, (i) => dropoutStream(i + 1));
    } else if (kind === 'mlm') {
      // 15% of the tokens predicted, as whole-word masking picks them on average.
      const seqs = Array.from({ length: B }, () => {
        const s = Int32Array.from(ids());
        const labels = new Int32Array(T).fill(-100);
        for (let t = 1; t < T - 1; t++) if (rand() < 0.15) labels[t] = s[t];
        return { ids: s, labels };
      });
      const batch = mlmBatch(seqs, 0);
      const vars = new Map<string, tf.Variable>();
      for (const [k, v] of model.parameters()) if (!k.startsWith('classifier') && !k.startsWith('pooler') && !k.startsWith('nsp')) vars.set(k, v);
      const t = new Trainer(vars, { weightDecay: 0.01, maxGradNorm: 1, loss: (b: typeof batch, d?: Dropout) => pretrainingLoss(model, b, d) });
      trainer = t as unknown as Trainer<never>;
      step = () => t.step([batch], 1e-4, (i) => dropoutStream(i + 1));
    } else {
      const head = newSimCseHead(model, () => 0.01);
      extra = [head.weight, head.bias];
      const vars = new Map<string, tf.Variable>();
      for (const [k, v] of model.parameters()) if (!k.startsWith('classifier') && !k.startsWith('pooler') && !k.startsWith('mlm') && !k.startsWith('nsp')) vars.set(k, v);
      vars.set('simcse.weight', head.weight);
      vars.set('simcse.bias', head.bias);
      const batch = batchOf(Array.from({ length: B }, () => ({ ids: ids(), tokenTypeIds: new Array<number>(T).fill(0), target: 0 })), 0);
      const t = new Trainer(vars, { weightDecay: 0.01, maxGradNorm: 1, loss: (b: typeof batch, d?: Dropout) => simcseLoss(model, head, b, 0.05, d) });
      trainer = t as unknown as Trainer<never>;
      step = () => t.step([batch], 3e-5, (i) => dropoutStream(i + 1));
    }
    await step();
    const before = tf.memory().numBytes;
    const info = await profile(async () => {
      await step();
    });
    return { before, peak: info.peakBytes };
  } finally {
    trainer?.dispose();
    for (const v of extra) v.dispose();
    model.dispose();
  }
}

/** The estimate for one step of `kind` on `shape` with B sequences of T tokens, as the services ask for it. */
export function estimatedPeak(kind: ProbeKind, shape: BertShape, B: number, T: number): number {
  const { config } = parseModelConfig(bertConfigJson(shape));
  const batch = { batchSize: B, maxLength: T };
  switch (kind) {
    case 'full':
    case 'lora':
      return estimate(config, 'sequence-classification', { numLabels: 4, method: kind, lora: { rank: 8, targets: ['query', 'value'] }, batch }).memoryBytes;
    case 'mlm':
      return estimate(config, 'masked-lm', { batch }).memoryBytes;
    case 'simcse':
      // The backbone and SimCSE's MLP trained; the masked-LM head held, untrained.
      return estimate(config, 'masked-lm', { batch, work: 'simcse' }).memoryBytes;
    case 'embed':
      return inferenceBytes(estimate(config, 'masked-lm').parameters, config, batch);
  }
}
