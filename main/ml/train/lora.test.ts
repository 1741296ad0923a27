// LoRA's three promises (Hu et al. 2021; PEFT's initialisation): with B = 0 the adapted model is
// the base model exactly; training moves only the adapters and the new head, never a base
// weight; folding the adapters into the weights (W + (α/r)·A·B) computes what the unmerged
// model computes. Checked on transformers' tiny BERT fixture, with real AdamW steps.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainConfigSchema } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { errorMessage } from '../../../common/messages';
import { mulberry32 } from '../../../common/random';
import { exportCases, loadBase, logitsOfCase } from '../../../test/exportCases';
import type { EncoderModel } from '../models/encoder';
import { expectNoLeakedTensors } from '../testing/tensors';
import { FineTune, trainableVariables } from './fineTune';
import { attachLora, loraParams, mergeLora, trainableValue } from './lora';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base = exportCases.find((c) => c.name === 'bert-trained')!;
// Three labels, every label in training and validation.
const train = base.examples.map((e, i) => ({ ...e, target: i % 3 }));
const validation = train.slice(0, 3);

function snapshot(model: EncoderModel): Map<string, Float32Array> {
  return new Map([...model.parameters()].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.map((r, i) => Math.max(...r.map((v, j) => Math.abs(v - b[i][j])))));

const loraConfig = (targets: ('query' | 'key' | 'value' | 'attentionOutput' | 'intermediate' | 'output')[]) =>
  trainConfigSchema.parse({ corpusId: 1, modelPath: '/m', method: 'lora', learningRates: [5e-2], epochs: 2, batchSize: 2, warmupRatio: 0, seed: 3, lora: { rank: 4, alpha: 8, dropout: 0.1, targets } });

/** Runs the whole sweep (the generator's events are not needed here). */
async function trainToEnd(ft: FineTune): Promise<void> {
  const run = ft.run();
  while (!(await run.next()).done);
}

describe('LoRA', () => {
  it('with B = 0 the adapted model gives exactly the base model’s logits, for every target', async () => {
    await expectNoLeakedTensors(async () => {
      const model = loadBase(base);
      const plain = logitsOfCase(model, base);
      attachLora(model, { rank: 4, alpha: 16, dropout: 0.1, targets: ['query', 'key', 'value', 'attentionOutput', 'intermediate', 'output'] }, mulberry32(1));
      expect(model.lora!.layers.size).toBe(model.config.numLayers * 6);
      // A is drawn (non-zero), B is zero: the update (α/r)·x·A·B adds exact zeros.
      for (const [name, p] of loraParams(model)) {
        if (name.endsWith('lora_A')) expect(p.data.some((x) => x !== 0)).toBe(true);
        else expect(p.data.every((x) => x === 0)).toBe(true);
      }
      expect(logitsOfCase(model, base)).toEqual(plain);
      model.dispose();
    });
  });

  it('training changes only the adapters and the classification head; the base weights stay bit for bit', async () => {
    await expectNoLeakedTensors(async () => {
      const model = loadBase(base);
      const start = snapshot(model);
      const ft = await FineTune.create(model, { train, validation, numLabels: 3, padId: base.padId }, loraConfig(['query', 'value', 'intermediate']));
      const adaptersBefore = loraParams(model);
      await trainToEnd(ft);
      ft.dispose();
      let changedHead = 0;
      for (const [key, v] of model.parameters()) {
        const now = v.dataSync();
        const was = start.get(key)!;
        if (key.startsWith('classifier.')) changedHead += now.some((x, i) => x !== was[i]) ? 1 : 0;
        else expect(now, key).toEqual(was);
      }
      expect(changedHead).toBe(2); // weight and bias
      // Every adapter matrix moved off its start (B off zero, A off its draw).
      for (const [name, p] of loraParams(model)) {
        const was = adaptersBefore.get(name)!.data;
        expect(p.data.some((x, i) => x !== was[i]), name).toBe(true);
      }
      model.dispose();
    });
  });

  it('merged weights give the unmerged model’s logits within 1e-5 after training', async () => {
    await expectNoLeakedTensors(async () => {
      const model = loadBase(base);
      const ft = await FineTune.create(model, { train, validation, numLabels: 3, padId: base.padId }, loraConfig(['query', 'key', 'value', 'attentionOutput', 'intermediate', 'output']));
      await trainToEnd(ft);
      ft.dispose();
      const unmerged = logitsOfCase(model, base);
      const plainBase = loadBase(base);
      // Training moved the model well away from the base, so the comparison means something.
      expect(maxDiff(unmerged, logitsOfCase(plainBase, base))).toBeGreaterThan(1e-2);
      plainBase.dispose();
      mergeLora(model);
      expect(model.lora).toBeNull();
      expect(maxDiff(logitsOfCase(model, base), unmerged)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });
  });
});

describe('trainable keys', () => {
  it('name every trainable variable, adapters and head alike, and nothing else', async () => {
    await expectNoLeakedTensors(async () => {
      const model = loadBase(base);
      attachLora(model, { rank: 2, alpha: 4, dropout: 0, targets: ['query', 'output'] }, mulberry32(3));
      const trainable = trainableVariables(model, 'lora');
      expect([...trainable.keys()].filter((k) => k.startsWith('lora:'))).toHaveLength(model.config.numLayers * 2 * 2);
      for (const [key, v] of trainable) expect(trainableValue(model, key)).toBe(v);
      expect(trainableValue(model, 'lora:layer.0.key.a')).toBeUndefined();
      expect(trainableValue(model, 'classifier.weight')).toBe(model.parameters().get('classifier.weight'));
      model.dispose();
    });
  });
});

describe('a diverging run', () => {
  it('stops with trainLossNotFinite naming the step and learning rate, and leaves no tensors', async () => {
    await expectNoLeakedTensors(async () => {
      const model = loadBase(base);
      // Adam's first steps move every weight by about the learning rate: 1e30 overflows float32 within a few steps.
      // (The contract caps a learning rate at 1; the trainer itself must still stop cleanly.)
      const config = { ...trainConfigSchema.parse({ corpusId: 1, modelPath: '/m', method: 'full', epochs: 3, batchSize: 1, warmupRatio: 0, seed: 3 }), learningRates: [1e30] };
      const ft = await FineTune.create(model, { train, validation, numLabels: 3, padId: base.padId }, config);
      const losses: number[] = [];
      let error: unknown = null;
      try {
        for await (const e of ft.run()) if (e.type === 'step') losses.push(e.loss);
      } catch (err) {
        error = err;
      } finally {
        ft.dispose();
        model.dispose();
      }
      expect(error).toBeInstanceOf(ShirabeError);
      const { code, params } = error as ShirabeError;
      expect(code).toBe('trainLossNotFinite');
      // The failing step is the one after the last finite loss reported.
      expect(params).toMatchObject({ step: losses.length + 1, lr: 1e30 });
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(['NaN', 'Infinity', '-Infinity']).toContain(params.value);
      expect(errorMessage({ code, params }, 'en')).toMatch(/smaller learning rate/);
      expect(errorMessage({ code, params }, 'ja')).toMatch(/学習率を下げる/);
    });
  });
});
